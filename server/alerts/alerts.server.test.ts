import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { insertRollupMinute } from "@/server/analytics/testing";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectOrgUnchanged, expectTRPCError, rand } from "@/server/test/fixtures";
import { RETRY_DELAYS_MS, unsafeDispatchDueDeliveries } from "./deliveries";
import { unsafeEvaluateRule } from "./evaluate";

const MINUTE = 60_000;
/** A fixed past morning, so runs do not depend on the clock. */
const T0 = Date.UTC(2026, 0, 5, 8, 0);
/** `now` at which minute index `i` (t0 + i min) is the newest complete minute. */
const nowAfter = (i: number) => T0 + (i + 1) * MINUTE + 30_000;

async function world() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const caller = callerFor(owner);
  const agent = await db().agent.create({
    data: { orgId: org.id, name: "Atlas", slug: `atlas-${rand(3)}`, protocol: "OPENAI", sourceUrl: "http://127.0.0.1:9/v1", endpointUrl: "http://127.0.0.1:9/v1" },
    select: { id: true },
  });
  const route = await caller.route.create({ orgSlug: org.slug, name: "Chat", slug: `chat-${rand(3)}`, alias: `chat-${rand(3)}`, targets: [{ agentId: agent.id }] });
  return { owner, org, caller, agent, route };
}

/** A deterministic jitter in [-1, 1]. */
const jitter = (i: number) => Math.sin(i * 12.9898) * 0.5 + Math.cos(i * 4.1414) * 0.5;

/** Minutes [from, to) of traffic on the route: 20 requests per minute around `ms`. */
function minutes(orgId: string, routeId: string, from: number, to: number, ms: (i: number) => number, extra: { errors?: number } = {}) {
  const rows = [];
  for (let i = from; i < to; i++) {
    const latencies = Array.from({ length: 20 }, (_, k) => Math.max(1, ms(i) * (1 + 0.15 * jitter(i * 31 + k))));
    rows.push({ orgId, routeId, bucket: new Date(T0 + i * MINUTE), latencyMs: latencies, errors: extra.errors ?? 0 });
  }
  return insertRollupMinute(rows);
}

const alertsOf = (ruleId: string) => db().alert.findMany({ where: { ruleId }, orderBy: { startedAt: "asc" } });

const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A local receiver; `handle` decides the answer. Records every request. */
async function receiver(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      handle(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe("alert rules", () => {
  it("refuse another organization's route as NOT_FOUND, a missing threshold as BAD_REQUEST naming the field, and viewers", async () => {
    const w = await world();
    const other = await world();
    await expectOrgUnchanged(other.org, () =>
      expectTRPCError(w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Theirs", kind: "ANOMALY", metric: "p95", routeId: other.route.id }), "NOT_FOUND", "Route"),
    );
    const { shape } = await expectTRPCError(
      w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "No value", kind: "THRESHOLD", metric: "errorRate", thresholdOp: "gt" }),
      "BAD_REQUEST",
      "thresholdValue",
    );
    expect(shape.data.fieldErrors).toHaveProperty("thresholdValue");
    await expectTRPCError(
      w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Too high", kind: "THRESHOLD", metric: "errorRate", thresholdOp: "gt", thresholdValue: 5 }),
      "BAD_REQUEST",
      "thresholdValue",
    );
    const viewer = await createMember(w.org, "VIEWER");
    await expectTRPCError(callerFor(viewer.user).alert.rule.create({ orgSlug: w.org.slug, name: "Mine", kind: "ANOMALY" }), "FORBIDDEN");
    expect(await callerFor(viewer.user).alert.rule.list({ orgSlug: w.org.slug })).toEqual([]);

    const rule = await w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Latency", kind: "ANOMALY", metric: "p95", routeId: w.route.id, sensitivity: 0.6 });
    expect(rule).toMatchObject({ routeName: "Chat", thresholdOp: null, openAlerts: 0 });
    const updated = await w.caller.alert.rule.update({ orgSlug: w.org.slug, ruleId: rule.id, config: { name: "Latency (route)", kind: "ANOMALY", metric: "p95", routeId: w.route.id } });
    expect(updated.name).toBe("Latency (route)");
    await w.caller.alert.rule.delete({ orgSlug: w.org.slug, ruleId: rule.id });
    expect((await auditEventsOf(w.org.id)).map((e) => e.action)).toEqual(expect.arrayContaining(["alert_rule.created", "alert_rule.updated", "alert_rule.deleted"]));
  });

  it("refuse webhook URLs to link-local/metadata addresses and non-http schemes with a clear BAD_REQUEST", async () => {
    const w = await world();
    await expectTRPCError(w.caller.alert.webhook.create({ orgSlug: w.org.slug, name: "Metadata", url: "http://169.254.169.254/latest" }), "BAD_REQUEST", "link-local");
    await expectTRPCError(w.caller.alert.webhook.create({ orgSlug: w.org.slug, name: "Files", url: "file:///etc/passwd" }), "BAD_REQUEST", "http");
    await expectTRPCError(w.caller.alert.webhook.create({ orgSlug: w.org.slug, name: "Junk", url: "not a url" }), "BAD_REQUEST", "not a valid URL");
    const made = await w.caller.alert.webhook.create({ orgSlug: w.org.slug, name: "Ops", url: "https://93.184.215.14/helix?token=abc" });
    expect(made.secret).toMatch(/^whsec_/);
    // Stored encrypted, and the list never shows the secret or the query string.
    const row = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: made.webhook.id } });
    expect(row.secretCipher).not.toContain(made.secret);
    const listed = JSON.stringify(await w.caller.alert.webhook.list({ orgSlug: w.org.slug }));
    expect(listed).not.toContain(made.secret);
    expect(listed).not.toContain("token=abc");
  });
});

