import { appendFile, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  deleteSpoolFile,
  encodeSpoolLines,
  listSpoolFiles,
  parseSpoolLines,
  readSpoolFile,
  recoverSpoolFiles,
  writeSpoolFile,
} from "./spool";
import { sampleRecord } from "./testing";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "helix-spool-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("spool lines", () => {
  it("round-trips records", () => {
    const records = [sampleRecord(), sampleRecord({ kind: "attempt", subject: "s\u2028x", costUsd: null })];
    expect(parseSpoolLines(encodeSpoolLines(records))).toEqual({ records, skipped: 0 });
  });

  it("skips a torn last line (a crash mid-write) and keeps the rows before it", () => {
    const records = [sampleRecord(), sampleRecord()];
    const torn = encodeSpoolLines([...records, sampleRecord()]).slice(0, -25);
    expect(parseSpoolLines(torn)).toEqual({ records, skipped: 1 });
  });

  it("skips lines that are not records, wherever they are", () => {
    const [a, b] = [sampleRecord(), sampleRecord()];
    const text = [
      JSON.stringify(a),
      "\u0000\u0000\u0000",
      JSON.stringify({ id: "x", orgId: "o" }),
      "[1,2]",
      "",
      JSON.stringify(b),
    ].join("\n");
    expect(parseSpoolLines(text)).toEqual({ records: [a, b], skipped: 3 });
  });
});

describe("spool files", () => {
  it("writes complete files that list oldest first and read back", async () => {
    const first = [sampleRecord(), sampleRecord()];
    const second = [sampleRecord()];
    const newer = await writeSpoolFile(dir, second, 2_000);
    const older = await writeSpoolFile(dir, first, 1_000);
    expect(await listSpoolFiles(dir)).toEqual([older, newer]);
    expect(await readSpoolFile(dir, older)).toEqual({ records: first, skipped: 0 });
    expect((await readdir(dir)).some((n) => n.endsWith(".tmp"))).toBe(false);

    await deleteSpoolFile(dir, older);
    await deleteSpoolFile(dir, older); // already gone: not an error
    expect(await listSpoolFiles(dir)).toEqual([newer]);
  });

  it("reads a file whose tail was torn after the fact", async () => {
    const records = [sampleRecord(), sampleRecord()];
    const name = await writeSpoolFile(dir, records);
    await appendFile(path.join(dir, name), '{"id":"half-written","orgId":"o","at":17');
    expect(await readSpoolFile(dir, name)).toEqual({ records, skipped: 1 });
  });

  it("recovers a temporary file left by a crash so its complete rows are replayed", async () => {
    const records = [sampleRecord()];
    await writeFile(path.join(dir, "000000000000000005-000001-abcdef.jsonl.tmp"), encodeSpoolLines(records) + '{"id":');
    expect(await listSpoolFiles(dir)).toEqual([]);
    expect(await recoverSpoolFiles(dir)).toBe(1);
    const [name] = await listSpoolFiles(dir);
    expect(name).toBe("000000000000000005-000001-abcdef.jsonl");
    expect(await readSpoolFile(dir, name!)).toEqual({ records, skipped: 1 });
  });

  it("treats a missing directory as an empty spool, and creates it on write", async () => {
    const missing = path.join(dir, "not-yet");
    expect(await listSpoolFiles(missing)).toEqual([]);
    expect(await recoverSpoolFiles(missing)).toBe(0);
    await writeSpoolFile(missing, [sampleRecord()]);
    expect(await listSpoolFiles(missing)).toHaveLength(1);
  });

  it("fails (for the writer to count the rows as dropped) when the disk cannot take the file", async () => {
    const notADirectory = path.join(dir, "file");
    await writeFile(notADirectory, "");
    await expect(writeSpoolFile(notADirectory, [sampleRecord()])).rejects.toThrow();
  });
});
