import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, unlink } from "node:fs/promises";
import path from "node:path";
import type { TelemetryRecord } from "../types";
import { normalizeRecord } from "./record";

/**
 * The spool: telemetry rows kept on local disk while Postgres cannot take them.
 *
 * One file per spilled batch, JSON lines (one normalized TelemetryRecord per line). A file is
 * written whole to `<name>.jsonl.tmp`, fsync'd, renamed to `<name>.jsonl` and the directory
 * fsync'd, so a complete `.jsonl` file is durable and never half-written. Names start with the
 * zero-padded time of writing, so sorting them gives the order to replay in, oldest first.
 *
 * Reading is forgiving all the same: a line that does not parse (a torn tail after a crash or a
 * full disk, a `.tmp` file recovered after a crash) is skipped and counted, never fatal, so one bad
 * line cannot block the rows after it or the files behind it.
 *
 * One process per spool directory: a gateway that shares its directory with another would replay
 * (harmlessly, rows are idempotent) and delete that one's files.
 */

export const SPOOL_EXT = ".jsonl";
const TMP_EXT = ".tmp";

let sequence = 0;
/** Temporary files this process is writing right now: not crash leftovers, recovery leaves them be. */
const writing = new Set<string>();

/** `000001764085500123-000042-1a2b3c.jsonl`: time, then a per-process sequence, then noise. */
function spoolFileName(now: number): string {
  sequence = (sequence + 1) % 1_000_000;
  const time = String(now).padStart(18, "0");
  const seq = String(sequence).padStart(6, "0");
  return `${time}-${seq}-${randomBytes(3).toString("hex")}${SPOOL_EXT}`;
}

export function encodeSpoolLines(records: readonly TelemetryRecord[]): string {
  let out = "";
  for (const r of records) out += JSON.stringify(r) + "\n";
  return out;
}

/** Parses spool text; lines that are not a record are skipped and counted. */
export function parseSpoolLines(text: string): { records: TelemetryRecord[]; skipped: number } {
  const records: TelemetryRecord[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (!isRecordLike(value)) {
      skipped++;
      continue;
    }
    records.push(normalizeRecord(value));
  }
  return { records, skipped };
}

/** The minimum that makes a line a record we can insert as it was meant: its identity and time. */
function isRecordLike(value: unknown): value is Partial<Record<keyof TelemetryRecord, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === "string" &&
    v.id !== "" &&
    typeof v.orgId === "string" &&
    typeof v.at === "number" &&
    (v.kind === "request" || v.kind === "attempt")
  );
}

/** Writes one spool file durably (write, fsync, rename, fsync the directory); returns its name. */
export async function writeSpoolFile(dir: string, records: readonly TelemetryRecord[], now = Date.now()): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = spoolFileName(now);
  const tmp = path.join(dir, name + TMP_EXT);
  writing.add(tmp);
  try {
    const file = await open(tmp, "wx");
    try {
      await file.writeFile(encodeSpoolLines(records));
      await file.sync();
    } catch (error) {
      await file.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    await file.close();
    await rename(tmp, path.join(dir, name));
  } finally {
    writing.delete(tmp);
  }
  await syncDirectory(dir);
  return name;
}

/** Makes a rename or unlink durable. Best effort: some platforms cannot open a directory to sync it. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Nothing to do: the data itself was fsync'd; only the name might be lost in a power cut.
  }
}

/** The complete spool files in `dir`, oldest first (a missing directory has none). */
export async function listSpoolFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.filter((n) => n.endsWith(SPOOL_EXT)).sort();
}

export async function readSpoolFile(dir: string, name: string): Promise<{ records: TelemetryRecord[]; skipped: number }> {
  return parseSpoolLines(await readFile(path.join(dir, name), "utf8"));
}

export async function deleteSpoolFile(dir: string, name: string): Promise<void> {
  await unlink(path.join(dir, name)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

/**
 * Run before the first replay: a `.tmp` file is one whose writer crashed before the rename. Its
 * complete lines are good rows; it is renamed so the replay picks it up (torn lines are skipped
 * then). Returns how many files were recovered.
 */
export async function recoverSpoolFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  let recovered = 0;
  for (const name of names) {
    if (!name.endsWith(SPOOL_EXT + TMP_EXT) || writing.has(path.join(dir, name))) continue;
    await rename(path.join(dir, name), path.join(dir, name.slice(0, -TMP_EXT.length)));
    recovered++;
  }
  if (recovered > 0) await syncDirectory(dir);
  return recovered;
}
