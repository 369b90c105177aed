/**
 * Data labels (PHI, PII, EU…) as people type them: one comma-separated line, like tags, but
 * upper-cased. The rule is the server's (dataLabelSchema in server/policies/schema.ts).
 */
export const DATA_LABEL_PATTERN = /^[A-Z0-9][A-Z0-9_.:-]{0,39}$/;
export const MAX_DATA_LABELS = 20;

/** "phi, EU ,,Phi" → ["PHI", "EU"]: trimmed, upper-cased, without empties or repeats. */
export function parseDataLabels(input: string): string[] {
  const seen = new Set<string>();
  for (const raw of input.split(/[,\n]/)) {
    const label = raw.trim().toUpperCase();
    if (label) seen.add(label);
  }
  return [...seen];
}

export function formatDataLabels(labels: readonly string[]): string {
  return labels.join(", ");
}

/** A message a person can act on, or null when the labels are fine. */
export function dataLabelsProblem(labels: readonly string[]): string | null {
  const bad = labels.filter((l) => !DATA_LABEL_PATTERN.test(l));
  if (bad.length) {
    const list = bad.map((l) => `“${l}”`).join(", ");
    return `${list} ${bad.length === 1 ? "is not a valid data label" : "are not valid data labels"}: a label is 1–40 letters, digits or _ . : - characters, e.g. PHI or EU, and labels are separated by commas`;
  }
  if (labels.length > MAX_DATA_LABELS) return `At most ${MAX_DATA_LABELS} data labels`;
  return null;
}