describe("evaluation", () => {
  it("fires one alert on a latency spike, grows it while the spike lasts, and resolves it after normal minutes", async () => {
    const w = await world();
    const rule = await w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Chat p95", kind: "ANOMALY", metric: "p95", routeId: w.route.id, severity: "HIGH" });
    await minutes(w.org.id, w.route.id, 0, 180, () => 100);
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(179) });
    expect(await alertsOf(rule.id)).toEqual([]);
    const trained = await db().alertRule.findUniqueOrThrow({ where: { id: rule.id } });
    expect(trained.lastEvaluatedBucket?.getTime()).toBe(T0 + 179 * MINUTE);

    await minutes(w.org.id, w.route.id, 180, 183, () => 1500);
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(182) });
    let alerts = await alertsOf(rule.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: "FIRING", severity: "HIGH" });
    const first = alerts[0]!.occurrences;
    expect(first).toBeGreaterThanOrEqual(1);

    const detail = await w.caller.alert.get({ orgSlug: w.org.slug, alertId: alerts[0]!.id });
    expect(detail.summary).toContain("p95 latency of route Chat");
    const anomalous = detail.evidence.points.filter((p) => p.anomaly);
    expect(anomalous.length).toBeGreaterThanOrEqual(1);
    expect(anomalous[0]!.value).toBeGreaterThan(1000);
    const banded = detail.evidence.points.filter((p) => p.lower !== null && p.upper !== null && !p.anomaly);
    expect(banded.length).toBeGreaterThan(30);
    expect(banded.at(-1)!.upper!).toBeLessThan(1000);
    expect(detail.priority).toBeGreaterThan(0);

    // More anomalous minutes: the same incident, not another alert.
    await minutes(w.org.id, w.route.id, 183, 186, () => 1500);
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(185) });
    alerts = await alertsOf(rule.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.occurrences).toBeGreaterThan(first);
    expect(alerts[0]!.lastSeenAt.getTime()).toBe(T0 + 185 * MINUTE);
    expect(await w.caller.alert.openCount({ orgSlug: w.org.slug })).toEqual({ firing: 1, acked: 0, open: 1 });

    // Back to normal: resolved by itself after enough quiet minutes.
    await minutes(w.org.id, w.route.id, 186, 216, () => 100);
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(215) });
    alerts = await alertsOf(rule.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: "RESOLVED", resolvedBy: "auto" });
    expect((await auditEventsOf(w.org.id)).map((e) => e.action)).toEqual(expect.arrayContaining(["alert.fired", "alert.resolved"]));

    // A later spike is a new incident.
    await minutes(w.org.id, w.route.id, 216, 219, () => 2000);
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(218) });
    alerts = await alertsOf(rule.id);
    expect(alerts.map((a) => a.status)).toEqual(["RESOLVED", "FIRING"]);
  });

  it("threshold rules fire after `for` consecutive breaching minutes, and skip minutes below the minimum traffic", async () => {
    const w = await world();
    const rule = await w.caller.alert.rule.create({
      orgSlug: w.org.slug,
      name: "Errors",
      kind: "THRESHOLD",
      metric: "errorRate",
      thresholdOp: "gt",
      thresholdValue: 0.1,
      forMinutes: 2,
      minRequests: 5,
    });
    await minutes(w.org.id, w.route.id, 0, 10, () => 100);
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(9) });
    // One bad minute, then a minute with too little traffic, then a normal one: nothing.
    await minutes(w.org.id, w.route.id, 10, 11, () => 100, { errors: 10 });
    await insertRollupMinute([{ orgId: w.org.id, routeId: w.route.id, bucket: new Date(T0 + 11 * MINUTE), requests: 2, errors: 2 }]);
    await minutes(w.org.id, w.route.id, 12, 13, () => 100);
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(12) });
    expect(await alertsOf(rule.id)).toEqual([]);
    // Two bad minutes in a row: fires.
    await minutes(w.org.id, w.route.id, 13, 15, () => 100, { errors: 10 });
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(14) });
    const [alert] = await alertsOf(rule.id);
    expect(alert).toMatchObject({ status: "FIRING" });
    expect(alert!.summary).toContain("Error rate");
    expect(alert!.summary).toContain("50.0 %");
  });

  it("agent-health rules follow the registry's status changes", async () => {
    const w = await world();
    const rule = await w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Agents", kind: "AGENT_HEALTH", severity: "CRITICAL" });
    const at = Date.now() + 1000;
    await db().agentStatusChange.create({ data: { orgId: w.org.id, agentId: w.agent.id, at: new Date(at), from: "ACTIVE", to: "UNHEALTHY", reason: "3 failed probes" } });
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: at + 5000 });
    let alerts = await alertsOf(rule.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: "FIRING", severity: "CRITICAL" });
    expect(alerts[0]!.summary).toContain("Atlas");
    await db().agentStatusChange.create({ data: { orgId: w.org.id, agentId: w.agent.id, at: new Date(at + 10_000), from: "UNHEALTHY", to: "ACTIVE", reason: "probe ok" } });
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: at + 15_000 });
    alerts = await alertsOf(rule.id);
    expect(alerts[0]).toMatchObject({ status: "RESOLVED" });
  });
});

