/**
 * The export file of a completed EXPORT request, produced while it is downloaded
 * (GET /api/orgs/<slug>/privacy/requests/<id>/export): one JSON document, streamed page by page, so
 * neither the database row nor the server's memory ever holds the whole of it.
 *
 * It holds what was stored about the subject in the organization up to the request's snapshot (the
 * instant its job counted), minus anything erased since: the same filters as the counts in
 * ./run, so the file and the counts agree.
 */
import { TRPCError } from "@trpc/server";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/audit/record";
import type { Context } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { SUBJECT_EVENTS_WHERE, SUBJECT_FEEDBACK_WHERE } from "./run";
import { requestResult } from "./schema";

export const EXPORT_FORMAT = "helixagent.data-subject-export/v1";
/** Rows per query while streaming. */
const PAGE_SIZE = 1_000;

/** A row's time as fixed-width UTC text with microseconds: the keyset cursor, exact. */
const cursorAt = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface ExportRequest {
  id: string;
  orgId: string;
  subject: string;
  createdAt: Date;
  completedAt: Date | null;
  snapshotAt: string;
  org: { name: string; slug: string };
}

interface EventRow {
  id: string;
  cursor_at: string;
  at: Date;
  kind: string;
  request_id: string;
  trace_id: string;
  api_key_id: string | null;
  route_id: string | null;
  agent_id: string | null;
  protocol: string;
  model: string | null;
  stream: boolean;
  status: number;
  error_class: string | null;
  latency_ms: number;
  ttft_ms: number | null;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number | null;
  attempt: number;
  retry: boolean;
  failover: boolean;
  policy_decisions: unknown;
}

interface FeedbackRow {
  id: string;
  cursor_at: string;
  at: Date;
  request_id: string;
  trace_id: string;
  route_id: string | null;
  agent_id: string | null;
  score: number;
  label: string | null;
}

/** Rows of one query in (at, id) order, a page at a time. */
async function* pages<T extends { id: string; cursor_at: string }>(fetch: (after: { at: string; id: string } | null) => Promise<T[]>): AsyncGenerator<T[]> {
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const rows = await fetch(after);
    if (rows.length) yield rows;
    if (rows.length < PAGE_SIZE) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.cursor_at, id: last.id };
  }
}

/** Names of the organization's routes and agents the rows mention, looked up once each. */
function nameBook(db: Db, orgId: string) {
  const routes = new Map<string, string | null>();
  const agents = new Map<string, string | null>();
  return {
    async learn(rows: { route_id: string | null; agent_id: string | null }[]) {
      const routeIds = [...new Set(rows.flatMap((r) => (r.route_id && !routes.has(r.route_id) ? [r.route_id] : [])))];
      const agentIds = [...new Set(rows.flatMap((r) => (r.agent_id && !agents.has(r.agent_id) ? [r.agent_id] : [])))];
      const [foundRoutes, foundAgents] = await Promise.all([
        routeIds.length ? db.route.findMany({ where: { orgId, id: { in: routeIds } }, select: { id: true, name: true } }) : [],
        agentIds.length ? db.agent.findMany({ where: { orgId, id: { in: agentIds } }, select: { id: true, name: true } }) : [],
      ]);
      for (const id of routeIds) routes.set(id, foundRoutes.find((r) => r.id === id)?.name ?? null);
      for (const id of agentIds) agents.set(id, foundAgents.find((a) => a.id === id)?.name ?? null);
    },
    // A deleted route or agent keeps its id, without a name.
    route: (id: string | null) => (id ? { id, name: routes.get(id) ?? null } : null),
    agent: (id: string | null) => (id ? { id, name: agents.get(id) ?? null } : null),
  };
}

