import { Prisma } from "@/server/generated/prisma/client";
import type { AgentProtocol, AgentStatus, SkillKind } from "@/server/generated/prisma/enums";
import type { Db } from "@/server/db";
import { summarySelect, toSummary } from "./service";
import type { SearchHit } from "./schema";

/*
 * Skill and capability search: Postgres full-text search with weights (names A, skill tags and
 * examples B, descriptions C) for words, plus trigram word similarity for typos and fragments.
 * The tsvector expressions below are exactly those of the GIN expression indexes in the
 * `agents` migration; change them together or the indexes stop being used.
 */
const AGENT_VECTOR = Prisma.sql`(
  setweight(to_tsvector('english', a."name"), 'A') ||
  setweight(to_tsvector('english', coalesce(a."description", '')), 'C') ||
  setweight(to_tsvector('english', a."searchText"), 'D'))`;
const SKILL_VECTOR = Prisma.sql`(
  setweight(to_tsvector('english', s."name"), 'A') ||
  setweight(to_tsvector('english', s."searchText"), 'B') ||
  setweight(to_tsvector('english', coalesce(s."description", '')), 'C'))`;

/** How alike a word of the text must be to the query to count as a typo match (pg_trgm, 0..1). */
const WORD_SIMILARITY = 0.45;

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

/**
 * Ranks this organization's agents for a query: the best-matching skills (with which ones matched)
 * plus matches on the agent's own name, description and tags. Returns one page and the total.
 */
export async function searchAgents(opts: {
  db: Db;
  orgId: string;
  q: string;
  filters?: SearchFilters;
  limit: number;
  offset?: number;
}): Promise<{ hits: SearchHit[]; total: number }> {
  const { db, orgId, q, limit } = opts;
  const offset = opts.offset ?? 0;
  const [, rows] = await db.$transaction([
    db.$queryRaw`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY)}, true)`,
    db.$queryRaw<RankedRow[]>`
      WITH params AS (SELECT websearch_to_tsquery('english', ${q}) AS tsq, lower(${q}) AS raw),
      skill_hits AS (
        SELECT s."agentId", s."kind", s."key", s."name",
               ts_rank_cd(${SKILL_VECTOR}, p.tsq, 1) * 2 + word_similarity(p.raw, s."searchText") AS score
        FROM "AgentSkill" s CROSS JOIN params p
        WHERE s."orgId" = ${orgId} AND (${SKILL_VECTOR} @@ p.tsq OR p.raw <% s."searchText")
      ),
      agent_hits AS (
        SELECT a."id" AS "agentId",
               ts_rank_cd(${AGENT_VECTOR}, p.tsq, 1) * 2 + word_similarity(p.raw, a."searchText") AS score
        FROM "Agent" a CROSS JOIN params p
        WHERE a."orgId" = ${orgId} AND (${AGENT_VECTOR} @@ p.tsq OR p.raw <% a."searchText")
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
      WHERE a."orgId" = ${orgId} AND (pa."agentId" IS NOT NULL OR ah."agentId" IS NOT NULL) ${filterSql(opts.filters ?? {})}
      ORDER BY score DESC, a."name" ASC
      LIMIT ${limit} OFFSET ${offset}`,
  ]);
  if (rows.length === 0) return { hits: [], total: 0 };
  const agents = await db.agent.findMany({ where: { id: { in: rows.map((r) => r.id) }, orgId }, select: summarySelect });
  const byId = new Map(agents.map((a) => [a.id, toSummary(a)]));
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
    return { agents: hits.map((h) => h.agent), total, page, pageSize };
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
  return { agents: rows.map(toSummary), total, page, pageSize };
}
