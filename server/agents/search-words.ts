import type { Tx, Db } from "@/server/db";

/** Words of 3–40 letters or digits; shorter ones are noise for typo correction. */
export function searchWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{3,40}/gu) ?? [];
  return [...new Set(words)];
}

/** Adds the words of `texts` to the organization's search vocabulary (existing ones are kept). */
export async function rememberSearchWords(tx: Tx | Db, orgId: string, texts: string[]): Promise<void> {
  const words = searchWords(texts.join(" "));
  if (words.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "SearchWord" ("orgId", "word")
    SELECT ${orgId}, w FROM unnest(${words}::text[]) AS w
    ON CONFLICT DO NOTHING`;
}
