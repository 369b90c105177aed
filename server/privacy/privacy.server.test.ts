import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import type PgBoss from "pg-boss";
import { db, type Db } from "@/server/db";
import { env } from "@/server/env";
import { recordFeedback } from "@/server/analytics/feedback";
import { runRollup } from "@/server/analytics/rollup";
import { insertEvents } from "@/server/gateway/telemetry/sql";
import { sampleRecord } from "@/server/gateway/telemetry/testing";
import type { TelemetryRecord } from "@/server/gateway/types";
import { createBoss } from "@/server/jobs/queues";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectTRPCError, type TestOrg, type TestUser } from "@/server/test/fixtures";
import { createContext } from "@/server/trpc/context";
import { EXPORT_FORMAT, exportResponse } from "./export";
import { PRIVACY_QUEUES, registerPrivacyQueues, startPrivacyWorkers } from "./jobs";
import { unsafeRunDataSubjectRequest } from "./run";

// Real telemetry rows and feedback in two organizations that both know the same subject, the real
// worker function, the real rollup job and the download handler with a real session.

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});
afterAll(async () => {
  await pool?.end();
});

const MINUTE = 60_000;

interface Org {
  org: TestOrg;
  owner: TestUser;
}

async function makeOrg(label: string): Promise<Org> {
  const owner = await createUser();
  const org = await createOrg({ owner, slug: `${label}-${randomUUID().slice(0, 8)}` });
  return { org, owner };
}

/** `n` requests of `subject` in `orgId` at `at`, each with one attempt row; returns the request records. */
async function traffic(orgId: string, subject: string | null, n: number, at: number): Promise<TelemetryRecord[]> {
  const requests = Array.from({ length: n }, (_, i) =>
    sampleRecord({ orgId, subject, at: at + i, traceId: randomUUID().replaceAll("-", ""), tokensIn: 10 + i, costUsd: 0.001 * (i + 1) }),
  );
  const attempts = requests.map((r) => sampleRecord({ ...r, id: randomUUID(), kind: "attempt", requestId: r.id }));
  await insertEvents(pool, [...requests, ...attempts]);
  return requests;
}

/** Everything about a subject in an organization, straight from the tables. */
async function stored(orgId: string, subject: string) {
  const events = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry.gateway_events WHERE org_id = $1 AND subject = $2`, [orgId, subject]);
  const feedback = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry.feedback WHERE org_id = $1 AND subject = $2`, [orgId, subject]);
  return { events: events.rows[0]!.n, feedback: feedback.rows[0]!.n };
}

/** What the rollups are computed from: if these stay, any recomputation gives the same aggregates. */
async function rawTotals(orgId: string) {
  const { rows } = await pool.query(
    `SELECT (SELECT count(*)::int FROM telemetry.gateway_events WHERE org_id = $1) AS events,
            (SELECT coalesce(sum(tokens_in), 0)::int FROM telemetry.gateway_events WHERE org_id = $1) AS tokens_in,
            (SELECT count(*)::int FROM telemetry.feedback WHERE org_id = $1) AS feedback,
            (SELECT coalesce(sum(score), 0)::float8 FROM telemetry.feedback WHERE org_id = $1) AS score_sum`,
    [orgId],
  );
  return rows[0] as Record<string, number>;
}

/** Every rollup row of the organizations, deterministic. */
async function rollupSnapshot(orgIds: string[]): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const table of ["rollup_minute", "rollup_hour", "rollup_day", "quality_minute", "quality_hour", "quality_day"]) {
    const { rows } = await pool.query(`SELECT * FROM telemetry.${table} WHERE org_id = ANY($1::text[]) ORDER BY org_id, bucket, route_id, agent_id`, [orgIds]);
    out[table] = rows;
  }
  return JSON.stringify(out);
}

