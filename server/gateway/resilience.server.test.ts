/**
 * The gateway under failure, with the real demo fleet, a real gateway and real Postgres: an agent
 * killed, hung or answering 500s in the middle of a sustained load; an agent dying mid-stream; and
 * Postgres unreachable for 30 s. Clients must not notice, and telemetry must count every request
 * exactly once.
 */
import OpenAI from "openai";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { startFleet, type Fleet } from "@/fleet";
import { INSTANT, specOf } from "@/fleet/testing";
import type { Gateway } from "./server";
import { countGatewayEvents } from "./telemetry";
import { startTcpProxy } from "./test-proxy";
import { addFleetAgent, addKey, addRoute, eventually, newTestOrg, startTestGateway } from "./testing";

const DATABASE_URL = process.env.DATABASE_URL!;

let gateway: Gateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});

afterAll(async () => {
  await gateway?.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the gateway's snapshot has the key and the route (they reach it through NOTIFY). */
async function untilServed(gw: Gateway, secret: string, alias: string) {
  await eventually(async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toContain(alias);
  });
}

interface LoadReport {
  sent: number;
  ok: number;
  /** What went wrong with each request that failed: status and the start of the body. */
  failures: string[];
}

/**
 * Open-loop load: `ratePerSecond` chat completions on a schedule that does not wait for answers
 * (a slow gateway does not slow the clients down), over a few keep-alive connections. Each answer
 * must be a 200 with the exact text the atlas responder gives for that request's prompt.
 */
function startLoad(opts: { url: string; secret: string; model: string; ratePerSecond: number; connections?: number }) {
  const dispatcher = new Agent({ connections: opts.connections ?? 8 });
  const report: LoadReport = { sent: 0, ok: 0, failures: [] };
  const inFlight = new Set<Promise<void>>();
  const startedAt = performance.now();

  const fire = (i: number) => {
    const prompt = `ping ${i}`;
    const done = (async () => {
      try {
        const res = await request(`${opts.url}/v1/chat/completions`, {
          method: "POST",
          dispatcher,
          headers: { "content-type": "application/json", authorization: `Bearer ${opts.secret}` },
          body: JSON.stringify({ model: opts.model, messages: [{ role: "user", content: prompt }] }),
        });
        const text = await res.body.text();
        if (res.statusCode !== 200) {
          report.failures.push(`${res.statusCode} ${text.slice(0, 300)}`);
          return;
        }
        const content = (JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0]?.message.content;
        if (content !== `atlas-small: You said: ${prompt}`) report.failures.push(`200 with the wrong answer: ${text.slice(0, 300)}`);
        else report.ok++;
      } catch (error) {
        report.failures.push(`no answer: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) * opts.ratePerSecond) / 1000);
    while (report.sent < due) fire(report.sent++);
  }, 5);

  let stopping: Promise<LoadReport> | null = null;
  return {
    report,
    stop(): Promise<LoadReport> {
      stopping ??= (async () => {
        clearInterval(timer);
        while (inFlight.size > 0) await Promise.all(inFlight);
        await dispatcher.close();
        return report;
      })();
      return stopping;
    },
  };
}

interface AttemptRow {
  agent_id: string;
  at: Date;
  status: number;
  error_class: string | null;
  retry: boolean;
  failover: boolean;
}

function attemptRows(orgId: string): Promise<AttemptRow[]> {
  return db().$queryRaw<AttemptRow[]>`
    SELECT agent_id, at, status, error_class, retry, failover FROM telemetry.gateway_events
    WHERE org_id = ${orgId} AND kind = 'attempt' ORDER BY at, attempt`;
}

function atlasReplicas(ids: string[]) {
  return ids.map((id) => ({ ...specOf("atlas-chat"), id }));
}

// ---------------------------------------------------------------------------------------------

describe("one of three agents fails under sustained load", () => {
  const RATE = 100;
  const WARM_MS = 1_500;
  const FAILING_MS = 3_500;
  const TIMEOUT_MS = 300;
  const COOLDOWN_MS = 1_000;
  /** By then the failing agent has failed three times in a row and is ejected (a hang needs TIMEOUT_MS). */
  const SETTLE_MS = 1_000;

  const modes: { name: string; inject: (fleet: Fleet, id: string) => Promise<void> | void }[] = [
    { name: "killed", inject: (fleet, id) => fleet.stopAgent(id) },
    // A hang: only the route's per-attempt timeout can cut it.
    { name: "hung", inject: (fleet, id) => fleet.configure(id, { latencyMedianMs: 60_000, latencyP99Ms: 60_000 }) },
    { name: "answering 500s", inject: (fleet, id) => fleet.configure(id, { errorRate: 1 }) },
  ];

  it.each(modes)("an agent $name: ≥ 99.9% success, the agent is ejected, one telemetry row per request", async ({ inject }) => {
    const fleet = await startFleet({ basePort: 0, agents: atlasReplicas(["atlas-a", "atlas-b", "atlas-c"]), behaviour: INSTANT });
    try {
      const org = await newTestOrg();
      const [a, b, c] = [await addFleetAgent(org, fleet, "atlas-a"), await addFleetAgent(org, fleet, "atlas-b"), await addFleetAgent(org, fleet, "atlas-c")];
      const route = await addRoute(org, {
        targets: [a, b, c].map((agent) => ({ agentId: agent.id, model: "atlas-small" })),
        timeoutMs: TIMEOUT_MS,
        deadlineMs: 3_000,
        maxRetries: 2,
        // Until the breaker ejects the failing agent, a third of first attempts go to it and each
        // needs one retry: a 33% retry rate. 50% leaves room above that, so the budget is never
        // why a request fails; once the agent is ejected, only its half-open probes need a retry.
        retryBudgetPercent: 50,
        breakerFailureThreshold: 3,
        breakerCooldownMs: COOLDOWN_MS,
      });
      const key = await addKey(org);
      await untilServed(gateway, key.secret, route.alias);

      const load = startLoad({ url: gateway.url, secret: key.secret, model: route.alias, ratePerSecond: RATE });
      await wait(WARM_MS);
      const injectedAt = Date.now();
      await inject(fleet, "atlas-c");
      await wait(FAILING_MS);
      const failingUntil = Date.now();
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      const report = await load.stop();

      // Clients did not notice.
      expect(report.sent).toBeGreaterThan(((WARM_MS + FAILING_MS) / 1000) * RATE * 0.8);
      expect(report.ok / report.sent, report.failures.slice(0, 5).join("\n")).toBeGreaterThanOrEqual(0.999);

      // The failing agent was ejected: its breaker is open (or half-open) …
      const breakerLine = metrics.split("\n").find((line) => line.startsWith("helix_gateway_breaker_open{") && line.includes(`agent="${c.id}"`));
      expect(breakerLine ?? "(no breaker line)", "the failing agent's breaker in /metrics").toMatch(/state="(open|half_open)"\} 1$/);
      for (const healthy of [a, b]) expect(metrics).not.toContain(`agent="${healthy.id}"`);

      // … and after it was ejected it got only the half-open probes (one per cool-down at most,
      // the cool-down doubling after each failed probe), not its third of the traffic.
      await gateway.telemetry!.flush();
      const attempts = await attemptRows(org.id);
      const toFailing = attempts.filter((r) => r.agent_id === c.id);
      const before = toFailing.filter((r) => r.at.getTime() < injectedAt);
      expect(before.length, "the agent took its share before it failed").toBeGreaterThan((WARM_MS / 1000) * RATE * 0.15);
      const ejectedFrom = injectedAt + SETTLE_MS;
      const probes = toFailing.filter((r) => r.at.getTime() >= ejectedFrom);
      expect(probes.length, "half-open probes while the agent was ejected").toBeGreaterThanOrEqual(1);
      expect(probes.length).toBeLessThanOrEqual(Math.floor((failingUntil - ejectedFrom) / COOLDOWN_MS) + 1);
      for (const probe of probes) expect(probe.error_class).not.toBeNull();
      // The requests whose first attempt hit the failing agent were answered by another one.
      expect(attempts.some((r) => r.retry && r.status === 200 && r.agent_id !== c.id)).toBe(true);

      // Telemetry: one request row per request sent.
      expect(await countGatewayEvents(DATABASE_URL, { orgId: org.id, kind: "request" })).toBe(report.sent);
    } finally {
      await fleet.stop();
    }
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------

describe("an agent dying mid-stream", () => {
  it("the client's stream completes with the whole answer, continued by the replica", async () => {
    const fleet = await startFleet({ basePort: 0, agents: atlasReplicas(["atlas-a", "atlas-b"]), behaviour: { ...INSTANT, tokensPerSecond: 50, ttftMs: 0 } });
    try {
      const org = await newTestOrg();
      const a = await addFleetAgent(org, fleet, "atlas-a");
      const b = await addFleetAgent(org, fleet, "atlas-b");
      // Priority order makes atlas-a the one answering first, so we know which agent to stop.
      const route = await addRoute(org, {
        strategy: "PRIORITY",
        targets: [
          { agentId: a.id, priority: 0, model: "atlas-small" },
          { agentId: b.id, priority: 1, model: "atlas-small" },
        ],
        timeoutMs: 2_000,
        deadlineMs: 10_000,
        maxRetries: 1,
      });
      const key = await addKey(org);
      await untilServed(gateway, key.secret, route.alias);

      const messages = [
        { role: "user" as const, content: "Tell me a story about a lighthouse keeper who counts the ships that pass by every night and writes their names into a small blue notebook." },
      ];
      // What a replica answers in one piece, asked directly.
      const direct = new OpenAI({ baseURL: fleet.get("atlas-b").url, apiKey: "unused", maxRetries: 0 });
      const whole = (await direct.chat.completions.create({ model: "atlas-small", messages })).choices[0]?.message.content;
      expect(whole?.split(" ").length).toBeGreaterThan(20);

      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key.secret, maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: route.alias, messages, stream: true });
      let text = "";
      let pieces = 0;
      let stopped: Promise<void> | null = null;
      let last: unknown = null;
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta.content ?? "";
        if (delta) {
          text += delta;
          pieces++;
        }
        if (pieces === 5 && stopped === null) stopped = fleet.stopAgent("atlas-a");
        last = chunk;
      }
      expect(stopped, "the stream was still running after five pieces").not.toBeNull();
      await stopped;

      expect(text).toBe(whole);
      const helix = (last as { helix?: { agent: string; attempts: number; failover: boolean; midStreamFailover: boolean } }).helix;
      expect(helix).toEqual({ agent: b.slug, attempts: 2, failover: true, midStreamFailover: true });

      await gateway.telemetry!.flush();
      const attempts = await attemptRows(org.id);
      expect(attempts.map((r) => ({ agent: r.agent_id, status: r.status, errorClass: r.error_class, failover: r.failover }))).toEqual([
        { agent: a.id, status: 200, errorClass: "stream_broken", failover: false },
        { agent: b.id, status: 200, errorClass: null, failover: true },
      ]);
      expect(await countGatewayEvents(DATABASE_URL, { orgId: org.id, kind: "request" })).toBe(1);
    } finally {
      await fleet.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("Postgres unreachable for 30 s under load", () => {
  const OUTAGE_MS = 30_000;
  const RATE = 50;
  /**
   * The config listener reconnects with a back-off that stops growing at 5 s, then reloads the
   * snapshot at once: a change made during the outage is served at most this long after Postgres
   * is back.
   */
  const CATCH_UP_MS = 7_000;
  /**
   * The gateway's telemetry writer retries with a back-off capped at 5 s (± 25% jitter), so after
   * a long outage its next try comes at most 6.25 s after Postgres is back; then the replay itself.
   */
  const REPLAY_MS = 5_000 * 1.25 + 5_000;

  it("answers every request from the snapshot, stays ready, then applies changes and loses no telemetry", async () => {
    const pg = new URL(DATABASE_URL);
    const proxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
    const fleet = await startFleet({ basePort: 0, agents: atlasReplicas(["atlas-a"]), behaviour: INSTANT });
    let gw: Gateway | null = null;
    let load: ReturnType<typeof startLoad> | null = null;
    let probing = true;
    try {
      const org = await newTestOrg();
      const agent = await addFleetAgent(org, fleet, "atlas-a");
      const route = await addRoute(org, { targets: [{ agentId: agent.id, model: "atlas-small" }] });
      const loadKey = await addKey(org);
      const revokedKey = await addKey(org);
      gw = await startTestGateway({ databaseUrl: proxy.urlFor(DATABASE_URL) });
      await untilServed(gw, loadKey.secret, route.alias);
      const gatewayUrl = gw.url;
      // GET /v1/models authenticates without writing telemetry, so it does not change the counts.
      const modelsWith = async (secret: string) => {
        const res = await fetch(`${gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
        return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
      };
      expect((await modelsWith(revokedKey.secret)).status).toBe(200);

      load = startLoad({ url: gw.url, secret: loadKey.secret, model: route.alias, ratePerSecond: RATE, connections: 4 });
      const readiness: number[] = [];
      const readinessProbe = (async () => {
        while (probing) {
          readiness.push((await fetch(`${gatewayUrl}/readyz`)).status);
          await wait(250);
        }
      })();

      await wait(2_000);
      await proxy.cut();
      const cutAt = Date.now();

      // A change made while the gateway cannot hear it: straight into Postgres, not through the proxy.
      await wait(1_000);
      await db().apiKey.update({ where: { id: revokedKey.id }, data: { revokedAt: new Date() } });
      await wait(1_000);
      expect((await modelsWith(revokedKey.secret)).status, "the gateway cannot know of the revocation yet").toBe(200);

      await wait(cutAt + OUTAGE_MS - Date.now());
      const servedDuringOutage = load.report.sent;
      await proxy.restore();
      const restoredAt = Date.now();

      const revoked = await eventually(async () => {
        const answer = await modelsWith(revokedKey.secret);
        expect(answer.status).toBe(401);
        return answer;
      }, CATCH_UP_MS, 100);
      expect(revoked.body.error?.code).toBe("revoked_api_key");
      const caughtUpMs = Date.now() - restoredAt;

      await wait(1_000);
      const report = await load.stop();
      probing = false;
      await readinessProbe;

      expect(servedDuringOutage).toBeGreaterThan(((2_000 + OUTAGE_MS) / 1000) * RATE * 0.8);
      expect(report.failures.slice(0, 5)).toEqual([]);
      expect(report.ok).toBe(report.sent);
      expect(readiness.length).toBeGreaterThan(OUTAGE_MS / 250 / 2);
      expect(readiness.filter((s) => s !== 200)).toEqual([]);
      expect(caughtUpMs).toBeLessThanOrEqual(CATCH_UP_MS);

      // Telemetry: spooled during the outage, replayed after; nothing lost, nothing doubled.
      const telemetry = gw.telemetry!;
      await telemetry.flush();
      await eventually(
        async () => {
          expect(telemetry.stats().spoolFiles).toBe(0);
          expect(await countGatewayEvents(DATABASE_URL, { orgId: org.id, kind: "request" })).toBe(report.sent);
        },
        restoredAt + REPLAY_MS - Date.now(),
        250,
      );
      const stats = telemetry.stats();
      expect(stats.spooled, "rows went through the spool").toBeGreaterThan(0);
      expect(stats.dropped).toBe(0);
      expect(await countGatewayEvents(DATABASE_URL, { orgId: org.id, kind: "attempt" })).toBe(report.sent);
    } finally {
      probing = false;
      await load?.stop();
      await gw?.close();
      await proxy.close();
      await fleet.stop();
    }
  }, 120_000);
});
