import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createContext } from "@/server/trpc/context";
import { callerFor, createMember, createOrg, createUser, expectTRPCError, rand, type TestOrg, type TestUser } from "@/server/test/fixtures";
import { chainHash, chainUnchainedEvents, contentOf, NOT_IN_CHAIN_REASON, verifyAuditChain } from "./chain";
import { auditExportLines, exportAuditLog } from "./export";
import { recordAudit } from "./record";

const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, "../../scripts/verify-audit-export.mjs");
const dir = await mkdtemp(path.join(tmpdir(), "helix-audit-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Records one event the way every mutation does: in its own transaction. */
function record(org: { id: string }, actor: TestUser | null, n: number) {
  return db().$transaction((tx) =>
    recordAudit(tx, {
      orgId: org.id,
      actor,
      action: "organization.updated",
      targetType: "organization",
      targetId: org.id,
      // Keys in an order jsonb will not keep, nested values, unicode and numbers: all must survive the round trip.
      before: { zeta: n, alpha: { list: [n, "Zoë 東京 😀", null, { y: 1, x: 0.1 + 0.2 }] }, mid: true },
      after: { name: `Org v${n}`, big: 1e21, small: 1e-7, neg: -1.5, none: null },
    }),
  );
}

/** An organization (its creation is event 1) with `extra` more events, and its events in chain order. */
async function orgWithChain(extra: number): Promise<{ owner: TestUser; org: TestOrg; events: { id: string; seq: number | null; at: Date }[] }> {
  const owner = await createUser();
  const org = await createOrg({ owner });
  for (let i = 0; i < extra; i++) await record(org, owner, i);
  const events = await db().auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" }, select: { id: true, seq: true, at: true } });
  return { owner, org, events };
}

const verify = (org: { id: string }, batchSize?: number) => verifyAuditChain({ db: db(), orgId: org.id, batchSize });

describe("recordAudit", () => {
  it("keeps one gapless chain when many transactions of one organization write at once", async () => {
    const owner = await createUser();
    const org = await createOrg({ owner });
    // Each transaction does a little work before its audit write, so they overlap on the chain's end.
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        db().$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_sleep(0.01)`;
          await recordAudit(tx, { orgId: org.id, actor: owner, action: "organization.updated", targetType: "organization", after: { i } });
        }),
      ),
    );

    const rows = await db().auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(rows[0]!.prevHash).toBe("");
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((r) => (r.after as { i?: number } | null)?.i)).size).toBe(17); // 16 writes + creation
    // Chain order is time order: `at` is taken from the database clock under the lock.
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.at.getTime());
    expect(await verify(org)).toEqual({ ok: true, checked: 17, firstBroken: null });
  });

  it("keeps the chains of two organizations apart", async () => {
    const a = await orgWithChain(0);
    const b = await orgWithChain(0);
    for (let i = 0; i < 3; i++) await Promise.all([record(a.org, a.owner, i), record(b.org, b.owner, i)]);
    for (const { org } of [a, b]) {
      const seqs = (await db().auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" }, select: { seq: true } })).map((r) => r.seq);
      expect(seqs).toEqual([1, 2, 3, 4]);
      expect(await verify(org)).toEqual({ ok: true, checked: 4, firstBroken: null });
    }

    await db().$executeRaw`UPDATE "AuditEvent" SET action = 'member.removed' WHERE "orgId" = ${a.org.id} AND seq = 2`;
    expect((await verify(a.org)).firstBroken?.seq).toBe(2);
    expect(await verify(b.org)).toEqual({ ok: true, checked: 4, firstBroken: null });
  });
});

describe("verifyAuditChain", () => {
  it.each([
    ["after", (id: string) => db().$executeRaw`UPDATE "AuditEvent" SET after = jsonb_set(after, '{name}', '"Evil Corp"') WHERE id = ${id}`],
    ["action", (id: string) => db().$executeRaw`UPDATE "AuditEvent" SET action = 'member.removed' WHERE id = ${id}`],
    ["at (by one millisecond)", (id: string) => db().$executeRaw`UPDATE "AuditEvent" SET at = at + interval '1 millisecond' WHERE id = ${id}`],
    ["actorEmail", (id: string) => db().$executeRaw`UPDATE "AuditEvent" SET "actorEmail" = 'someone-else@test.helix' WHERE id = ${id}`],
  ])("names exactly the event whose %s was changed in the database", async (_what, tamper) => {
    const { org, events } = await orgWithChain(6);
    const victim = events[3]!;
    expect(await verify(org)).toEqual({ ok: true, checked: 7, firstBroken: null });

    await tamper(victim.id);

    const after = await db().auditEvent.findUniqueOrThrow({ where: { id: victim.id } });
    expect(await verify(org)).toEqual({
      ok: false,
      checked: 3,
      firstBroken: { id: victim.id, seq: 4, at: after.at, reason: expect.stringMatching(/content no longer matches its hash/) },
    });
  });

  it("names the event after a deleted one, saying an event is missing", async () => {
    const { org, events } = await orgWithChain(5);
    await db().auditEvent.delete({ where: { id: events[2]!.id } });

    expect(await verify(org)).toEqual({
      ok: false,
      checked: 2,
      firstBroken: { id: events[3]!.id, seq: 4, at: events[3]!.at, reason: expect.stringMatching(/event is missing before this one: event 3 is not in the log/) },
    });
  });

  it("names the event after one whose hash was recomputed to match an edit: its link no longer holds", async () => {
    const { org, events } = await orgWithChain(4);
    // A careful forger changes event 2 and gives it a matching hash; event 3 still links to the old one.
    await db().$executeRaw`UPDATE "AuditEvent" SET action = 'member.removed' WHERE id = ${events[1]!.id}`;
    const { firstBroken } = await verify(org);
    expect(firstBroken?.id).toBe(events[1]!.id);
    const { prevHash } = await db().auditEvent.findUniqueOrThrow({ where: { id: events[1]!.id } });
    await reseal(org.id, events[1]!.id, prevHash!);
    expect((await verify(org)).firstBroken).toEqual({ id: events[2]!.id, seq: 3, at: events[2]!.at, reason: expect.stringMatching(/link to event 2 does not match/) });
  });

  it("walks long chains in batches and still names exactly the broken event", async () => {
    const { org, events } = await orgWithChain(11); // 12 events, batches of 5
    expect(await verify(org, 5)).toEqual({ ok: true, checked: 12, firstBroken: null });
    await db().$executeRaw`UPDATE "AuditEvent" SET "targetId" = 'elsewhere' WHERE id = ${events[10]!.id}`;
    expect(await verify(org, 5)).toMatchObject({ ok: false, checked: 10, firstBroken: { id: events[10]!.id, seq: 11 } });
  });

  it("still holds after the actor's account is deleted (actorId is set to null, actorEmail stays)", async () => {
    const actor = await createUser();
    const { org } = await orgWithChain(0);
    await record(org, actor, 1);
    await db().user.delete({ where: { id: actor.id } });
    expect(await db().auditEvent.count({ where: { orgId: org.id, actorId: null, actorEmail: actor.email } })).toBe(1);
    expect(await verify(org)).toEqual({ ok: true, checked: 2, firstBroken: null });
  });
});

/** Recomputes one event's hash as a forger with database access would (same algorithm, no secret). */
async function reseal(orgId: string, id: string, prevHash: string): Promise<void> {
  const row = await db().auditEvent.findUniqueOrThrow({ where: { id } });
  const hash = chainHash(prevHash, contentOf(row, row.seq!));
  await db().auditEvent.update({ where: { id, orgId }, data: { hash } });
}

describe("events written outside the chain", () => {
  const legacy = (org: { id: string }, count: number, base: number) =>
    db().auditEvent.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        orgId: org.id,
        actorEmail: `legacy-${i}@test.helix`,
        action: "member.removed",
        targetType: "member",
        after: { i, z: { b: 2, a: 1 } },
        at: new Date(base + (i % 2 === 0 ? i : i - 1) * 1000), // ties: (at, id) decides
      })),
    });

  it("are reported until sealed, then sealed after the chain's end in (at, id) order by chainUnchainedEvents", async () => {
    const { org } = await orgWithChain(1);
    await legacy(org, 5, Date.now() - 86_400_000);
    const waiting = await db().auditEvent.findMany({ where: { orgId: org.id, seq: null }, orderBy: [{ at: "asc" }, { id: "asc" }] });

    expect(await verify(org)).toEqual({ ok: false, checked: 2, firstBroken: { id: waiting[0]!.id, seq: null, at: waiting[0]!.at, reason: NOT_IN_CHAIN_REASON } });

    expect(await chainUnchainedEvents({ db: db(), orgId: org.id, batchSize: 2 })).toEqual({ sealed: 5 });
    const sealed = await db().auditEvent.findMany({ where: { id: { in: waiting.map((w) => w.id) } }, orderBy: { seq: "asc" } });
    expect(sealed.map((e) => e.id)).toEqual(waiting.map((w) => w.id));
    expect(sealed.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(await verify(org)).toEqual({ ok: true, checked: 7, firstBroken: null });
    expect(await chainUnchainedEvents({ db: db(), orgId: org.id })).toEqual({ sealed: 0 });
  });

  it("are sealed by the organization's next recordAudit, before its own event", async () => {
    const { org, owner } = await orgWithChain(0);
    await legacy(org, 3, Date.now() - 3_600_000);
    await record(org, owner, 9);
    const rows = await db().auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.seq, r.action])).toEqual([
      [1, "organization.created"],
      [2, "member.removed"],
      [3, "member.removed"],
      [4, "member.removed"],
      [5, "organization.updated"],
    ]);
    expect(await verify(org)).toEqual({ ok: true, checked: 5, firstBroken: null });
  });

  it("of a whole database are sealed organization by organization, thousands at a time", async () => {
    const { org } = await orgWithChain(0);
    const other = await orgWithChain(0);
    await legacy(org, 4500, Date.now() - 7 * 86_400_000);
    await legacy(other.org, 3, Date.now() - 86_400_000);
    const { sealed } = await chainUnchainedEvents({ db: db() });
    expect(sealed).toBeGreaterThanOrEqual(4503); // and whatever other tests left unchained
    expect(await verify(org)).toEqual({ ok: true, checked: 4501, firstBroken: null });
    expect(await verify(other.org)).toEqual({ ok: true, checked: 4, firstBroken: null });
  });
});

describe("audit.verify", () => {
  it("gives an ADMIN the result, dates as dates", async () => {
    const { org, events } = await orgWithChain(2);
    const admin = await createMember(org, "ADMIN");
    expect(await callerFor(admin.user).audit.verify({ orgSlug: org.slug })).toEqual({ ok: true, checked: 3, firstBroken: null });

    await db().$executeRaw`UPDATE "AuditEvent" SET before = '{"tampered": true}' WHERE id = ${events[1]!.id}`;
    const result = await callerFor(admin.user).audit.verify({ orgSlug: org.slug });
    expect(result.firstBroken).toEqual({ id: events[1]!.id, seq: 2, at: events[1]!.at, reason: expect.any(String) });
    expect(result.firstBroken?.at).toBeInstanceOf(Date);
  });

  it.each(["VIEWER", "EDITOR"] as const)("refuses a %s with FORBIDDEN", async (role) => {
    const { org } = await orgWithChain(0);
    const member = await createMember(org, role);
    await expectTRPCError(callerFor(member.user).audit.verify({ orgSlug: org.slug }), "FORBIDDEN", /needs the Admin role/);
  });
});

describe("the export", () => {
  const exportAs = (user: { id: string } | null, orgSlug: string) =>
    exportAuditLog({ ctx: createContext({ db: db(), session: user ? { id: user.id } : null }), orgSlug });

  async function exportFile(user: TestUser, org: TestOrg): Promise<{ file: string; lines: string[] }> {
    const response = await exportAs(user, org.slug);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toContain(`audit-${org.slug}-`);
    const text = await response.text();
    const file = path.join(dir, `${rand()}.jsonl`);
    await writeFile(file, text);
    return { file, lines: text.trimEnd().split("\n") };
  }

  async function verifyFile(file: string): Promise<{ code: number; out: string }> {
    try {
      const { stdout } = await run(process.execPath, [SCRIPT, file]);
      return { code: 0, out: stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }

  it("is every event in chain order, which the standalone script verifies", async () => {
    const { owner, org, events } = await orgWithChain(6);
    const { file, lines } = await exportFile(owner, org);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(Object.keys(parsed[1]!).sort()).toEqual(
      ["action", "actorEmail", "actorId", "after", "at", "before", "hash", "id", "orgId", "prevHash", "seq", "targetId", "targetType"].sort(),
    );
    expect(parsed[0]).toMatchObject({ seq: 1, prevHash: "", action: "organization.created", actorEmail: owner.email });

    const ok = await verifyFile(file);
    expect(ok).toEqual({ code: 0, out: expect.stringContaining("OK: 7 events, chain intact") });
  });

  it("names the first tampered line, and the line after a removed one", async () => {
    const { owner, org, events } = await orgWithChain(5);
    const { lines } = await exportFile(owner, org);

    const edited = [...lines];
    const third = JSON.parse(edited[2]!) as { after: { name: string } };
    third.after.name = "Someone else";
    edited[2] = JSON.stringify(third);
    const tamperedFile = path.join(dir, `${rand()}.jsonl`);
    await writeFile(tamperedFile, `${edited.join("\n")}\n`);
    const tampered = await verifyFile(tamperedFile);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain(`BROKEN at line 3 (seq 3, event ${events[2]!.id},`);
    expect(tampered.out).toContain("does not match its hash");

    const cutFile = path.join(dir, `${rand()}.jsonl`);
    await writeFile(cutFile, `${lines.filter((_, i) => i !== 1).join("\n")}\n`);
    const cut = await verifyFile(cutFile);
    expect(cut.code).toBe(1);
    expect(cut.out).toContain(`BROKEN at line 2 (seq 3, event ${events[2]!.id},`);
    expect(cut.out).toContain("an event is missing before this one: event 2 is not in the file");
  });

  it("ends with events not yet in the chain, which the script flags", async () => {
    const { owner, org } = await orgWithChain(1);
    await db().auditEvent.create({ data: { orgId: org.id, action: "member.removed", targetType: "member" } });
    const { file, lines } = await exportFile(owner, org);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]!)).toMatchObject({ seq: null, hash: null, prevHash: null });
    const result = await verifyFile(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain("BROKEN at line 3 (seq none");
  });

  it("reads long logs in batches, in order", async () => {
    const { org, events } = await orgWithChain(6);
    const ids: string[] = [];
    for await (const line of auditExportLines({ db: db(), orgId: org.id, batchSize: 2 })) ids.push((JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(events.map((e) => e.id));
  });

  it("answers 401 signed out, 403 below ADMIN, 404 to non-members and for unknown or malformed slugs", async () => {
    const { org } = await orgWithChain(0);
    const stranger = await orgWithChain(0);
    const viewer = await createMember(org, "VIEWER");
    const admin = await createMember(org, "ADMIN");

    expect((await exportAs(null, org.slug)).status).toBe(401);
    const forbidden = await exportAs(viewer.user, org.slug);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ error: expect.stringMatching(/needs the Admin role/) });
    for (const slug of [org.slug, "no-such-org-" + rand(), "NOT A SLUG!"]) {
      const response = await exportAs(stranger.owner, slug);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: "Organization not found" });
    }
    const allowed = await exportAs(admin.user, org.slug);
    expect(allowed.status).toBe(200);
    expect((await allowed.text()).split("\n").filter(Boolean)).toHaveLength(1);
  });
});
