import { fieldErrorsOf } from "@/components/agents/form-errors";

/** "config.targets.0.weight: A weight is 0–1000" — the server's one-line form of each validation issue. */
const ISSUE = /^([A-Za-z_]\w*(?:\.\w+)*): ([\s\S]+)$/;

const stripConfig = (path: string) => path.replace(/^config\./, "");

/**
 * Every message in a route error with the field path it is about (`null`: about no field). A
 * validation error's message names each issue's path ("targets.0.agentId"), and so do the keys of
 * `data.fieldErrors` ("config.targets.0.agentId" for an update); a domain error about one field
 * (a taken slug) only has `data.fieldErrors`.
 */
export function routeErrorMessages(error: unknown): { path: string | null; message: string }[] {
  if (!error) return [];
  const message = (error as { message?: unknown }).message;
  const code = (error as { data?: { code?: unknown } }).data?.code;
  const text = typeof message === "string" ? message : "";
  if (code === "BAD_REQUEST" && text) {
    const parts = text.split("; ").map((part) => {
      const m = ISSUE.exec(part);
      return m ? { path: stripConfig(m[1]!), message: m[2]! } : { path: null, message: part };
    });
    if (parts.some((p) => p.path !== null)) return parts;
  }
  const byField = Object.entries(fieldErrorsOf(error)).filter(([field]) => field !== "config");
  if (byField.length) return byField.flatMap(([field, messages]) => messages.map((m) => ({ path: stripConfig(field), message: m })));
  return text ? [{ path: null, message: text }] : [];
}

/**
 * Places a route error on the editor: each message goes to the closest field that is shown
 * ("targets.3.weight", else "targets.3", else "targets"), the rest to `form`.
 */
export function placeRouteErrors(error: unknown, isShown: (path: string) => boolean): { fields: Record<string, string>; form: string | null } {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const { path, message } of routeErrorMessages(error)) {
    let target: string | null = null;
    if (path) {
      const segments = path.split(".");
      for (let n = segments.length; n > 0 && !target; n--) {
        const candidate = segments.slice(0, n).join(".");
        if (isShown(candidate)) target = candidate;
      }
    }
    if (target) fields[target] = fields[target] ? `${fields[target]} ${message}` : message;
    else rest.push(path && !isShown(path) ? `${path}: ${message}` : message);
  }
  return { fields, form: rest.length ? rest.join(" ") : null };
}

/** Whether a TRPC error is the "someone saved this route meanwhile" conflict (not a taken slug or alias). */
export function isVersionConflict(error: unknown): boolean {
  const code = (error as { data?: { code?: unknown } } | null | undefined)?.data?.code;
  return code === "CONFLICT" && Object.keys(fieldErrorsOf(error)).length === 0;
}