/** A rule whose alert fires at once: error rate > 10 % with every request failing. */
async function firingAlert(w: Awaited<ReturnType<typeof world>>, webhookIds: string[] = [], emailRecipients: string[] = []) {
  const rule = await w.caller.alert.rule.create({
    orgSlug: w.org.slug,
    name: "Errors",
    kind: "THRESHOLD",
    metric: "errorRate",
    thresholdOp: "gt",
    thresholdValue: 0.1,
    webhookIds,
    emailRecipients,
  });
  await minutes(w.org.id, w.route.id, 0, 3, () => 100, { errors: 20 });
  await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(2) });
  const [alert] = await alertsOf(rule.id);
  expect(alert).toBeDefined();
  return { rule, alert: alert! };
}

describe("acknowledging and resolving", () => {
  it("moves FIRING → ACKED → RESOLVED, records who and when, audits each step, and refuses viewers and other organizations", async () => {
    const w = await world();
    const { alert } = await firingAlert(w);
    const editor = await createMember(w.org, "EDITOR");
    const viewer = await createMember(w.org, "VIEWER");
    await expectTRPCError(callerFor(viewer.user).alert.ack({ orgSlug: w.org.slug, alertId: alert.id }), "FORBIDDEN");
    const other = await world();
    await expectOrgUnchanged(w.org, () => expectTRPCError(other.caller.alert.ack({ orgSlug: other.org.slug, alertId: alert.id }), "NOT_FOUND"));
    await expectTRPCError(other.caller.alert.get({ orgSlug: other.org.slug, alertId: alert.id }), "NOT_FOUND");

    const acked = await callerFor(editor.user).alert.ack({ orgSlug: w.org.slug, alertId: alert.id });
    expect(acked).toMatchObject({ status: "ACKED", ackedByEmail: editor.user.email });
    expect(acked.ackedAt).toBeInstanceOf(Date);
    await expectTRPCError(callerFor(editor.user).alert.ack({ orgSlug: w.org.slug, alertId: alert.id }), "BAD_REQUEST", "already acknowledged");
    expect(await w.caller.alert.list({ orgSlug: w.org.slug, status: "open" })).toMatchObject({ alerts: [{ id: alert.id, status: "ACKED" }] });

    const resolved = await w.caller.alert.resolve({ orgSlug: w.org.slug, alertId: alert.id });
    expect(resolved).toMatchObject({ status: "RESOLVED", resolvedBy: w.owner.email });
    await expectTRPCError(w.caller.alert.resolve({ orgSlug: w.org.slug, alertId: alert.id }), "BAD_REQUEST", "already resolved");
    expect(await w.caller.alert.openCount({ orgSlug: w.org.slug })).toEqual({ firing: 0, acked: 0, open: 0 });

    const events = await auditEventsOf(w.org.id);
    expect(events.filter((e) => e.targetId === alert.id).map((e) => [e.action, e.actorEmail])).toEqual([
      ["alert.fired", null],
      ["alert.acked", editor.user.email],
      ["alert.resolved", w.owner.email],
    ]);
  });

  it("pages the list by keyset", async () => {
    const w = await world();
    const rule = await w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Many", kind: "ANOMALY" });
    await db().alert.createMany({
      data: Array.from({ length: 5 }, (_, i) => ({ orgId: w.org.id, ruleId: rule.id, fingerprint: `f${i}`, severity: "LOW" as const, summary: `A${i}`, priority: i, startedAt: new Date(T0 + i * MINUTE) })),
    });
    const page1 = await w.caller.alert.list({ orgSlug: w.org.slug, status: "open", limit: 2 });
    expect(page1.alerts.map((a) => a.summary)).toEqual(["A4", "A3"]);
    const page2 = await w.caller.alert.list({ orgSlug: w.org.slug, status: "open", limit: 2, cursor: page1.nextCursor! });
    expect(page2.alerts.map((a) => a.summary)).toEqual(["A2", "A1"]);
    const all = await w.caller.alert.list({ orgSlug: w.org.slug, limit: 10 });
    expect(all.alerts.map((a) => a.summary)).toEqual(["A4", "A3", "A2", "A1", "A0"]);
    expect(all.nextCursor).toBeNull();
  });
});

