import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TelemetryRecord } from "../types";
import { listSpoolFiles, readSpoolFile } from "./spool";
import { sampleRecord } from "./testing";
import { TelemetryWriter } from "./writer";

// Nothing listens on port 1: every connection is refused at once, as with Postgres down.
const UNREACHABLE = "postgresql://postgres@127.0.0.1:1/helix";

let dir: string;
let writer: TelemetryWriter | null = null;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "helix-telemetry-"));
});
afterEach(async () => {
  await writer?.close();
  writer = null;
  await rm(dir, { recursive: true, force: true });
});

async function spooledRows(spoolDir: string): Promise<TelemetryRecord[]> {
  const rows: TelemetryRecord[] = [];
  for (const name of await listSpoolFiles(spoolDir)) rows.push(...(await readSpoolFile(spoolDir, name)).records);
  return rows;
}

describe("TelemetryWriter without Postgres", () => {
  it("starts, keeps taking records and spools them on close", async () => {
    const errors: Error[] = [];
    writer = new TelemetryWriter({ connectionString: UNREACHABLE, spoolDir: dir, onError: (e) => errors.push(e) });
    await writer.start();
    const records = Array.from({ length: 25 }, () => sampleRecord());
    for (const r of records) writer.record(r);
    expect(writer.stats().buffered).toBe(25);

    await writer.close();
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 0, spooled: 25, dropped: 0 });
    expect(writer.stats().spoolFiles).toBeGreaterThan(0);
    expect((await spooledRows(dir)).map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());
    expect(errors.some((e) => /unavailable/.test(e.message))).toBe(true);
  });

  it("never throws from record(), whatever it is given", async () => {
    writer = new TelemetryWriter({ connectionString: UNREACHABLE, spoolDir: dir });
    const junk = [null, undefined, 42, "x", { at: "soon", latencyMs: {} }, Object.create(null)] as unknown as TelemetryRecord[];
    for (const r of junk) expect(() => writer!.record(r)).not.toThrow();
    await writer.close();
    expect(() => writer!.record(sampleRecord())).not.toThrow();
    const stats = writer.stats();
    // null and undefined cannot be read at all; the rest were made insertable; one came after close.
    expect(stats.spooled + stats.dropped).toBe(junk.length + 1);
    expect(stats.dropped).toBe(3);
  });

  it("spills a full buffer to disk instead of dropping it", async () => {
    writer = new TelemetryWriter({ connectionString: UNREACHABLE, spoolDir: dir, maxBatch: 10, maxBuffer: 50 });
    for (let i = 0; i < 120; i++) writer.record(sampleRecord());
    // Two spills (at 50 and 100 rows) already under way, 20 rows left in memory.
    expect(writer.stats().buffered).toBe(120);
    await writer.flush();
    expect(writer.stats()).toMatchObject({ buffered: 0, spooled: 120, dropped: 0 });
    expect(await spooledRows(dir)).toHaveLength(120);
    expect((await listSpoolFiles(dir)).length).toBeGreaterThanOrEqual(3);
  });

  it("drops and counts rows only when the disk fails too", async () => {
    const notADirectory = path.join(dir, "spool");
    await writeFile(notADirectory, "");
    const errors: Error[] = [];
    writer = new TelemetryWriter({ connectionString: UNREACHABLE, spoolDir: notADirectory, onError: (e) => errors.push(e) });
    await writer.start();
    for (let i = 0; i < 7; i++) writer.record(sampleRecord());
    await writer.flush();
    expect(writer.stats()).toMatchObject({ buffered: 0, spooled: 0, dropped: 7 });
    expect(writer.stats().lastError).toMatch(/ENOTDIR|EEXIST/);
    expect(errors.length).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual(["spool"]);
  });
});