/** Two organizations that both know `subject`, with traffic and feedback, plus another subject and anonymous traffic in A. */
async function world() {
  const a = await makeOrg("dsr-a");
  const b = await makeOrg("dsr-b");
  const subject = `user-${randomUUID().slice(0, 8)}@example.com`;
  const other = `other-${randomUUID().slice(0, 8)}`;
  const at = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
  const aSubject = await traffic(a.org.id, subject, 3, at);
  const aOther = await traffic(a.org.id, other, 2, at);
  await traffic(a.org.id, null, 1, at);
  const bSubject = await traffic(b.org.id, subject, 2, at);
  const decisions = [{ policyId: "p1", name: "Redact emails", effect: "REDACT", mode: "ENFORCE", applied: true }];
  await pool.query(`UPDATE telemetry.gateway_events SET policy_decisions = $2::jsonb WHERE id = $1`, [aSubject[0]!.id, JSON.stringify(decisions)]);
  const feedback = (orgId: string, requestId: string, score: number, label: string) => recordFeedback({ db: pool, orgId, requestId, score, label });
  await feedback(a.org.id, aSubject[0]!.id, 1, "helpful");
  await feedback(a.org.id, aSubject[1]!.id, 0.2, "mentions my address");
  await feedback(a.org.id, aOther[0]!.id, 0.5, "other label");
  await feedback(b.org.id, bSubject[0]!.id, 0.9, "b label");
  // Feedback whose request rows are gone (raw retention) but which still names the subject.
  await pool.query(
    `INSERT INTO telemetry.feedback (id, org_id, request_id, trace_id, score, label, at, subject) VALUES ($1, $2, $3, $4, 0.7, 'orphan', now(), $5)`,
    [randomUUID(), a.org.id, randomUUID(), randomUUID().replaceAll("-", ""), subject],
  );
  return { a, b, subject, other, at, aSubject, aOther, bSubject, decisions };
}

