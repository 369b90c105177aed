import { Prisma } from "@/server/generated/prisma/client";
import type { AgentProtocol, AgentStatus, SkillKind } from "@/server/generated/prisma/enums";
import type { Db } from "@/server/db";
import { summarySelect, toSummaries } from "./service";
import type { SearchHit } from "./schema";

/*
 * Skill and capability search: Postgres full-text search with weights (names A, skill tags, keys
 * and examples B, descriptions C). A misspelt query word is first corrected to the most similar
 * word the organization's agents are described with (pg_trgm over the small SearchWord table), so
 * typos cost one indexed lookup instead of a fuzzy scan of every skill. The weighted tsvectors are
 * generated columns (migration `search_vectors`) with GIN indexes.
 */
const AGENT_VECTOR = Prisma.sql`a."searchVector"`;
const SKILL_VECTOR = Prisma.sql`s."searchVector"`;

const MAX_QUERY_WORDS = 8;

export interface SearchFilters {
  protocol?: AgentProtocol;
  status?: AgentStatus;
  region?: string;
  tag?: string;
}

interface RankedRow {
  id: string;
  score: number;
  matched: { kind: SkillKind; key: string; name: string }[] | null;
  total: bigint;
}

function filterSql(f: SearchFilters) {
  const parts: Prisma.Sql[] = [];
  if (f.protocol) parts.push(Prisma.sql`a."protocol" = ${f.protocol}::"AgentProtocol"`);
  if (f.status) parts.push(Prisma.sql`a."status" = ${f.status}::"AgentStatus"`);
  if (f.region) parts.push(Prisma.sql`lower(a."region") = lower(${f.region})`);
  if (f.tag) parts.push(Prisma.sql`${f.tag} = ANY(a."tags")`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

/** The words of a query: letters and digits only, so they are safe inside tsquery syntax. */
export function queryWords(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_QUERY_WORDS);
}

/**
 * For each query word, the spellings to search for: the word itself, plus the organization's most
 * similar known word when the word itself is unknown (a typo).
 */
async function spellings(db: Db, orgId: string, words: string[]): Promise<string[][]> {
  const rows = await db.$queryRaw<{ word: string; known: boolean; suggestion: string | null }[]>`
    SELECT t.word,
           EXISTS (SELECT 1 FROM "SearchWord" w WHERE w."orgId" = ${orgId} AND w."word" = t.word) AS known,
           (SELECT w."word" FROM "SearchWord" w
             WHERE length(t.word) >= 3 AND w."orgId" = ${orgId} AND w."word" % t.word
             ORDER BY similarity(w."word", t.word) DESC, w."word" LIMIT 1) AS suggestion
    FROM unnest(${words}::text[]) WITH ORDINALITY AS t(word, i)
    ORDER BY t.i`;
  return rows.map((r) => (r.known || !r.suggestion || r.suggestion === r.word ? [r.word] : [r.word, r.suggestion]));
}

/** `(w1 | fix1) & (w2:* )`: every word must match (any spelling); the last one may be a prefix. */
function tsquery(words: string[][], join: "&&" | "||"): Prisma.Sql {
  const perWord = words.map((alternatives, i) => {
    const last = i === words.length - 1;
    const terms = alternatives.map((w) =>
      last && w.length >= 3 ? Prisma.sql`to_tsquery('english', ${`${w}:*`})` : Prisma.sql`plainto_tsquery('english', ${w})`,
    );
    return Prisma.sql`(${Prisma.join(terms, " || ")})`;
  });
  return Prisma.sql`(${Prisma.join(perWord, ` ${join} `)})`;
}

async function rank(db: Db, orgId: string, tsq: Prisma.Sql, filters: SearchFilters, limit: number, offset: number) {
  return db.$queryRaw<RankedRow[]>`
    WITH skill_hits AS (
      SELECT s."agentId", s."kind", s."key", s."name", ts_rank_cd(${SKILL_VECTOR}, ${tsq}, 1) AS score
      FROM "AgentSkill" s
      WHERE s."orgId" = ${orgId} AND ${SKILL_VECTOR} @@ ${tsq}
    ),
    agent_hits AS (
      SELECT a."id" AS "agentId", ts_rank_cd(${AGENT_VECTOR}, ${tsq}, 1) AS score
      FROM "Agent" a
      WHERE a."orgId" = ${orgId} AND ${AGENT_VECTOR} @@ ${tsq}
    ),
    per_agent AS (
      SELECT "agentId", max(score) AS score,
             (array_agg(json_build_object('kind', "kind", 'key', "key", 'name', "name") ORDER BY score DESC))[1:3] AS matched
      FROM skill_hits GROUP BY "agentId"
    )
    SELECT a."id",
           (coalesce(pa.score, 0) + 0.8 * coalesce(ah.score, 0))::float8 AS score,
           to_json(pa.matched) AS matched,
           count(*) OVER () AS total
    FROM "Agent" a
    LEFT JOIN per_agent pa ON pa."agentId" = a."id"
    LEFT JOIN agent_hits ah ON ah."agentId" = a."id"
    WHERE a."orgId" = ${orgId} AND (pa."agentId" IS NOT NULL OR ah."agentId" IS NOT NULL) ${filterSql(filters)}
    ORDER BY score DESC, a."name" ASC, a."id" ASC
    LIMIT ${limit} OFFSET ${offset}`;
}

/**
 * Ranks this organization's agents for a query: the best-matching skills (with which ones matched)
 * plus matches on the agent's own name, description and tags. All words must match; when that
 * finds nothing, any word may. Returns one page and the total.
 */
export async function searchAgents(opts: {
  db: Db;
  orgId: string;
  q: string;
  filters?: SearchFilters;
  limit: number;
  offset?: number;
}): Promise<{ hits: SearchHit[]; total: number }> {
  const { db, orgId, limit } = opts;
  const words = queryWords(opts.q);
  if (words.length === 0) return { hits: [], total: 0 };
  const alternatives = await spellings(db, orgId, words);
  const filters = opts.filters ?? {};
  const offset = opts.offset ?? 0;
  let rows = await rank(db, orgId, tsquery(alternatives, "&&"), filters, limit, offset);
  if (rows.length === 0 && words.length > 1) {
    // Any-word matching only when no agent matches every word, on every page alike.
    const allWordsMatchSomewhere = offset > 0 && (await rank(db, orgId, tsquery(alternatives, "&&"), filters, 1, 0)).length > 0;
    if (!allWordsMatchSomewhere) rows = await rank(db, orgId, tsquery(alternatives, "||"), filters, limit, offset);
  }
  if (rows.length === 0) return { hits: [], total: 0 };
  const agents = await db.agent.findMany({ where: { id: { in: rows.map((r) => r.id) }, orgId }, select: summarySelect });
  const byId = new Map((await toSummaries(db, agents)).map((a) => [a.id, a]));
  const hits = rows.flatMap((r) => {
    const agent = byId.get(r.id);
    return agent ? [{ agent, score: Math.round(r.score * 1000) / 1000, matchedSkills: r.matched ?? [] }] : [];
  });
  return { hits, total: Number(rows[0]?.total ?? 0) };
}

type SortKey = "name" | "createdAt" | "status" | "lastCheckedAt" | "relevance";

/**
 * The agents table: filters, sort and pagination done in the database. With a query the order is
 * relevance (the search ranking); without one, the chosen column.
 */
export async function listAgents(opts: {
  db: Db;
  orgId: string;
  q?: string;
  filters: SearchFilters;
  sort: SortKey;
  dir: "asc" | "desc";
  page: number;
  pageSize: number;
}) {
  const { db, orgId, filters, page, pageSize } = opts;
  if (opts.q) {
    const { hits, total } = await searchAgents({ db, orgId, q: opts.q, filters, limit: pageSize, offset: (page - 1) * pageSize });
    return { agents: hits.map((h) => ({ ...h.agent, matchedSkills: h.matchedSkills })), total, page, pageSize };
  }
  const where: Prisma.AgentWhereInput = {
    orgId,
    protocol: filters.protocol,
    status: filters.status,
    region: filters.region ? { equals: filters.region, mode: "insensitive" } : undefined,
    tags: filters.tag ? { has: filters.tag } : undefined,
  };
  const column = opts.sort === "relevance" ? "name" : opts.sort;
  const orderBy: Prisma.AgentOrderByWithRelationInput[] = [
    column === "lastCheckedAt" ? { lastCheckedAt: { sort: opts.dir, nulls: "last" } } : { [column]: opts.dir },
    { id: "asc" },
  ];
  const [rows, total] = await db.$transaction([
    db.agent.findMany({ where, orderBy, skip: (page - 1) * pageSize, take: pageSize, select: summarySelect }),
    db.agent.count({ where }),
  ]);
  return { agents: (await toSummaries(db, rows)).map((a) => ({ ...a, matchedSkills: [] })), total, page, pageSize };
}
