/**
 * The gateway's telemetry writer: one TelemetryRecord per request and per attempt, written to
 * Postgres in batches, off the request path, without losing or doubling a row when Postgres goes
 * away.
 *
 * - Buffer → batch → pg. `record()` only normalizes the record and pushes it to an in-memory buffer
 *   (synchronous, never throws). The buffer is flushed when it reaches `maxBatch` rows and every
 *   `flushIntervalMs`, one batch at a time, each batch one multi-row INSERT (unnest of column
 *   arrays) over a small pg pool of its own (Prisma stays out of the hot path).
 * - Spool when down. A batch Postgres does not take goes to the spool directory (spool.ts: one
 *   fsync'd JSON-lines file per batch, written then renamed). After a failure the writer counts
 *   Postgres as down and spools each flush straight away, so flushes do not queue up behind
 *   connection timeouts and the buffer stays small. When the buffer reaches `maxBuffer` rows (Postgres slow rather than down) it is
 *   spilled to the spool too. Rows are dropped, and counted in `stats().dropped`, only when the
 *   disk fails as well, or when Postgres rejects a row itself (a row error that no retry can fix).
 * - Replay. A loop replays spool files oldest first; a file is deleted only once all its rows are
 *   committed. While Postgres is down the loop retries with exponential back-off, and its first
 *   success counts Postgres as up again. Files left by an earlier run (or a crash) are replayed too.
 * - Idempotency. Each record carries a UUID; rows are inserted with ON CONFLICT DO NOTHING on the
 *   primary key (id, at), so a batch both committed and spooled (a timeout after the commit), or a
 *   file replayed twice (a crash between commit and delete), still counts once.
 * - Partitions. telemetry.gateway_events is partitioned by UTC day (migration
 *   20261125172500_gateway_telemetry). The writer ensures yesterday to a week ahead at start and
 *   again when the day changes, and, before inserting a row of a recent day it has not ensured,
 *   that day too. Rows of other days land in the DEFAULT partition; ensure_partitions moves them
 *   into a day's partition if that partition is created later.
 *
 * One writer per spool directory (see spool.ts).
 */
import pg from "pg";
import type { TelemetryRecord } from "../types";
import { normalizeRecord, utcDay } from "./record";
import { ensurePartitions, insertEvents, isRowError, isStatementError } from "./sql";
import { deleteSpoolFile, listSpoolFiles, readSpoolFile, recoverSpoolFiles, writeSpoolFile } from "./spool";

export { countGatewayEvents } from "./sql";

export interface TelemetryWriterOptions {
  connectionString: string;
  /** Where rows wait while Postgres is unreachable (created if missing). */
  spoolDir: string;
  /** Rows per INSERT; a buffer this full is flushed at once. Default 500. */
  maxBatch?: number;
  /** Default 250 ms. */
  flushIntervalMs?: number;
  /** Rows held in memory at most; a buffer this full is spilled to the spool. Default 10 000. */
  maxBuffer?: number;
  /** Connect timeout, which is also how long close() waits for an unreachable Postgres. Default 2 s. */
  connectTimeoutMs?: number;
  /** Per statement. Default 10 s. */
  queryTimeoutMs?: number;
  /** Replay back-off while Postgres is down: from this, doubling. Default 500 ms. */
  retryMinMs?: number;
  /** Replay back-off ceiling. Default 30 s. */
  retryMaxMs?: number;
  /** Told of failures: Postgres going away, rows dropped, spool trouble. Must not throw (it is ignored if it does). */
  onError?: (error: Error) => void;
}

export interface TelemetryWriterStats {
  /** Rows in memory: waiting for a flush or being written. */
  buffered: number;
  /** Rows inserted by flushes (duplicates of rows already stored are not counted). */
  written: number;
  /** INSERT statements committed (flushes and replays). */
  batches: number;
  /** Rows written to spool files. */
  spooled: number;
  /** Spool files waiting to be replayed. */
  spoolFiles: number;
  /** Rows inserted from spool files (duplicates not counted). */
  replayed: number;
  /** Rows lost: the disk failed too, Postgres rejected the row itself, or an unreadable spool line. */
  dropped: number;
  lastError: string | null;
}