describe("webhook deliveries", () => {
  it("POST the alert signed with the endpoint's secret, on fire, ack and resolve", async () => {
    const w = await world();
    const hook = await receiver((_req, res) => res.writeHead(204).end());
    const made = await w.caller.alert.webhook.create({ orgSlug: w.org.slug, name: "Ops", url: hook.url });
    const { alert } = await firingAlert(w, [made.webhook.id]);
    await w.caller.alert.ack({ orgSlug: w.org.slug, alertId: alert.id });
    await w.caller.alert.resolve({ orgSlug: w.org.slug, alertId: alert.id });
    const result = await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id });
    expect(result).toEqual({ sent: 3, delivered: 3 });

    expect(hook.received).toHaveLength(3);
    const events = [];
    for (const r of hook.received) {
      const expected = `sha256=${createHmac("sha256", made.secret).update(r.body).digest("hex")}`;
      expect(r.headers["x-helix-signature"]).toBe(expected);
      expect(Number(r.headers["x-helix-timestamp"])).toBeGreaterThan(1_600_000_000);
      const body = JSON.parse(r.body) as { event: string; alert: { id: string; summary: string }; org: { slug: string } };
      expect(body.alert.id).toBe(alert.id);
      expect(body.org.slug).toBe(w.org.slug);
      events.push(body.event);
    }
    expect(events.sort()).toEqual(["acked", "fired", "resolved"]);
    const deliveries = await w.caller.alert.deliveries({ orgSlug: w.org.slug, alertId: alert.id });
    expect(deliveries.map((d) => [d.status, d.statusCode, d.attempt])).toEqual([
      ["DELIVERED", 204, 1],
      ["DELIVERED", 204, 1],
      ["DELIVERED", 204, 1],
    ]);
  });

  it("retry a failing endpoint with back-off, log every attempt, and give up after the last", async () => {
    const w = await world();
    const hook = await receiver((_req, res) => res.writeHead(500).end("boom"));
    const made = await w.caller.alert.webhook.create({ orgSlug: w.org.slug, name: "Broken", url: hook.url });
    const { alert } = await firingAlert(w, [made.webhook.id]);
    let now = Date.now();
    await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id, now: new Date(now) });
    let [d] = await w.caller.alert.deliveries({ orgSlug: w.org.slug, alertId: alert.id });
    expect(d).toMatchObject({ status: "PENDING", attempt: 1, statusCode: 500 });
    expect(d!.error).toContain("500");
    expect(d!.nextRetryAt!.getTime()).toBe(now + RETRY_DELAYS_MS[0]!);

    // Not due yet: nothing is sent.
    expect(await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id, now: new Date(now + 10_000) })).toEqual({ sent: 0, delivered: 0 });
    for (let attempt = 2; attempt <= 5; attempt++) {
      now += RETRY_DELAYS_MS[attempt - 2]! + 1000;
      await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id, now: new Date(now) });
      [d] = await w.caller.alert.deliveries({ orgSlug: w.org.slug, alertId: alert.id });
      expect(d!.attempt).toBe(attempt);
      if (attempt < 5) expect(d!.nextRetryAt!.getTime()).toBe(now + RETRY_DELAYS_MS[attempt - 1]!);
    }
    expect(d).toMatchObject({ status: "FAILED", nextRetryAt: null });
    expect(d!.attempts).toHaveLength(5);
    expect(hook.received).toHaveLength(5);
  });

  it("time out on a hanging endpoint without holding up evaluation", async () => {
    const w = await world();
    const hook = await receiver(() => undefined); // never answers
    const made = await w.caller.alert.webhook.create({ orgSlug: w.org.slug, name: "Hangs", url: hook.url });
    const started = Date.now();
    const { rule, alert } = await firingAlert(w, [made.webhook.id]);
    // Evaluation only queued the delivery.
    expect(Date.now() - started).toBeLessThan(5_000);
    await minutes(w.org.id, w.route.id, 3, 4, () => 100, { errors: 20 });
    const evalStarted = Date.now();
    await unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: nowAfter(3) });
    expect(Date.now() - evalStarted).toBeLessThan(2_000);

    const sendStarted = Date.now();
    await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id, timeoutMs: 1_000 });
    expect(Date.now() - sendStarted).toBeLessThan(4_000);
    const [d] = await w.caller.alert.deliveries({ orgSlug: w.org.slug, alertId: alert.id });
    expect(d).toMatchObject({ status: "PENDING", attempt: 1, statusCode: null });
    expect(d!.error).toMatch(/did not answer/);
  });
});

