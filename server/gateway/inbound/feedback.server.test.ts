import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Fleet } from "@/fleet";
import { specOf, startTestFleet } from "@/fleet/testing";
import { runRollup } from "@/server/analytics/rollup";
import type { Gateway } from "../server";
import { addFleetAgent, addKey, addRoute, newTestOrg, startTestGateway, type TestAgent } from "../testing";

// Feedback through a real gateway: real completions by a fleet agent, their telemetry rows in
// Postgres, feedback found by the answer's headers, then the quality rollup.

let fleet: Fleet;
let gateway: Gateway;
let org: Awaited<ReturnType<typeof newTestOrg>>;
let agent: TestAgent;
let route: { id: string; alias: string };
let key: { id: string; secret: string };
let otherOrgKey: { id: string; secret: string };

beforeAll(async () => {
  fleet = await startTestFleet([specOf("atlas-chat")]);
  org = await newTestOrg();
  agent = await addFleetAgent(org, fleet, "atlas-chat");
  route = await addRoute(org, { alias: "chat", targets: [{ agentId: agent.id }] });
  key = await addKey(org);
  const other = await newTestOrg();
  const otherAgent = await addFleetAgent(other, fleet, "atlas-chat");
  await addRoute(other, { alias: "chat", targets: [{ agentId: otherAgent.id }] });
  otherOrgKey = await addKey(other);
  gateway = await startTestGateway();
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await fleet?.stop();
});

/** A completion through the gateway; its ids from the answer's headers, once its telemetry row is written. */
async function complete(secret = key.secret) {
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hello" }], user: "alice" }),
  });
  expect(res.status).toBe(200);
  await res.text();
  await gateway.telemetry!.flush();
  return { traceId: res.headers.get("x-helix-trace-id")!, requestId: res.headers.get("x-helix-request-id")! };
}

const feedback = (body: unknown, secret: string | null = key.secret, method = "POST") =>
  fetch(`${gateway.url}/v1/feedback`, {
    method,
    headers: { "content-type": "application/json", ...(secret ? { authorization: `Bearer ${secret}` } : {}) },
    body: method === "GET" ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });

async function quality(orgId: string) {
  const totals = async (table: string) =>
    (
      await db().$queryRawUnsafe<{ n: number; sum: number }[]>(
        `SELECT coalesce(sum(feedback_count), 0)::int AS n, coalesce(sum(score_sum), 0)::float8 AS sum FROM telemetry.${table} WHERE org_id = $1`,
        orgId,
      )
    )[0]!;
  return { minute: await totals("quality_minute"), hour: await totals("quality_hour") };
}

describe("POST /v1/feedback", () => {
  it("takes feedback by the answer's trace id, stores it with the request's route, agent, key and subject, and the quality rollup counts it", async () => {
    const { traceId, requestId } = await complete();
    const res = await feedback({ trace_id: traceId, score: 0.8, label: "helpful" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; request_id: string; score: number };
    expect(body).toEqual({ id: expect.any(String), request_id: requestId, score: 0.8 });

    const rows = await db().$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT org_id, request_id, trace_id, route_id, agent_id, api_key_id, score, label, subject FROM telemetry.feedback WHERE id = $1`,
      body.id,
    );
    expect(rows).toEqual([
      { org_id: org.id, request_id: requestId, trace_id: traceId, route_id: route.id, agent_id: agent.id, api_key_id: key.id, score: 0.8, label: "helpful", subject: "alice" },
    ]);

    await runRollup({ db: db(), lagSeconds: 0 });
    expect(await quality(org.id)).toEqual({ minute: { n: 1, sum: 0.8 }, hour: { n: 1, sum: 0.8 } });
    // As if it had been given (and rolled up) an hour ago, so its replacement lands in another minute and hour.
    await db().$executeRawUnsafe(`UPDATE telemetry.feedback SET at = at - interval '1 hour' WHERE id = $1`, body.id);
    for (const table of ["quality_minute", "quality_hour"]) {
      await db().$executeRawUnsafe(`UPDATE telemetry.${table} SET bucket = bucket - interval '1 hour' WHERE org_id = $1`, org.id);
    }

    // Thumbs down by request id replaces it, in the rollups too (it had been rolled up already).
    const again = await feedback({ request_id: requestId, score: false });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ request_id: requestId, score: 0 });
    const stored = await db().$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM telemetry.feedback WHERE request_id = $1`, requestId);
    expect(stored[0]!.n).toBe(1);
    await runRollup({ db: db(), lagSeconds: 0 });
    expect(await quality(org.id)).toEqual({ minute: { n: 1, sum: 0 }, hour: { n: 1, sum: 0 } });

    // A replacement before any rollup ran is counted once as well.
    const second = await complete();
    expect((await feedback({ request_id: second.requestId, score: 0.25 })).status).toBe(201);
    expect((await feedback({ trace_id: second.traceId.toUpperCase(), score: true })).status).toBe(201);
    await runRollup({ db: db(), lagSeconds: 0 });
    expect(await quality(org.id)).toEqual({ minute: { n: 2, sum: 1 }, hour: { n: 2, sum: 1 } });
  });

  it("answers 404 for an unknown trace and for another organization's request, in OpenAI's error shape", async () => {
    const { traceId, requestId } = await complete();
    const unknown = await feedback({ trace_id: "0123456789abcdef0123456789abcdef", score: 1 });
    expect(unknown.status).toBe(404);
    const error = ((await unknown.json()) as { error: { message: string; type: string; code: string; param: string } }).error;
    expect(error).toMatchObject({ type: "invalid_request_error", code: "request_not_found", param: "trace_id" });
    expect(error.message).toMatch(/No request with that trace id in this organization/);

    expect((await feedback({ trace_id: traceId, score: 1 }, otherOrgKey.secret)).status).toBe(404);
    expect((await feedback({ request_id: requestId, score: 1 }, otherOrgKey.secret)).status).toBe(404);
    // A key scoped to another route of the same organization cannot judge this route's answers.
    const otherRoute = await addRoute(org, { alias: "other", targets: [{ agentId: agent.id }] });
    const scoped = await addKey(org, { routeIds: [otherRoute.id] });
    await gateway.config.reload();
    const scopedRes = await feedback({ request_id: requestId, score: 1 }, scoped.secret);
    expect(scopedRes.status).toBe(404);
    const stored = await db().$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM telemetry.feedback WHERE request_id = $1`, requestId);
    expect(stored[0]!.n).toBe(0);
  });

  it("answers 400 with the field for a bad body, 401 without a key and 405 for other methods", async () => {
    const { traceId } = await complete();
    const cases: [unknown, string | null][] = [
      [{ trace_id: traceId, score: 1.5 }, "score"],
      [{ trace_id: traceId, score: -0.1 }, "score"],
      [{ trace_id: traceId, score: "good" }, "score"],
      [{ trace_id: traceId }, "score"],
      [{ score: 1 }, "request_id"],
      [{ trace_id: traceId, score: 1, label: "x".repeat(101) }, "label"],
      [{ trace_id: 42, score: 1 }, "trace_id"],
      ["not json", null],
      [[1, 2], null],
    ];
    for (const [body, param] of cases) {
      const res = await feedback(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = ((await res.json()) as { error: { type: string; param: string | null; message: string } }).error;
      expect(error.type).toBe("invalid_request_error");
      expect(error.param).toBe(param);
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect((await feedback({ trace_id: traceId, score: 1 }, null)).status).toBe(401);
    expect((await feedback(null, key.secret, "GET")).status).toBe(405);
  });
});
