/** The rule the server applies to a tag (server/agents/schema.ts), for feedback before submitting. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9._:-]{0,39}$/;
export const MAX_TAGS = 20;

/** "ml, Search ,,ml" → ["ml", "search"]: comma-separated, trimmed, lowercased, without empties or repeats. */
export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  for (const raw of input.split(/[,\n]/)) {
    const tag = raw.trim().toLowerCase();
    if (tag) seen.add(tag);
  }
  return [...seen];
}

export function formatTags(tags: readonly string[]): string {
  return tags.join(", ");
}

/** A message a person can act on, or null when the tags are fine. */
export function tagsProblem(tags: readonly string[]): string | null {
  const bad = tags.filter((t) => !TAG_PATTERN.test(t));
  if (bad.length) {
    const list = bad.map((t) => `“${t}”`).join(", ");
    return `${list} ${bad.length === 1 ? "is not a valid tag" : "are not valid tags"}: a tag is 1–40 lowercase letters, digits or . _ : - characters, and tags are separated by commas`;
  }
  if (tags.length > MAX_TAGS) return `At most ${MAX_TAGS} tags`;
  return null;
}