/**
 * A local SMTP server speaking just enough (EHLO/HELO, MAIL, RCPT, DATA, RSET, QUIT) for nodemailer;
 * records every message it accepts.
 */
async function smtpReceiver() {
  const messages: { from: string; to: string[]; data: string }[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffer = "";
    let inData = false;
    let from = "";
    let to: string[] = [];
    let data: string[] = [];
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 test.local ESMTP");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (let i = buffer.indexOf("\r\n"); i >= 0; i = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            messages.push({ from, to, data: data.join("\n") });
            [from, to, data] = ["", [], []];
            reply("250 2.0.0 Queued");
          } else data.push(line.startsWith(".") ? line.slice(1) : line);
          continue;
        }
        const upper = line.toUpperCase();
        const address = () => /<([^>]*)>/.exec(line)?.[1] ?? "";
        if (upper.startsWith("EHLO")) {
          socket.write("250-test.local\r\n250 8BITMIME\r\n");
        } else if (upper.startsWith("HELO")) {
          reply("250 test.local");
        } else if (upper.startsWith("MAIL FROM:")) {
          from = address();
          reply("250 2.1.0 OK");
        } else if (upper.startsWith("RCPT TO:")) {
          to.push(address());
          reply("250 2.1.5 OK");
        } else if (upper === "DATA") {
          inData = true;
          reply("354 End data with <CR><LF>.<CR><LF>");
        } else if (upper === "RSET") {
          reply("250 2.0.0 OK");
        } else if (upper === "QUIT") {
          reply("221 2.0.0 Bye");
          socket.end();
        } else {
          reply("502 5.5.2 Command not recognized");
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, messages };
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