/** The real client, except that its first transaction (the erase's first batch) fails as if the connection dropped. */
function firstBatchFails(): Db {
  const real = db();
  let transactions = 0;
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "$transaction") {
        return (...args: Parameters<Db["$transaction"]>) => (transactions++ === 0 ? Promise.reject(new Error("database went away")) : target.$transaction(...args));
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function download(user: { id: string } | null, orgSlug: string, requestId: string) {
  return exportResponse({ ctx: createContext({ db: db(), session: user ? { id: user.id } : null }), orgSlug, requestId });
}

describe("dataSubject.create", () => {
  it("refuses invalid subjects with a message saying what is wrong", async () => {
    const { org, owner } = await makeOrg("dsr-invalid");
    const create = (subject: string) => callerFor(owner).dataSubject.create({ orgSlug: org.slug, subject, kind: "EXPORT" });
    await expectTRPCError(create(""), "BAD_REQUEST", "Give the subject identifier");
    await expectTRPCError(create("x".repeat(257)), "BAD_REQUEST", "at most 256 characters");
    await expectTRPCError(create("alice\nbob"), "BAD_REQUEST", "printable characters only");
    await expectTRPCError(create(" alice"), "BAD_REQUEST", "matched exactly");
    const { shape } = await expectTRPCError(create("bell\u0007"), "BAD_REQUEST");
    expect(shape.data.fieldErrors?.subject?.[0]).toContain("printable");
    expect(await db().dataSubjectRequest.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("is for admins: an editor is refused, and another organization's request is not found", async () => {
    const a = await makeOrg("dsr-roles-a");
    const b = await makeOrg("dsr-roles-b");
    const editor = await createMember(a.org, "EDITOR");
    await expectTRPCError(callerFor(editor.user).dataSubject.create({ orgSlug: a.org.slug, subject: "s", kind: "ERASE" }), "FORBIDDEN", "Admin");
    await expectTRPCError(callerFor(editor.user).dataSubject.list({ orgSlug: a.org.slug }), "FORBIDDEN");
    const made = await callerFor(a.owner).dataSubject.create({ orgSlug: a.org.slug, subject: "s", kind: "EXPORT" });
    await expectTRPCError(callerFor(b.owner).dataSubject.get({ orgSlug: b.org.slug, requestId: made.id }), "NOT_FOUND", "Data-subject request not found");
    await expectTRPCError(callerFor(b.owner).dataSubject.get({ orgSlug: a.org.slug, requestId: made.id }), "NOT_FOUND");
    expect(await callerFor(b.owner).dataSubject.list({ orgSlug: b.org.slug })).toEqual([]);
    // And the worker never touches b's rows when it runs a's request: see the erase test below.
  });

  it("records who asked, audits without the identifier, and refuses a second one of the same kind while the first is open", async () => {
    const { org, owner } = await makeOrg("dsr-create");
    const made = await callerFor(owner).dataSubject.create({ orgSlug: org.slug, subject: "alice@example.com", kind: "ERASE" });
    expect(made).toMatchObject({ subject: "alice@example.com", kind: "ERASE", status: "PENDING", requestedByEmail: owner.email, result: null, completedAt: null });
    const [event] = await auditEventsOf(org.id, { action: "data_subject_request.created" });
    expect(event).toMatchObject({ actorId: owner.id, targetType: "data_subject_request", targetId: made.id, after: { kind: "ERASE" } });
    expect(JSON.stringify(event)).not.toContain("alice@example.com");
    await expectTRPCError(
      callerFor(owner).dataSubject.create({ orgSlug: org.slug, subject: "alice@example.com", kind: "ERASE" }),
      "CONFLICT",
      "already under way",
    );
    // An export of the same subject meanwhile is fine.
    await callerFor(owner).dataSubject.create({ orgSlug: org.slug, subject: "alice@example.com", kind: "EXPORT" });
    expect((await callerFor(owner).dataSubject.list({ orgSlug: org.slug })).map((r) => r.kind)).toEqual(["EXPORT", "ERASE"]);
  });
});

describe("export", () => {
  it("finds exactly the organization's rows of that subject, and the download streams them as an attachment", async () => {
    const w = await world();
    const made = await callerFor(w.a.owner).dataSubject.create({ orgSlug: w.a.org.slug, subject: w.subject, kind: "EXPORT" });
    const outcome = await unsafeRunDataSubjectRequest({ db: db(), requestId: made.id });
    expect(outcome).toMatchObject({ ran: true, status: "COMPLETED" });
    const done = await callerFor(w.a.owner).dataSubject.get({ orgSlug: w.a.org.slug, requestId: made.id });
    expect(done.status).toBe("COMPLETED");
    expect(done.completedAt).toBeInstanceOf(Date);
    expect(done.result).toMatchObject({ requests: 3, attempts: 3, feedback: 3, priorRequests: 0 });
    const [completed] = await auditEventsOf(w.a.org.id, { action: "data_subject_request.completed" });
    expect(completed).toMatchObject({ actorId: null, targetId: made.id, after: { kind: "EXPORT", requests: 3, attempts: 3, feedback: 3 } });

    const response = await download(w.a.owner, w.a.org.slug, made.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="data-subject-export-${made.id}.json"`);
    expect(response.headers.get("content-type")).toContain("application/json");
    const file = (await response.json()) as {
      format: string;
      subject: string;
      organization: { slug: string };
      gatewayEvents: { requestId: string; kind: string; traceId: string; status: number; tokensIn: number; costUsd: number; policyDecisions: unknown[] }[];
      feedback: { requestId: string; score: number; label: string }[];
      dataSubjectRequests: unknown[];
    };
    expect(file).toMatchObject({ format: EXPORT_FORMAT, subject: w.subject, organization: { slug: w.a.org.slug }, dataSubjectRequests: [] });
    const ids = new Set(w.aSubject.map((r) => r.id));
    expect(file.gatewayEvents).toHaveLength(6);
    expect(file.gatewayEvents.every((e) => ids.has(e.requestId))).toBe(true);
    expect(file.gatewayEvents.filter((e) => e.kind === "attempt")).toHaveLength(3);
    const first = file.gatewayEvents.find((e) => e.requestId === w.aSubject[0]!.id && e.kind === "request")!;
    expect(first).toMatchObject({ traceId: w.aSubject[0]!.traceId, status: 200, tokensIn: 10, costUsd: 0.001, policyDecisions: w.decisions });
    expect(file.feedback.map((f) => f.label).sort()).toEqual(["helpful", "mentions my address", "orphan"]);
    expect(await auditEventsOf(w.a.org.id, { action: "data_subject_request.downloaded" })).toHaveLength(1);

    // The other organization's export of the same subject finds only its own rows.
    const inB = await callerFor(w.b.owner).dataSubject.create({ orgSlug: w.b.org.slug, subject: w.subject, kind: "EXPORT" });
    await unsafeRunDataSubjectRequest({ db: db(), requestId: inB.id });
    expect((await callerFor(w.b.owner).dataSubject.get({ orgSlug: w.b.org.slug, requestId: inB.id })).result).toMatchObject({ requests: 2, attempts: 2, feedback: 1 });
  });

  it("pages through many rows in order, keeping the document valid JSON", async () => {
    const { org, owner } = await makeOrg("dsr-pages");
    const subject = `many-${randomUUID().slice(0, 6)}`;
    await traffic(org.id, subject, 1_100, Date.now() - 30 * MINUTE);
    const made = await callerFor(owner).dataSubject.create({ orgSlug: org.slug, subject, kind: "EXPORT" });
    await unsafeRunDataSubjectRequest({ db: db(), requestId: made.id });
    const file = (await (await download(owner, org.slug, made.id)).json()) as { gatewayEvents: { at: string; requestId: string; kind: string }[] };
    expect(file.gatewayEvents).toHaveLength(2_200);
    expect(new Set(file.gatewayEvents.map((e) => `${e.kind}:${e.requestId}`)).size).toBe(2_200);
  });

  it("completes with zero counts for a subject nothing is stored about", async () => {
    const { org, owner } = await makeOrg("dsr-none");
    const made = await callerFor(owner).dataSubject.create({ orgSlug: org.slug, subject: "nobody", kind: "EXPORT" });
    await unsafeRunDataSubjectRequest({ db: db(), requestId: made.id });
    const done = await callerFor(owner).dataSubject.get({ orgSlug: org.slug, requestId: made.id });
    expect(done).toMatchObject({ status: "COMPLETED", error: null, result: { requests: 0, attempts: 0, feedback: 0, priorRequests: 0 } });
    const file = (await (await download(owner, org.slug, made.id)).json()) as { gatewayEvents: unknown[]; feedback: unknown[] };
    expect(file.gatewayEvents).toEqual([]);
    expect(file.feedback).toEqual([]);
  });

  it("downloads only for admins of the request's organization, and only completed exports", async () => {
    const a = await makeOrg("dsr-dl-a");
    const b = await makeOrg("dsr-dl-b");
    const editor = await createMember(a.org, "EDITOR");
    const exp = await callerFor(a.owner).dataSubject.create({ orgSlug: a.org.slug, subject: "s1", kind: "EXPORT" });
    const erase = await callerFor(a.owner).dataSubject.create({ orgSlug: a.org.slug, subject: "s1", kind: "ERASE" });
    expect((await download(a.owner, a.org.slug, exp.id)).status).toBe(409); // still pending
    await unsafeRunDataSubjectRequest({ db: db(), requestId: exp.id });
    await unsafeRunDataSubjectRequest({ db: db(), requestId: erase.id });
    expect((await download(a.owner, a.org.slug, exp.id)).status).toBe(200);
    expect((await download(null, a.org.slug, exp.id)).status).toBe(401);
    expect((await download(editor.user, a.org.slug, exp.id)).status).toBe(404);
    expect((await download(b.owner, a.org.slug, exp.id)).status).toBe(404);
    expect((await download(b.owner, b.org.slug, exp.id)).status).toBe(404);
    expect((await download(a.owner, a.org.slug, "not-an-id")).status).toBe(404);
    const eraseDownload = await download(a.owner, a.org.slug, erase.id);
    expect(eraseDownload.status).toBe(404);
    expect(await eraseDownload.json()).toEqual({ error: { message: expect.stringContaining("only exports") } });
    expect(await auditEventsOf(b.org.id, { action: "data_subject_request.downloaded" })).toEqual([]);
  });
});

describe("erase", () => {
  it("unlinks the subject in that organization only, in resumable batches, keeping rollups and scores", async () => {
    const w = await world();
    const orgIds = [w.a.org.id, w.b.org.id];
    await runRollup({ db: pool, lagSeconds: 0 });
    const rollupsBefore = await rollupSnapshot(orgIds);
    const rawBefore = await rawTotals(w.a.org.id);
    const scoresBefore = await pool.query(`SELECT id, score FROM telemetry.feedback WHERE org_id = $1 ORDER BY id`, [w.a.org.id]);

    const made = await callerFor(w.a.owner).dataSubject.create({ orgSlug: w.a.org.slug, subject: w.subject, kind: "ERASE" });
    // A worker that dies after one batch of two rows…
    const partial = await unsafeRunDataSubjectRequest({ db: db(), requestId: made.id, batchSize: 2, stopAfterBatches: 1 });
    expect(partial).toMatchObject({ ran: true, status: "RUNNING" });
    const midway = await callerFor(w.a.owner).dataSubject.get({ orgSlug: w.a.org.slug, requestId: made.id });
    expect(midway.status).toBe("RUNNING");
    expect(midway.result!.requests + midway.result!.attempts).toBe(2);
    expect((await stored(w.a.org.id, w.subject)).events).toBe(4);
    // …and the retry finishes the job with exact counts.
    const finished = await unsafeRunDataSubjectRequest({ db: db(), requestId: made.id, batchSize: 2 });
    expect(finished).toMatchObject({ ran: true, status: "COMPLETED", result: { requests: 3, attempts: 3, feedback: 3 } });
    const done = await callerFor(w.a.owner).dataSubject.get({ orgSlug: w.a.org.slug, requestId: made.id });
    expect(done).toMatchObject({ status: "COMPLETED", result: { requests: 3, attempts: 3, feedback: 3 } });
    expect(done.result!.batches).toBeGreaterThan(2);
    const [completed] = await auditEventsOf(w.a.org.id, { action: "data_subject_request.completed" });
    expect(completed).toMatchObject({ targetId: made.id, after: { kind: "ERASE", requests: 3, attempts: 3, feedback: 3 } });

    // Nothing in A names the subject any more; the rows themselves are still there.
    expect(await stored(w.a.org.id, w.subject)).toEqual({ events: 0, feedback: 0 });
    const ids = w.aSubject.map((r) => r.id);
    const erasedRows = await pool.query(`SELECT subject FROM telemetry.gateway_events WHERE org_id = $1 AND request_id = ANY($2::text[])`, [w.a.org.id, ids]);
    expect(erasedRows.rows).toHaveLength(6);
    expect(erasedRows.rows.every((r) => r.subject === null)).toBe(true);
    const erasedFeedback = await pool.query(`SELECT label, subject, score FROM telemetry.feedback WHERE org_id = $1 AND request_id = ANY($2::text[]) ORDER BY score`, [w.a.org.id, ids]);
    expect(erasedFeedback.rows).toEqual([
      { label: null, subject: null, score: 0.2 },
      { label: null, subject: null, score: 1 },
    ]);
    // The other subject in A, and the same subject in B, are untouched.
    expect(await stored(w.a.org.id, w.other)).toEqual({ events: 4, feedback: 1 });
    expect((await pool.query(`SELECT label FROM telemetry.feedback WHERE org_id = $1 AND request_id = $2`, [w.a.org.id, w.aOther[0]!.id])).rows).toEqual([{ label: "other label" }]);
    expect(await stored(w.b.org.id, w.subject)).toEqual({ events: 4, feedback: 1 });
    expect((await pool.query(`SELECT label FROM telemetry.feedback WHERE org_id = $1`, [w.b.org.id])).rows).toEqual([{ label: "b label" }]);

    // Aggregates: the raw rows they are computed from are all there with the same values and scores…
    expect(await rawTotals(w.a.org.id)).toEqual(rawBefore);
    expect((await pool.query(`SELECT id, score FROM telemetry.feedback WHERE org_id = $1 ORDER BY id`, [w.a.org.id])).rows).toEqual(scoresBefore.rows);
    // …the rollups are unchanged after the rollup job runs again…
    await runRollup({ db: pool, lagSeconds: 0 });
    expect(await rollupSnapshot(orgIds)).toEqual(rollupsBefore);
    // …and a late row that makes the job recompute the erased rows' minute from raw rows counts them all.
    await insertEvents(pool, [sampleRecord({ orgId: w.a.org.id, at: w.at + 30_000, subject: null })]);
    await runRollup({ db: pool, lagSeconds: 0 });
    const minute = await pool.query<{ requests: number }>(`SELECT sum(requests)::int AS requests FROM telemetry.rollup_minute WHERE org_id = $1 AND bucket = $2`, [
      w.a.org.id,
      new Date(w.at),
    ]);
    expect(minute.rows[0]!.requests).toBe(3 + 2 + 1 + 1);

    // Idempotent: the finished request is left alone, and erasing again finds nothing.
    expect(await unsafeRunDataSubjectRequest({ db: db(), requestId: made.id })).toEqual({ ran: false });
    const again = await callerFor(w.a.owner).dataSubject.create({ orgSlug: w.a.org.slug, subject: w.subject, kind: "ERASE" });
    await unsafeRunDataSubjectRequest({ db: db(), requestId: again.id });
    expect((await callerFor(w.a.owner).dataSubject.get({ orgSlug: w.a.org.slug, requestId: again.id })).result).toMatchObject({ requests: 0, attempts: 0, feedback: 0 });
    expect(await auditEventsOf(w.a.org.id, { action: "data_subject_request.completed" })).toHaveLength(2);

    // An export afterwards finds nothing but the requests themselves.
    const exp = await callerFor(w.a.owner).dataSubject.create({ orgSlug: w.a.org.slug, subject: w.subject, kind: "EXPORT" });
    await unsafeRunDataSubjectRequest({ db: db(), requestId: exp.id });
    expect((await callerFor(w.a.owner).dataSubject.get({ orgSlug: w.a.org.slug, requestId: exp.id })).result).toMatchObject({
      requests: 0,
      attempts: 0,
      feedback: 0,
      priorRequests: 2,
    });
  });

  it("marks the request FAILED on the last attempt and audits it; earlier attempts are left to the retry", async () => {
    const { org, owner } = await makeOrg("dsr-fail");
    const made = await callerFor(owner).dataSubject.create({ orgSlug: org.slug, subject: "s", kind: "ERASE" });
    await expect(unsafeRunDataSubjectRequest({ db: firstBatchFails(), requestId: made.id })).rejects.toThrow("database went away");
    expect(await callerFor(owner).dataSubject.get({ orgSlug: org.slug, requestId: made.id })).toMatchObject({ status: "RUNNING", error: expect.stringContaining("will be retried") });
    expect(await unsafeRunDataSubjectRequest({ db: firstBatchFails(), requestId: made.id, finalAttempt: true })).toMatchObject({ ran: true, status: "FAILED" });
    expect(await callerFor(owner).dataSubject.get({ orgSlug: org.slug, requestId: made.id })).toMatchObject({ status: "FAILED", error: "database went away" });
    expect(await auditEventsOf(org.id, { action: "data_subject_request.failed" })).toHaveLength(1);
  });
});

describe("the job queue", () => {
  let boss: PgBoss | undefined;
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true });
  });

  it("queues the job with the request and a worker carries it out", async () => {
    const { org, owner } = await makeOrg("dsr-queue");
    // Made before any worker set up the queue? It is picked up when a worker starts.
    boss = createBoss(env().DATABASE_URL);
    await boss.start();
    await registerPrivacyQueues(boss);
    const made = await callerFor(owner).dataSubject.create({ orgSlug: org.slug, subject: "queued", kind: "EXPORT" });
    const jobs = await pool.query(`SELECT data FROM pgboss.job WHERE name = $1 AND singleton_key = $2`, [PRIVACY_QUEUES.request, made.id]);
    expect(jobs.rows).toEqual([{ data: { requestId: made.id } }]);
    await startPrivacyWorkers({ boss, db: db() });
    await vi.waitFor(
      async () => expect((await callerFor(owner).dataSubject.get({ orgSlug: org.slug, requestId: made.id })).status).toBe("COMPLETED"),
      { timeout: 20_000, interval: 200 },
    );
  });
});
