import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TelemetryRecord } from "../types";
import { DAY_MS, dayLiteral, utcDay } from "./record";
import { writeSpoolFile } from "./spool";
import { sampleRecord } from "./testing";
import { countGatewayEvents, TelemetryWriter, type TelemetryWriterOptions } from "./writer";

const DATABASE_URL = process.env.DATABASE_URL!;
const FAST = { flushIntervalMs: 50, retryMinMs: 50, retryMaxMs: 200, connectTimeoutMs: 1_000 } as const;

/**
 * A TCP proxy in front of Postgres that can be switched off (every connection cut, nothing
 * listening: Postgres unreachable), made to stall (nothing goes through any more, connections stay
 * open: a network that drops packets), and switched on again on the same port.
 */
class PostgresProxy {
  port = 0;
  private server: net.Server | null = null;
  private stalled = false;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    const url = new URL(DATABASE_URL);
    url.hostname = "127.0.0.1";
    url.port = String(this.port);
    return url.toString();
  }

  async up(): Promise<void> {
    this.cutAll();
    this.stalled = false;
    if (this.server) return;
    const server = net.createServer((client) => {
      this.track(client);
      if (this.stalled) return;
      const upstream = net.connect(this.target);
      this.track(upstream);
      const cut = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("close", cut);
      upstream.on("close", cut);
      // Forwarding checks the mode on every chunk, so stall() also stops connections already open.
      client.on("data", (chunk) => this.stalled || upstream.write(chunk));
      upstream.on("data", (chunk) => this.stalled || client.write(chunk));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    this.cutAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  stall(): void {
    this.stalled = true;
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.sockets.delete(socket));
  }

  private cutAll(): void {
    for (const s of this.sockets) s.destroy();
  }
}

let sql: pg.Client;
beforeAll(async () => {
  sql = new pg.Client({ connectionString: DATABASE_URL });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
});

let spoolDir: string;
const writers: TelemetryWriter[] = [];
beforeEach(async () => {
  spoolDir = await mkdtemp(path.join(tmpdir(), "helix-telemetry-"));
});
afterEach(async () => {
  for (const w of writers.splice(0)) await w.close();
  await rm(spoolDir, { recursive: true, force: true });
});

function newWriter(opts: Partial<TelemetryWriterOptions> = {}): TelemetryWriter {
  const writer = new TelemetryWriter({ connectionString: DATABASE_URL, spoolDir, ...FAST, ...opts });
  writers.push(writer);
  return writer;
}

/** A fresh organization id per test keeps counts meaningful in a shared database. */
function records(n: number, overrides: Partial<TelemetryRecord> = {}): TelemetryRecord[] {
  const orgId = overrides.orgId ?? `org-${randomUUID()}`;
  return Array.from({ length: n }, () => sampleRecord({ orgId, ...overrides }));
}

async function partitionOf(id: string): Promise<string> {
  const result = await sql.query<{ part: string }>(
    "SELECT tableoid::regclass::text AS part FROM telemetry.gateway_events WHERE id = $1",
    [id],
  );
  expect(result.rows).toHaveLength(1);
  return result.rows[0]!.part;
}

describe("TelemetryWriter", () => {
  it("writes many records in few INSERTs, all of them", async () => {
    const writer = newWriter({ maxBatch: 100 });
    await writer.start();
    const batch = records(1_000);
    for (const r of batch) writer.record(r);
    await writer.flush();
    expect(await countGatewayEvents(DATABASE_URL, { orgId: batch[0]!.orgId })).toBe(1_000);
    expect(writer.stats()).toMatchObject({ written: 1_000, batches: 10, buffered: 0, spooled: 0, dropped: 0 });
  });

  it("flushes on its timer without being asked", async () => {
    const writer = newWriter();
    await writer.start();
    const few = records(3);
    for (const r of few) writer.record(r);
    await expect.poll(() => countGatewayEvents(DATABASE_URL, { orgId: few[0]!.orgId }), { timeout: 5_000 }).toBe(3);
  });

  it("stores every field as recorded", async () => {
    const writer = newWriter();
    await writer.start();
    const request = sampleRecord({
      orgId: `org-${randomUUID()}`,
      at: Date.now() - 1234,
      subject: "user-42",
      stream: true,
      // As Postgres prints jsonb, so the text read back is the same.
      policyDecisions: '[{"mode": "MONITOR", "effect": "DENY", "policyId": "p1"}]',
      pluginCalls: '[{"hook": "before_request", "calls": 1, "installId": "i1"}]',
    });
    const attempt = sampleRecord({
      ...request,
      id: randomUUID(),
      kind: "attempt",
      requestId: request.id,
      apiKeyId: null,
      routeId: null,
      agentId: null,
      model: null,
      status: 503,
      errorClass: "http_5xx",
      ttftMs: null,
      costUsd: null,
      attempt: 2,
      retry: true,
      failover: true,
      subject: null,
      policyDecisions: null,
      pluginCalls: null,
    });
    writer.record(request);
    writer.record(attempt);
    await writer.flush();
    const result = await sql.query(
      `SELECT id, kind, request_id AS "requestId", (extract(epoch FROM at) * 1000)::bigint::float8 AS at,
              org_id AS "orgId", api_key_id AS "apiKeyId", route_id AS "routeId", agent_id AS "agentId",
              protocol, model, stream, status, error_class AS "errorClass", latency_ms AS "latencyMs",
              ttft_ms AS "ttftMs", tokens_in AS "tokensIn", tokens_out AS "tokensOut", cost_usd AS "costUsd",
              attempt, retry, failover, trace_id AS "traceId", subject, policy_decisions::text AS "policyDecisions",
              plugin_calls::text AS "pluginCalls"
       FROM telemetry.gateway_events WHERE request_id = $1 ORDER BY kind DESC`,
      [request.id],
    );
    expect(result.rows).toEqual([request, attempt]);
    expect(await countGatewayEvents(DATABASE_URL, { orgId: request.orgId, kind: "attempt" })).toBe(1);
  });

  it("counts a record once however often it is written or replayed", async () => {
    const writer = newWriter();
    await writer.start();
    const batch = records(50);
    const orgId = batch[0]!.orgId;
    for (const r of [...batch, ...batch]) writer.record(r);
    await writer.flush();
    for (const r of batch) writer.record(r);
    await writer.flush();
    expect(await countGatewayEvents(DATABASE_URL, { orgId })).toBe(50);
    expect(writer.stats().written).toBe(50);

    // A spool file repeating those rows (a crash between commit and delete) plus 10 new ones.
    const fresh = records(10, { orgId });
    await writeSpoolFile(spoolDir, [...batch, ...fresh]);
    await expect.poll(() => writer.stats().spoolFiles === 0 && writer.stats().replayed, { timeout: 5_000 }).toBe(10);
    expect(await countGatewayEvents(DATABASE_URL, { orgId })).toBe(60);
    expect(await readdir(spoolDir)).toEqual([]);
    // Duplicates are no error: nothing was rejected (and so dropped) on the way.
    expect(writer.stats()).toMatchObject({ dropped: 0, lastError: null });
  });

  it("drops (and counts) only a row Postgres rejects itself, and writes the rest of its batch", async () => {
    // A constraint stands in for a row no retry can fix; normalization leaves none in practice.
    await sql.query(
      `ALTER TABLE telemetry.gateway_events ADD CONSTRAINT gateway_events_test_poison
       CHECK (subject IS NULL OR subject NOT LIKE 'poison-%')`,
    );
    try {
      const errors: Error[] = [];
      const writer = newWriter({ onError: (e) => errors.push(e) });
      await writer.start();
      const batch = records(5);
      batch[2]!.subject = `poison-${randomUUID()}`;
      for (const r of batch) writer.record(r);
      await writer.flush();
      expect(await countGatewayEvents(DATABASE_URL, { orgId: batch[0]!.orgId })).toBe(4);
      expect(writer.stats()).toMatchObject({ written: 4, dropped: 1, spooled: 0 });
      expect(errors.some((e) => /gateway_events_test_poison/.test(e.message))).toBe(true);
    } finally {
      await sql.query("ALTER TABLE telemetry.gateway_events DROP CONSTRAINT gateway_events_test_poison");
    }
  });

  it("spools while Postgres is unreachable and replays everything, once, when it is back", async () => {
    const db = new URL(DATABASE_URL);
    const proxy = new PostgresProxy({ host: db.hostname, port: Number(db.port || 5432) });
    await proxy.up();
    try {
      const writer = newWriter({ connectionString: proxy.url, maxBatch: 20 });
      await writer.start();
      const before = records(5);
      const orgId = before[0]!.orgId;
      for (const r of before) writer.record(r);
      await writer.flush();
      expect(await countGatewayEvents(DATABASE_URL, { orgId })).toBe(5);

      await proxy.down();
      const during = records(100, { orgId });
      for (const r of during.slice(0, 50)) writer.record(r);
      await writer.flush();
      for (const r of during.slice(50)) writer.record(r);
      await writer.flush();

      expect(writer.stats()).toMatchObject({ spooled: 100, dropped: 0, buffered: 0 });
      expect((await readdir(spoolDir)).filter((n) => n.endsWith(".jsonl")).length).toBeGreaterThan(0);
      expect(await countGatewayEvents(DATABASE_URL, { orgId })).toBe(5);

      await proxy.up();
      await expect.poll(() => writer.stats().spoolFiles, { timeout: 10_000 }).toBe(0);
      expect(await countGatewayEvents(DATABASE_URL, { orgId })).toBe(105);
      expect(await readdir(spoolDir)).toEqual([]);
      expect(writer.stats()).toMatchObject({ replayed: 100, written: 5, dropped: 0 });

      // Back to the direct path.
      const after = records(5, { orgId });
      for (const r of after) writer.record(r);
      await writer.flush();
      expect(await countGatewayEvents(DATABASE_URL, { orgId })).toBe(110);
      expect(writer.stats().written).toBe(10);
    } finally {
      await proxy.down();
    }
  });

  it("stops waiting on a Postgres that hangs: one timeout, then straight to the spool until it answers", async () => {
    const db = new URL(DATABASE_URL);
    const proxy = new PostgresProxy({ host: db.hostname, port: Number(db.port || 5432) });
    await proxy.up();
    try {
      const writer = newWriter({ connectionString: proxy.url, connectTimeoutMs: 400, queryTimeoutMs: 400 });
      await writer.start();
      proxy.stall();
      const batch = records(40);
      const orgId = batch[0]!.orgId;

      let started = Date.now();
      for (const r of batch.slice(0, 20)) writer.record(r);
      await writer.flush();
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
      expect(writer.stats()).toMatchObject({ spooled: 20, written: 0 });

      started = Date.now();
      for (const r of batch.slice(20)) writer.record(r);
      await writer.flush();
      expect(Date.now() - started).toBeLessThan(300);
      expect(writer.stats()).toMatchObject({ spooled: 40, written: 0, dropped: 0 });

      await proxy.up();
      await expect.poll(() => writer.stats().spoolFiles, { timeout: 10_000 }).toBe(0);
      expect(await countGatewayEvents(DATABASE_URL, { orgId })).toBe(40);
      expect(writer.stats()).toMatchObject({ replayed: 40, dropped: 0 });
    } finally {
      await proxy.down();
    }
  });

  it("spools on close when Postgres is down, and a later run replays it", async () => {
    const down = newWriter({ connectionString: "postgresql://postgres@127.0.0.1:1/helix" });
    await down.start();
    const batch = records(30);
    for (const r of batch) down.record(r);
    await down.close();
    expect(down.stats()).toMatchObject({ spooled: 30, dropped: 0 });

    const next = newWriter();
    await next.start();
    await expect.poll(() => next.stats().spoolFiles, { timeout: 5_000 }).toBe(0);
    expect(await countGatewayEvents(DATABASE_URL, { orgId: batch[0]!.orgId })).toBe(30);
    expect(next.stats().replayed).toBe(30);
  });
});

describe("daily partitions", () => {
  const today = utcDay(Date.now());
  const partitionName = (day: number) => `telemetry.gateway_events_p${dayLiteral(day).replaceAll("-", "")}`;

  it("routes a record to its day's partition, creating a missing recent day on demand", async () => {
    const writer = newWriter();
    await writer.start();
    const [ahead] = records(1, { at: Date.now() + 3 * DAY_MS });
    const [late] = records(1, { at: Date.now() - 20 * DAY_MS });
    const [farOff] = records(1, { at: Date.UTC(2199, 0, 1, 12) });
    for (const r of [ahead!, late!, farOff!]) writer.record(r);
    await writer.flush();
    expect(await partitionOf(ahead!.id)).toBe(partitionName(today + 3));
    expect(await partitionOf(late!.id)).toBe(partitionName(today - 20));
    expect(await partitionOf(farOff!.id)).toBe("telemetry.gateway_events_default");
  });

  it("ensure_partitions moves a day's rows out of DEFAULT when it creates that day", async () => {
    // A random far-future day: no partition exists for it yet, whatever ran before.
    const day = utcDay(Date.UTC(2300, 0, 1)) + Math.floor(Math.random() * 30_000);
    const writer = newWriter();
    const rows = records(3, { at: day * DAY_MS + 3_600_000 });
    for (const r of rows) writer.record(r);
    await writer.flush();
    try {
      expect(await partitionOf(rows[0]!.id)).toBe("telemetry.gateway_events_default");
      const created = await sql.query("SELECT telemetry.ensure_partitions($1::date, 1) AS n", [dayLiteral(day)]);
      expect(created.rows[0].n).toBe(1);
      for (const r of rows) expect(await partitionOf(r.id)).toBe(partitionName(day));
      // Idempotent, and a replay of the moved rows still conflicts.
      const again = await sql.query("SELECT telemetry.ensure_partitions($1::date, 1) AS n", [dayLiteral(day)]);
      expect(again.rows[0].n).toBe(0);
      for (const r of rows) writer.record(r);
      await writer.flush();
      expect(await countGatewayEvents(DATABASE_URL, { orgId: rows[0]!.orgId })).toBe(3);
    } finally {
      await sql.query(`DROP TABLE IF EXISTS ${partitionName(day)}`);
    }
  });
});
