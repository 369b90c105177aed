import { createHash } from "node:crypto";
import type { Db, Tx } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";

// The audit log is a hash chain per organization: event n stores
//   hash = sha256hex(prevHash + "\n" + canonicalJson(content))   with prevHash = hash of event n-1 ("" for n = 1),
// so changing, removing or reordering a recorded event breaks the chain at that event.
//
// The content is everything a reader of the log relies on, except `actorId`: it is a link to a user
// account that Postgres sets to null when the account is deleted (ON DELETE SET NULL), which would
// otherwise "break" every event the person ever wrote. `actorEmail`, kept for exactly that reason,
// is the actor the chain vouches for.
//
// Events without a position (`seq` null) come from databases older than the chain, or from writers
// that bypass `recordAudit`. They are sealed, oldest (at, id) first, after the current end of the
// chain: by `chainUnchainedEvents` (all of them; `npx tsx server/audit/cli.ts seal` after upgrading),
// and by every `recordAudit`, which seals up to SEAL_BATCH waiting events of its organization before
// its own, so a backlog drains even if nobody runs the former. Until sealed, `verifyAuditChain` reports the oldest
// such event as not in the chain. The chain order is the order of sealing, which for everything
// `recordAudit` writes is also time order (it takes `at` from the database clock under the lock).

/** A JSON value as it is hashed. */
export type ChainJson = null | boolean | number | string | ChainJson[] | { [key: string]: ChainJson };

/**
 * Canonical JSON (RFC 8785 style): object keys sorted by UTF-16 code units at every depth, no
 * whitespace, strings and numbers as `JSON.stringify` writes them (ECMAScript shortest round-trip
 * numbers). Anything else follows `JSON.stringify`: `toJSON` is honoured, undefined members are
 * dropped, undefined array items and non-finite numbers become null.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? "null";
}

function write(value: unknown): string | undefined {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "bigint":
      throw new TypeError("canonicalJson: a BigInt has no JSON form");
    case "object":
      if (Array.isArray(value)) return `[${value.map((item) => write(item) ?? "null").join(",")}]`;
      return `{${Object.keys(value as object)
        .sort()
        .flatMap((key) => {
          const member = write((value as Record<string, unknown>)[key]);
          return member === undefined ? [] : [`${JSON.stringify(key)}:${member}`];
        })
        .join(",")}}`;
    default:
      return undefined; // undefined, functions, symbols: left out, as JSON.stringify does
  }
}

/** The JSON value Postgres will hand back for `value` (up to key order): what is both written and hashed. */
export function toChainJson(value: unknown): ChainJson {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? null : (JSON.parse(text) as ChainJson);
}

/** What an event's hash covers. */
export interface ChainContent {
  orgId: string;
  seq: number;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: ChainJson;
  after: ChainJson;
  /** ISO 8601 with milliseconds, UTC (`Date#toISOString`): the column is timestamp(3). */
  at: string;
}

export const sha256hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export function chainHash(prevHash: string, content: ChainContent): string {
  return sha256hex(`${prevHash}\n${canonicalJson(content)}`);
}

/** A stored event's hashed content, as read back from the database. */
export function contentOf(row: ChainRow, seq: number): ChainContent {
  return {
    orgId: row.orgId,
    seq,
    actorEmail: row.actorEmail,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    // Already plain JSON as read from jsonb (key order aside, which canonicalJson takes care of).
    before: (row.before ?? null) as ChainJson,
    after: (row.after ?? null) as ChainJson,
    at: row.at.toISOString(),
  };
}

const chainRowSelect = {
  id: true,
  orgId: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  before: true,
  after: true,
  at: true,
  seq: true,
  hash: true,
  prevHash: true,
} satisfies Prisma.AuditEventSelect;

type ChainRow = Prisma.AuditEventGetPayload<{ select: typeof chainRowSelect }>;

/** The end of an organization's chain: the last sealed event's position and hash (0 and "" when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Serialises the writers of one organization's chain until the transaction ends. The two-key form
 * keeps these locks apart from the single-key advisory locks used elsewhere.
 */
