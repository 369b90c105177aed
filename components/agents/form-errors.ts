/**
 * Field errors from a tRPC error: the server puts them in `data.fieldErrors` (zod validation, or a
 * domain error about one field such as a taken slug), keyed by the field's dotted path.
 */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const fieldErrors = (error as { data?: { fieldErrors?: unknown } } | null | undefined)?.data?.fieldErrors;
  if (!fieldErrors || typeof fieldErrors !== "object") return {};
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if (Array.isArray(messages)) {
      const texts = messages.filter((m): m is string => typeof m === "string" && m.length > 0);
      if (texts.length) out[field] = texts;
    }
  }
  return out;
}

/**
 * Places an error's messages on a form: each known field gets its own, and whatever belongs to no
 * shown field goes to `fallback` (or the error's message when it names no field at all).
 */
export function placeErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  fallback: F | "form",
): Partial<Record<F | "form", string>> {
  if (!error) return {};
  const byField = fieldErrorsOf(error);
  const out: Partial<Record<F | "form", string>> = {};
  const leftover: string[] = [];
  for (const [field, messages] of Object.entries(byField)) {
    // Keys are dotted paths ("credential.headerName"): an error belongs to the shown field it is under.
    const shown = (fields as readonly string[]).find((f) => field === f || field.startsWith(`${f}.`)) as F | undefined;
    if (shown) out[shown] = [out[shown], ...messages].filter(Boolean).join(" ");
    else leftover.push(...messages);
  }
  const message = (error as { message?: unknown }).message;
  if (Object.keys(byField).length === 0 && typeof message === "string" && message) leftover.push(message);
  if (leftover.length) out[fallback] = [out[fallback], ...leftover].filter(Boolean).join(" ");
  return out;
}