/** The export document, as chunks of JSON text. */
export async function* exportDocument(db: Db, request: ExportRequest): AsyncGenerator<string> {
  const params = [request.orgId, request.subject, request.snapshotAt];
  const names = nameBook(db, request.orgId);
  const head = {
    format: EXPORT_FORMAT,
    organization: request.org,
    subject: request.subject,
    request: { id: request.id, createdAt: request.createdAt, completedAt: request.completedAt },
    snapshotAt: request.snapshotAt,
    generatedAt: new Date(),
    notes: [
      "gatewayEvents: one row per request to the gateway (kind request) and per call to an agent (kind attempt). Message contents are not stored.",
      "feedback: quality feedback on those requests.",
      "dataSubjectRequests: earlier requests made for this subject.",
    ],
  };
  const headText = JSON.stringify(head);
  yield `${headText.slice(0, -1)},\n"gatewayEvents": [`;

  let first = true;
  const events = pages<EventRow>((after) =>
    db.$queryRawUnsafe<EventRow[]>(
      `SELECT id, ${cursorAt("at")} AS cursor_at, at, kind, request_id, trace_id, api_key_id, route_id, agent_id, protocol, model, stream,
              status, error_class, latency_ms, ttft_ms, tokens_in, tokens_out, cost_usd, attempt, retry, failover, policy_decisions
         FROM telemetry.gateway_events
        WHERE ${SUBJECT_EVENTS_WHERE} ${after ? `AND at >= $5::timestamptz AND (at, id) > ($5::timestamptz, $6::text)` : ""}
        ORDER BY at, id LIMIT $4`,
      ...params,
      PAGE_SIZE,
      ...(after ? [after.at, after.id] : []),
    ),
  );
  for await (const rows of events) {
    await names.learn(rows);
    const text = rows.map((e) =>
      JSON.stringify({
        at: e.at,
        kind: e.kind,
        requestId: e.request_id,
        traceId: e.trace_id,
        route: names.route(e.route_id),
        agent: names.agent(e.agent_id),
        apiKeyId: e.api_key_id,
        protocol: e.protocol,
        model: e.model,
        stream: e.stream,
        status: e.status,
        errorClass: e.error_class,
        latencyMs: e.latency_ms,
        ttftMs: e.ttft_ms,
        tokensIn: e.tokens_in,
        tokensOut: e.tokens_out,
        costUsd: e.cost_usd,
        attempt: e.attempt,
        retry: e.retry,
        failover: e.failover,
        policyDecisions: e.policy_decisions ?? [],
      }),
    );
    yield `${first ? "\n" : ",\n"}${text.join(",\n")}`;
    first = false;
  }

  yield `\n],\n"feedback": [`;
  first = true;
  const feedback = pages<FeedbackRow>((after) =>
    db.$queryRawUnsafe<FeedbackRow[]>(
      `SELECT f.id, ${cursorAt("f.at")} AS cursor_at, f.at, f.request_id, f.trace_id, f.route_id, f.agent_id, f.score, f.label
         FROM telemetry.feedback f
        WHERE ${SUBJECT_FEEDBACK_WHERE} ${after ? `AND f.at >= $5::timestamptz AND (f.at, f.id) > ($5::timestamptz, $6::text)` : ""}
        ORDER BY f.at, f.id LIMIT $4`,
      ...params,
      PAGE_SIZE,
      ...(after ? [after.at, after.id] : []),
    ),
  );
  for await (const rows of feedback) {
    await names.learn(rows);
    const text = rows.map((f) =>
      JSON.stringify({
        at: f.at,
        requestId: f.request_id,
        traceId: f.trace_id,
        route: names.route(f.route_id),
        agent: names.agent(f.agent_id),
        score: f.score,
        label: f.label,
      }),
    );
    yield `${first ? "\n" : ",\n"}${text.join(",\n")}`;
    first = false;
  }

  const prior = await db.dataSubjectRequest.findMany({
    where: { orgId: request.orgId, subject: request.subject, id: { not: request.id }, createdAt: { lte: request.createdAt } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, status: true, createdAt: true, completedAt: true },
  });
  const priorText = prior.map((r) => JSON.stringify(r)).join(",\n");
  yield `\n],\n"dataSubjectRequests": [${priorText ? `\n${priorText}\n` : ""}]\n}\n`;
}

function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

const problem = (status: number, message: string) => Response.json({ error: { message } }, { status, headers: { "cache-control": "no-store" } });

/**
 * The download. The caller must be signed in and an admin of the organization (the same check as
 * dataSubject.get); anyone else, and any id that is not this organization's, gets 404.
 */
export async function exportResponse(opts: { ctx: Context; orgSlug: string; requestId: string }): Promise<Response> {
  const { ctx, orgSlug, requestId } = opts;
  if (!ctx.session) return problem(401, "Sign in to download the export");
  let view;
  try {
    view = await createCaller(ctx).dataSubject.get({ orgSlug, requestId });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    if (error.code === "UNAUTHORIZED") return problem(401, error.message);
    if (error.code === "NOT_FOUND" || error.code === "FORBIDDEN" || error.code === "BAD_REQUEST") return problem(404, "Data-subject request not found");
    throw error;
  }
  if (view.kind !== "EXPORT") return problem(404, "This is an erasure request; only exports have a file to download");
  if (view.status !== "COMPLETED") {
    return problem(409, view.status === "FAILED" ? "This export failed; create a new one" : "The export is not ready yet; try again when it has completed");
  }
  const row = await ctx.db.dataSubjectRequest.findFirstOrThrow({
    where: { id: requestId, org: { slug: orgSlug } },
    select: { id: true, orgId: true, subject: true, createdAt: true, completedAt: true, result: true, org: { select: { name: true, slug: true } } },
  });
  const result = requestResult.safeParse(row.result);
  const snapshotAt = (result.success && result.data.snapshotAt) || (row.completedAt ?? new Date()).toISOString();
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.session.id }, select: { id: true, email: true } });
  await ctx.db.$transaction((tx) =>
    recordAudit(tx, { orgId: row.orgId, actor: user, action: "data_subject_request.downloaded", targetType: "data_subject_request", targetId: row.id }),
  );
  const document = exportDocument(ctx.db, { ...row, snapshotAt });
  return new Response(streamOf(document), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="data-subject-export-${row.id}.json"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