/** Ensured at start and whenever the UTC day changes: yesterday to a week ahead. */
const AHEAD_FROM = -1;
const AHEAD_DAYS = 9;
/** A row of a day this far back or ahead gets its partition on demand; farther off, DEFAULT. */
const ON_DEMAND_BACK_DAYS = 31;
const ON_DEMAND_AHEAD_DAYS = 7;
/** How often the replay loop looks for spool files while Postgres is up. */
const REPLAY_IDLE_MS = 1_000;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class TelemetryWriter {
  private readonly pool: pg.Pool;
  private readonly spoolDir: string;
  private readonly maxBatch: number;
  private readonly maxBuffer: number;
  private readonly flushIntervalMs: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  private buffer: TelemetryRecord[] = [];
  /** Rows taken from the buffer and not yet in Postgres or the spool. */
  private inFlight = 0;
  private draining: Promise<void> | null = null;
  private drainScheduled = false;
  private readonly spills = new Set<Promise<void>>();

  /** Believed reachable. When false, batches go straight to the spool and the replay loop probes. */
  private postgresUp = true;
  private readonly spoolFiles = new Set<string>();
  private replaying: Promise<void> | null = null;
  private retryDelayMs: number;

  private readonly ensuredDays = new Set<number>();
  /** The UTC day the week ahead was last ensured on. */
  private aheadEnsuredOn: number | null = null;

  private flushTimer: NodeJS.Timeout | null = null;
  private replayTimer: NodeJS.Timeout | null = null;
  private started = false;
  private closed = false;
  private closing: Promise<void> | null = null;

  private counters = { written: 0, batches: 0, spooled: 0, replayed: 0, dropped: 0 };
  private lastError: string | null = null;

  constructor(private readonly opts: TelemetryWriterOptions) {
    this.spoolDir = opts.spoolDir;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 500);
    this.maxBuffer = Math.max(this.maxBatch, opts.maxBuffer ?? 10_000);
    this.flushIntervalMs = opts.flushIntervalMs ?? 250;
    this.retryMinMs = opts.retryMinMs ?? 500;
    this.retryMaxMs = Math.max(this.retryMinMs, opts.retryMaxMs ?? 30_000);
    this.retryDelayMs = this.retryMinMs;
    this.pool = new pg.Pool({
      connectionString: opts.connectionString,
      max: 2,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 2_000,
      query_timeout: opts.queryTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      application_name: "helix-gateway-telemetry",
    });
    // An idle connection that breaks (Postgres restarted) is dropped by the pool; without a
    // listener the error would crash the process.
    this.pool.on("error", (error) => this.report(error));
  }

  /**
   * Recovers spool files of an earlier run, ensures this week's partitions (best effort: never
   * throws; with Postgres unreachable it takes up to the connect timeout and the writer starts out
   * spooling), and starts the flush timer and the replay loop.
   */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    try {
      await recoverSpoolFiles(this.spoolDir);
      for (const name of await listSpoolFiles(this.spoolDir)) this.spoolFiles.add(name);
    } catch (error) {
      this.report(error);
    }
    try {
      await this.ensureAhead();
    } catch (error) {
      if (isStatementError(error)) {
        this.aheadEnsuredOn = utcDay(Date.now());
        this.report(error);
      } else {
        // Unreachable: spool from the first batch on, the replay loop will find Postgres again.
        this.markDown(error);
      }
    }
    this.flushTimer = setInterval(() => {
      if (this.buffer.length > 0) this.scheduleDrain();
    }, this.flushIntervalMs);
    this.flushTimer.unref();
    this.scheduleReplay(0);
  }

  /** Buffers one record. Synchronous and cheap; never throws. */
  record(r: TelemetryRecord): void {
    try {
      if (this.closed) {
        this.drop(1, new Error("telemetry record after close() was dropped"));
        return;
      }
      this.buffer.push(normalizeRecord(r));
      if (this.buffer.length >= this.maxBuffer) this.spill();
      else if (this.buffer.length >= this.maxBatch) this.scheduleDrain();
    } catch (error) {
      try {
        this.drop(1, error);
      } catch {
        // Nothing more to do without risking the request.
      }
    }
  }

  /** Writes everything buffered now to Postgres, or to the spool if Postgres does not take it. */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.draining) await this.drain();
    while (this.spills.size > 0) await Promise.all(this.spills);
  }

  /**
   * Stops the timers and the replay loop, then flushes what is buffered (to Postgres, or to the
   * spool if Postgres is not reachable within the connect timeout). Records after close() are
   * dropped and counted.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  stats(): TelemetryWriterStats {
    return {
      buffered: this.buffer.length + this.inFlight,
      ...this.counters,
      spoolFiles: this.spoolFiles.size,
      lastError: this.lastError,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Flushing

  /** Drains on the next turn of the event loop, never on the caller's stack. */
  private scheduleDrain(): void {
    if (this.drainScheduled || this.draining) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      void this.drain();
    });
  }

  /** One drain at a time; concurrent callers share it. It never rejects. */
  private drain(): Promise<void> {
    this.draining ??= this.drainLoop().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async drainLoop(): Promise<void> {
    while (this.buffer.length > 0) {
      // While Postgres is down, the whole buffer makes one spool file rather than many small ones.
      const batch = this.postgresUp ? this.buffer.splice(0, this.maxBatch) : this.takeBuffer();
      this.inFlight += batch.length;
      try {
        await this.writeBatch(batch);
      } finally {
        this.inFlight -= batch.length;
      }
    }
  }

  private async writeBatch(batch: TelemetryRecord[]): Promise<void> {
    if (this.postgresUp) {
      try {
        this.counters.written += await this.insert(batch);
        return;
      } catch (error) {
        this.markDown(error);
      }
    }
    await this.spoolRows(batch);
  }

  private takeBuffer(): TelemetryRecord[] {
    const rows = this.buffer;
    this.buffer = [];
    return rows;
  }

  /** The buffer is full (Postgres slow or down): hand all of it to the disk, in the background. */
  private spill(): void {
    const rows = this.takeBuffer();
    this.inFlight += rows.length;
    const done = this.spoolRows(rows).finally(() => {
      this.inFlight -= rows.length;
      this.spills.delete(done);
    });
    this.spills.add(done);
  }

  /** Never rejects: rows the disk does not take either are dropped and counted. */
  private async spoolRows(rows: TelemetryRecord[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      const name = await writeSpoolFile(this.spoolDir, rows);
      this.spoolFiles.add(name);
      this.counters.spooled += rows.length;
    } catch (error) {
      this.drop(rows.length, error);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Postgres

  /**
   * Inserts rows (ensuring their partitions first); returns how many were new. Throws when
   * Postgres is unreachable or refuses the statement; rows it rejects themselves are dropped.
   */
  private async insert(rows: TelemetryRecord[]): Promise<number> {
    await this.ensureDaysOf(rows);
    try {
      const inserted = await insertEvents(this.pool, rows);
      this.counters.batches++;
      return inserted;
    } catch (error) {
      if (!isRowError(error)) throw error;
      // Normalization makes this rare; one bad row must not hold back (or loop) the whole batch.
      this.report(error);
      let inserted = 0;
      for (const row of rows) {
        try {
          inserted += await insertEvents(this.pool, [row]);
          this.counters.batches++;
        } catch (rowError) {
          if (!isRowError(rowError)) throw rowError;
          this.drop(1, rowError);
        }
      }
      return inserted;
    }
  }

  private async ensureAhead(): Promise<void> {
    const today = utcDay(Date.now());
    if (this.aheadEnsuredOn === today) return;
    await ensurePartitions(this.pool, today + AHEAD_FROM, AHEAD_DAYS);
    for (let i = 0; i < AHEAD_DAYS; i++) this.ensuredDays.add(today + AHEAD_FROM + i);
    this.aheadEnsuredOn = today;
  }

  /**
   * Best effort: if Postgres refuses (say the role may not create tables), rows go to the DEFAULT
   * partition and the day is not tried again until the next day's ensure. Connection failures are
   * thrown, the batch is then spooled.
   */
  private async ensureDaysOf(rows: TelemetryRecord[]): Promise<void> {
    const today = utcDay(Date.now());
    try {
      await this.ensureAhead();
    } catch (error) {
      if (!isStatementError(error)) throw error;
      this.aheadEnsuredOn = today;
      this.report(error);
    }
    const missing = new Set<number>();
    for (const r of rows) {
      const day = utcDay(r.at);
      if (this.ensuredDays.has(day)) continue;
      if (day < today - ON_DEMAND_BACK_DAYS || day > today + ON_DEMAND_AHEAD_DAYS) continue;
      missing.add(day);
    }
    for (const day of missing) {
      try {
        await ensurePartitions(this.pool, day, 1);
      } catch (error) {
        if (!isStatementError(error)) throw error;
        this.report(error);
      }
      this.ensuredDays.add(day);
    }
  }

  private markDown(error: unknown): void {
    if (this.postgresUp) {
      this.postgresUp = false;
      this.retryDelayMs = this.retryMinMs;
      this.report(new Error(`telemetry: Postgres unavailable, spooling to ${this.spoolDir}: ${asError(error).message}`));
      this.scheduleReplay(this.retryMinMs);
    } else {
      this.lastError = asError(error).message;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Replay

  private scheduleReplay(delayMs: number): void {
    if (this.closed) return;
    if (this.replayTimer) clearTimeout(this.replayTimer);
    this.replayTimer = setTimeout(() => {
      this.replayTimer = null;
      if (this.replaying) return;
      this.replaying = this.replayRound().finally(() => {
        this.replaying = null;
      });
    }, delayMs);
    this.replayTimer.unref();
  }

  private async replayRound(): Promise<void> {
    let ok: boolean;
    try {
      ok = await this.replayAll();
    } catch (error) {
      this.markDown(error);
      ok = false;
    }
    if (ok) {
      this.retryDelayMs = this.retryMinMs;
      // A flush may have found Postgres gone while this round had nothing to do.
      this.scheduleReplay(this.postgresUp ? REPLAY_IDLE_MS : this.retryMinMs);
    } else {
      // Jitter keeps gateways that lost Postgres together from coming back in lockstep.
      this.scheduleReplay(this.retryDelayMs * (0.75 + Math.random() * 0.5));
      this.retryDelayMs = Math.min(this.retryMaxMs, this.retryDelayMs * 2);
    }
  }

  /** Replays every spool file, oldest first; the first success counts Postgres as up again. */
  private async replayAll(): Promise<boolean> {
    try {
      for (const name of await listSpoolFiles(this.spoolDir)) this.spoolFiles.add(name);
    } catch (error) {
      this.report(error);
    }
    if (this.spoolFiles.size === 0) {
      if (this.postgresUp) return true;
      // Nothing to replay (the disk failed too): probe, so batches stop going to the spool.
      await this.pool.query("SELECT 1");
    }
    for (const name of [...this.spoolFiles].sort()) {
      if (this.closed) break;
      await this.replayFile(name);
      this.postgresUp = true;
    }
    this.postgresUp = true;
    return true;
  }

  private async replayFile(name: string): Promise<void> {
    let file: Awaited<ReturnType<typeof readSpoolFile>>;
    try {
      file = await readSpoolFile(this.spoolDir, name);
    } catch (error) {
      this.spoolFiles.delete(name);
      // Gone already, or unreadable: leave it for an operator (and the next start) rather than loop.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.report(error);
      return;
    }
    if (file.skipped > 0) {
      this.drop(file.skipped, new Error(`telemetry: ${file.skipped} unreadable line(s) in spool file ${name}`));
    }
    for (let i = 0; i < file.records.length; i += this.maxBatch) {
      this.counters.replayed += await this.insert(file.records.slice(i, i + this.maxBatch));
    }
    await deleteSpoolFile(this.spoolDir, name);
    this.spoolFiles.delete(name);
  }

  // -------------------------------------------------------------------------------------------

  private async shutdown(): Promise<void> {
    this.closed = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.replayTimer) clearTimeout(this.replayTimer);
    this.flushTimer = this.replayTimer = null;
    await this.replaying;
    await this.flush();
    await this.pool.end().catch((error: unknown) => this.report(error));
  }

  private drop(rows: number, error: unknown): void {
    this.counters.dropped += rows;
    this.report(error);
  }

  private report(error: unknown): void {
    const e = asError(error);
    this.lastError = e.message;
    try {
      this.opts.onError?.(e);
    } catch {
      // A failing listener must not break the writer.
    }
  }
}