export async function lockChain(tx: Tx, orgId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('helix.audit_chain'), hashtext(${orgId}))`;
}

/**
 * The chain's head, whether events wait to be sealed, and the database clock (ms), read in one round
 * trip. Call it after `lockChain`, in its own statement, so it sees what the previous holder committed.
 */
export async function readChainHead(tx: Tx, orgId: string): Promise<{ head: ChainHead; hasUnchained: boolean; now: Date }> {
  const [row] = await tx.$queryRaw<{ seq: number | null; hash: string | null; hasUnchained: boolean; now: Date }[]>`
    SELECT h.seq, h.hash,
           EXISTS (SELECT 1 FROM "AuditEvent" WHERE "orgId" = ${orgId} AND seq IS NULL) AS "hasUnchained",
           date_trunc('milliseconds', clock_timestamp()) AS now
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (
      SELECT seq, hash FROM "AuditEvent" WHERE "orgId" = ${orgId} AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1
    ) AS h ON true`;
  if (!row) throw new Error("readChainHead: no row");
  return { head: { seq: row.seq ?? 0, hash: row.hash ?? "" }, hasUnchained: row.hasUnchained, now: new Date(row.now) };
}

/** How many waiting events `recordAudit` seals before its own (bounded, so a mutation stays quick). */
export const SEAL_BATCH = 1000;

/**
 * Seals up to `limit` unchained events of the organization, oldest (at, id) first, after `head`.
 * Hold the chain lock. Returns the new head and how many were sealed.
 */
export async function sealUnchained(tx: Tx, orgId: string, head: ChainHead, limit: number): Promise<{ head: ChainHead; sealed: number }> {
  let sealed = 0;
  let after: { at: Date; id: string } | null = null;
  while (sealed < limit) {
    const rows: ChainRow[] = await tx.auditEvent.findMany({
      where: {
        orgId,
        seq: null,
        ...(after ? { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take: Math.min(500, limit - sealed),
      select: chainRowSelect,
    });
    if (rows.length === 0) break;
    const ids: string[] = [];
    const seqs: number[] = [];
    const hashes: string[] = [];
    const prevs: string[] = [];
    for (const row of rows) {
      const seq = head.seq + 1;
      const hash = chainHash(head.hash, contentOf(row, seq));
      ids.push(row.id);
      seqs.push(seq);
      hashes.push(hash);
      prevs.push(head.hash);
      head = { seq, hash };
    }
    const updated = await tx.$executeRaw`
      UPDATE "AuditEvent" AS e SET seq = v.seq, hash = v.hash, "prevHash" = v.prev
      FROM unnest(${ids}::text[], ${seqs}::int[], ${hashes}::text[], ${prevs}::text[]) AS v(id, seq, hash, prev)
      WHERE e.id = v.id AND e."orgId" = ${orgId} AND e.seq IS NULL`;
    // A row deleted meanwhile would leave a gap in the chain: roll back instead (a retry succeeds).
    if (updated !== rows.length) throw new Error(`Sealing audit events of ${orgId}: ${rows.length - updated} changed while being sealed`);
    sealed += rows.length;
    const last = rows.at(-1)!;
    after = { at: last.at, id: last.id };
  }
  return { head, sealed };
}

/**
 * Seals every event that is not in its organization's chain yet (one organization, or all), in
 * batches of short transactions so writers wait at most one batch. Safe to run at any time, also
 * while the app runs; returns how many events it sealed.
 */
export async function chainUnchainedEvents(opts: { db: Db; orgId?: string; batchSize?: number }): Promise<{ sealed: number }> {
  const { db } = opts;
  const batchSize = opts.batchSize ?? 2000;
  const orgIds = opts.orgId
    ? [opts.orgId]
    : (await db.$queryRaw<{ orgId: string }[]>`SELECT DISTINCT "orgId" FROM "AuditEvent" WHERE seq IS NULL`).map((r) => r.orgId);
  let total = 0;
  for (const orgId of orgIds) {
    for (;;) {
      const sealed = await db.$transaction(
        async (tx) => {
          await lockChain(tx, orgId);
          const { head, hasUnchained } = await readChainHead(tx, orgId);
          return hasUnchained ? (await sealUnchained(tx, orgId, head, batchSize)).sealed : 0;
        },
        { timeout: 60_000, maxWait: 30_000 },
      );
      total += sealed;
      if (sealed < batchSize) break;
    }
  }
  return { sealed: total };
}

export interface BrokenEvent {
  id: string;
  seq: number | null;
  at: Date;
  reason: string;
}

export interface AuditChainVerification {
  /** True when every event of the organization is in the chain and the chain is intact. */
  ok: boolean;
  /** Events found intact, in chain order, before the first broken one (all of them when ok). */
  checked: number;
  /** The first event, in chain order, at which the chain does not hold; null when ok. */
  firstBroken: null | BrokenEvent;
}

/** Why `row`, expected at position `expectedSeq` after an event with hash `prevHash`, breaks the chain; null if it holds. */
export function chainBreak(row: { seq: number; hash: string | null; prevHash: string | null }, expectedSeq: number, prevHash: string, content: ChainContent): string | null {
  if (row.seq < expectedSeq) return `Its position in the chain (${row.seq}) is out of sequence: event ${expectedSeq} was expected here`;
  if (row.seq > expectedSeq) {
    const missing = row.seq - expectedSeq;
    const which = missing === 1 ? `event ${expectedSeq} is` : `events ${expectedSeq}–${row.seq - 1} are`;
    return `An event is missing before this one: ${which} not in the log (deleted?)`;
  }
  if (row.prevHash !== prevHash) {
    return expectedSeq === 1
      ? "The first event of the chain must not link to a previous one, but this one does"
      : `Its link to event ${expectedSeq - 1} does not match that event's hash: the previous event or this link was rewritten`;
  }
  if (!row.hash) return "It has a position in the chain but no hash";
  if (chainHash(prevHash, content) !== row.hash) return "Its content no longer matches its hash: the event was changed after it was recorded";
  return null;
}