/** A port nothing listens on: connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `fn` as on a server with SMTP_URL (and AUTH_URL) configured. */
async function withSmtp<T>(smtpUrl: string, fn: () => Promise<T>): Promise<T> {
  const e = env();
  const saved = { SMTP_URL: e.SMTP_URL, AUTH_URL: e.AUTH_URL };
  Object.assign(e, { SMTP_URL: smtpUrl, AUTH_URL: "https://helix.example.test" });
  try {
    return await fn();
  } finally {
    Object.assign(e, saved);
  }
}

/** A message's text with quoted-printable soft breaks and escapes undone (enough for ASCII checks). */
const decoded = (data: string) => data.replace(/=\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe("email deliveries", () => {
  it("email the alert on fire, ack and resolve to each recipient, with the summary, value against the threshold and a link", async () => {
    const w = await world();
    const smtp = await smtpReceiver();
    const alert = await withSmtp(smtp.url, async () => {
      const hook = await receiver((_req, res) => res.writeHead(204).end());
      const made = await w.caller.alert.webhook.create({ orgSlug: w.org.slug, name: "Ops", url: hook.url });
      const fired = await firingAlert(w, [made.webhook.id], ["OnCall@Example.test", " sre@example.test "]);
      expect(fired.rule.emailRecipients).toEqual(["oncall@example.test", "sre@example.test"]);
      await w.caller.alert.ack({ orgSlug: w.org.slug, alertId: fired.alert.id });
      await w.caller.alert.resolve({ orgSlug: w.org.slug, alertId: fired.alert.id });
      expect(await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id })).toEqual({ sent: 9, delivered: 9 });
      return fired.alert;
    });

    expect(smtp.messages).toHaveLength(6);
    expect(smtp.messages.map((m) => m.to).sort()).toEqual([...Array(3).fill(["oncall@example.test"]), ...Array(3).fill(["sre@example.test"])]);
    const fired = smtp.messages.map((m) => decoded(m.data)).filter((d) => d.includes("Subject: [HelixAgent] Firing: Errors (MEDIUM)"));
    expect(fired).toHaveLength(2);
    expect(fired[0]).toContain(alert.summary);
    expect(fired[0]).toContain("Metric: Error rate");
    expect(fired[0]).toContain("Scope: all traffic");
    expect(fired[0]).toContain("Value: 100.0 %");
    expect(fired[0]).toContain("Expected: > 10.0 % is a breach");
    expect(fired[0]).toContain(`https://helix.example.test/o/${w.org.slug}/alerts/${alert.id}`);
    expect(fired[0]).toContain("text/html");
    expect(smtp.messages.some((m) => decoded(m.data).includes(`Acknowledged by: ${w.owner.email}`))).toBe(true);

    // The alert's delivery log lists the emails with the webhook's.
    const deliveries = await w.caller.alert.deliveries({ orgSlug: w.org.slug, alertId: alert.id });
    expect(deliveries).toHaveLength(9);
    expect(deliveries.filter((d) => d.channel === "EMAIL").map((d) => [d.target, d.status, d.attempt, d.endpointId])).toEqual(
      expect.arrayContaining([["oncall@example.test", "DELIVERED", 1, null], ["sre@example.test", "DELIVERED", 1, null]]),
    );
    expect(deliveries.filter((d) => d.channel === "WEBHOOK").map((d) => d.target)).toEqual(["Ops", "Ops", "Ops"]);
  });

  it("retry a refused SMTP connection with back-off and log every attempt, without holding up evaluation", async () => {
    const w = await world();
    const port = await closedPort();
    const { alert } = await withSmtp(`smtp://127.0.0.1:${port}`, async () => {
      const started = Date.now();
      const fired = await firingAlert(w, [], ["oncall@example.test"]);
      expect(Date.now() - started).toBeLessThan(5_000);
      let now = Date.now();
      await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id, now: new Date(now), timeoutMs: 2_000 });
      let [d] = await w.caller.alert.deliveries({ orgSlug: w.org.slug, alertId: fired.alert.id });
      expect(d).toMatchObject({ channel: "EMAIL", target: "oncall@example.test", status: "PENDING", attempt: 1, statusCode: null });
      expect(d!.error).toMatch(/ECONNREFUSED/);
      expect(d!.nextRetryAt!.getTime()).toBe(now + RETRY_DELAYS_MS[0]!);
      expect(await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id, now: new Date(now + 10_000) })).toEqual({ sent: 0, delivered: 0 });
      now += RETRY_DELAYS_MS[0]! + 1000;
      await unsafeDispatchDueDeliveries({ db: db(), orgId: w.org.id, now: new Date(now), timeoutMs: 2_000 });
      [d] = await w.caller.alert.deliveries({ orgSlug: w.org.slug, alertId: fired.alert.id });
      expect(d).toMatchObject({ status: "PENDING", attempt: 2 });
      expect(d!.attempts.map((a) => a.error)).toEqual([expect.stringMatching(/ECONNREFUSED/), expect.stringMatching(/ECONNREFUSED/)]);
      expect(d!.nextRetryAt!.getTime()).toBe(now + RETRY_DELAYS_MS[1]!);
      return fired;
    });
    expect(alert.status).toBe("FIRING");
  });

  it("refuse invalid or too many addresses as BAD_REQUEST naming the field", async () => {
    const w = await world();
    const { shape } = await expectTRPCError(
      w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Mail", kind: "ANOMALY", emailRecipients: ["ok@example.test", "not-an-address"] }),
      "BAD_REQUEST",
      "not-an-address",
    );
    expect(shape.data.fieldErrors).toEqual({ emailRecipients: [expect.stringContaining("not-an-address")] });
    const many = Array.from({ length: 11 }, (_, i) => `p${i}@example.test`);
    await expectTRPCError(w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Mail", kind: "ANOMALY", emailRecipients: many }), "BAD_REQUEST", "At most 10");
    const rule = await w.caller.alert.rule.create({ orgSlug: w.org.slug, name: "Mail", kind: "ANOMALY" });
    const update = await expectTRPCError(
      w.caller.alert.rule.update({ orgSlug: w.org.slug, ruleId: rule.id, config: { name: "Mail", kind: "ANOMALY", emailRecipients: ["@nope"] } }),
      "BAD_REQUEST",
      "@nope",
    );
    expect(Object.keys(update.shape.data.fieldErrors as object)).toEqual(["config.emailRecipients"]);
  });

  it("save recipients without SMTP_URL, but queue no emails", async () => {
    expect(env().SMTP_URL).toBeUndefined();
    const w = await world();
    const { rule, alert } = await firingAlert(w, [], ["OnCall@Example.test"]);
    expect(rule.emailRecipients).toEqual(["oncall@example.test"]);
    await w.caller.alert.ack({ orgSlug: w.org.slug, alertId: alert.id });
    expect(await w.caller.alert.deliveries({ orgSlug: w.org.slug, alertId: alert.id })).toEqual([]);
  });
});

describe("demo rules", () => {
  it("creates the demo organization's p95 anomaly and agent-health rules once, audited", async () => {
    const { ensureDemoAlertRules } = await import("./demo");
    const w = await world();
    expect(await ensureDemoAlertRules({ db: db(), orgId: w.org.id })).toEqual({ created: 3 });
    expect(await ensureDemoAlertRules({ db: db(), orgId: w.org.id })).toEqual({ created: 0 });
    const rules = await w.caller.alert.rule.list({ orgSlug: w.org.slug });
    expect(rules.map((r) => [r.kind, r.metric])).toEqual(expect.arrayContaining([["ANOMALY", "p95"], ["THRESHOLD", "p95"]]));
    expect((await auditEventsOf(w.org.id, { action: "alert_rule.created" })).length).toBe(3);
  });
});
