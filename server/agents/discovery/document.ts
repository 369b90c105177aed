/** Largest document kept with a discovery, serialised. Responses are capped at 1 MiB each; MCP servers may take many pages. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? "null", "utf8");

/**
 * A JSON-safe copy of `document` no larger than `maxBytes`: as is if it fits, else what `shrink`
 * makes of it (e.g. tools without their schemas), else a marker saying how large it was.
 */
export function capDocument(document: unknown, options: { maxBytes?: number; shrink?: (doc: unknown) => unknown } = {}): unknown {
  const maxBytes = options.maxBytes ?? MAX_DOCUMENT_BYTES;
  const safe = JSON.parse(JSON.stringify(document) ?? "null") as unknown;
  const bytes = size(safe);
  if (bytes <= maxBytes) return safe;
  if (options.shrink) {
    const smaller = options.shrink(safe);
    if (size(smaller) <= maxBytes) return smaller;
  }
  return { truncated: true, bytes };
}