export const NOT_IN_CHAIN_REASON =
  "It is not in the hash chain: it was written without recordAudit, or before the chain existed and not sealed yet";

/**
 * Walks the organization's chain in order, in keyset batches (memory stays flat however long the
 * log), recomputes every hash and checks every link and position, and names the first event where
 * the chain does not hold. Read-only. An event deleted from the middle shows as a gap at the event
 * after it; the chain alone cannot tell that events were cut off its end (compare the count and the
 * last hash with an earlier export for that).
 */
export async function verifyAuditChain(opts: { db: Db | Tx; orgId: string; batchSize?: number }): Promise<AuditChainVerification> {
  const { db, orgId } = opts;
  const batchSize = opts.batchSize ?? 2000;
  let prevHash = "";
  let expected = 1;
  let checked = 0;
  let lastSeq: number | null = null;
  for (;;) {
    const rows: ChainRow[] = await db.auditEvent.findMany({
      where: { orgId, seq: lastSeq === null ? { not: null } : { gt: lastSeq } },
      orderBy: { seq: "asc" },
      take: batchSize,
      select: chainRowSelect,
    });
    for (const row of rows) {
      const seq = row.seq!;
      const reason = chainBreak({ seq, hash: row.hash, prevHash: row.prevHash }, expected, prevHash, contentOf(row, seq));
      if (reason) return { ok: false, checked, firstBroken: { id: row.id, seq, at: row.at, reason } };
      checked++;
      expected++;
      prevHash = row.hash!;
      lastSeq = seq;
    }
    if (rows.length < batchSize) break;
  }
  const unchained = await db.auditEvent.findFirst({
    where: { orgId, seq: null },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { id: true, at: true },
  });
  if (unchained) return { ok: false, checked, firstBroken: { id: unchained.id, seq: null, at: unchained.at, reason: NOT_IN_CHAIN_REASON } };
  return { ok: true, checked, firstBroken: null };
}
