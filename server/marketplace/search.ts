import type { z } from "zod";
import { Prisma } from "@/server/generated/prisma/client";
import type { Db } from "@/server/db";
import { summarySelect, toSummary } from "./common";
import { encodeVersion } from "./compatibility";
import { HELIX_VERSION } from "@/server/version";
import semver from "semver";

/** This HelixAgent's version, encoded as the listings' helixVersions multiranges are. */
const helixVersionNumber = () => encodeVersion(semver.parse(HELIX_VERSION)!).toString();
import type { searchInput, SEARCH_SORTS } from "./schema";

/*
 * Marketplace search: Postgres full-text search over a weighted, generated tsvector (name A,
 * summary B, tags/categories/publisher C) OR trigram word similarity of the whole query against
 * the listing's search text (pg_trgm's `<%`, GIN-indexed), or of any longer word of it, so
 * "keywrd blockr" still finds "Keyword blocker". Only listings with an installable version are searched. Relevance is the text rank plus
 * the trigram similarity; "top rated" averages each listing's ratings with five neutral (3-star)
 * votes, so a single 5-star review does not outrank a hundred 4.8s.
 */

const MAX_QUERY_WORDS = 8;

export function queryWords(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_QUERY_WORDS);
}

/** Every word must match; the last one may be a prefix (people type as they search). */
function tsquery(words: string[]): Prisma.Sql {
  const parts = words.map((w, i) =>
    i === words.length - 1 && w.length >= 2 ? Prisma.sql`to_tsquery('english', ${`${w}:*`})` : Prisma.sql`plainto_tsquery('english', ${w})`,
  );
  return Prisma.sql`(${Prisma.join(parts, " && ")})`;
}

type Sort = (typeof SEARCH_SORTS)[number];

function orderBy(sort: Sort): Prisma.Sql {
  switch (sort) {
    case "relevance":
      return Prisma.sql`score DESC, l."installCount" DESC, l."name" ASC, l."id" ASC`;
    case "popular":
      return Prisma.sql`l."installCount" DESC, l."ratingCount" DESC, l."name" ASC, l."id" ASC`;
    case "rating":
      return Prisma.sql`(l."ratingAvg" * l."ratingCount" + 15) / (l."ratingCount" + 5) DESC, l."ratingCount" DESC, l."name" ASC, l."id" ASC`;
    case "newest":
      return Prisma.sql`l."publishedAt" DESC, l."id" DESC`;
  }
}

export async function searchListings(opts: { db: Db; input: z.output<typeof searchInput> }) {
  const { db, input } = opts;
  const words = queryWords(input.q ?? "");
  const sort: Sort = input.sort ?? (words.length ? "relevance" : "popular");
  const conditions: Prisma.Sql[] = [Prisma.sql`l."latestVersion" IS NOT NULL`];
  if (input.kind) conditions.push(Prisma.sql`l."kind" = ${input.kind}::"ListingKind"`);
  if (input.category) conditions.push(Prisma.sql`${input.category} = ANY(l."categories")`);
  if (input.verifiedOnly) conditions.push(Prisma.sql`p."verified"`);
  if (input.compatibleOnly) conditions.push(Prisma.sql`(l."helixVersions" IS NULL OR l."helixVersions" @> ${helixVersionNumber()}::int8)`);
  let score = Prisma.sql`0::float8`;
  if (words.length) {
    const tsq = tsquery(words);
    const phrase = words.join(" ");
    // Each longer word on its own too: in "keywrd blockr" the whole phrase is under the threshold
    // (0.59) while "blockr" alone is not; listings matching more of the words rank higher.
    const fuzzy = words.filter((w) => w.length >= 4);
    const perWord = words.length > 1 ? fuzzy.map((w) => Prisma.sql`${w} <% l."searchText"`) : [];
    conditions.push(Prisma.sql`(l."searchVector" @@ ${tsq} OR ${phrase} <% l."searchText"${perWord.length ? Prisma.sql` OR ${Prisma.join(perWord, " OR ")}` : Prisma.empty})`);
    const wordScore = perWord.length ? Prisma.sql` + (${Prisma.join(fuzzy.map((w) => Prisma.sql`word_similarity(${w}, l."searchText")`), " + ")}) / ${fuzzy.length}` : Prisma.empty;
    score = Prisma.sql`(ts_rank_cd(l."searchVector", ${tsq}, 1) + word_similarity(${phrase}, l."searchText")${wordScore})::float8`;
  }
  const where = Prisma.join(conditions, " AND ");
  const offset = (input.page - 1) * input.pageSize;
  const [rows, counted] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`
      SELECT l."id", ${score} AS score
      FROM "Listing" l JOIN "Publisher" p ON p."id" = l."publisherId"
      WHERE ${where}
      ORDER BY ${orderBy(sort)}
      LIMIT ${input.pageSize} OFFSET ${offset}`,
    db.$queryRaw<{ total: bigint }[]>`
      SELECT count(*) AS total FROM "Listing" l JOIN "Publisher" p ON p."id" = l."publisherId" WHERE ${where}`,
  ]);
  const total = Number(counted[0]?.total ?? 0);
  const found = rows.length ? await db.listing.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: summarySelect }) : [];
  const byId = new Map(found.map((l) => [l.id, l]));
  return {
    items: rows.flatMap((r) => {
      const row = byId.get(r.id);
      return row ? [toSummary(row)] : [];
    }),
    total,
    page: input.page,
    pageSize: input.pageSize,
    pageCount: Math.ceil(total / input.pageSize),
    sort,
  };
}
