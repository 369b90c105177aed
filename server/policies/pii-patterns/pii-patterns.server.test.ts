import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectOrgUnchanged, expectTRPCError } from "@/server/test/fixtures";

async function world() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  return { owner, org, caller: callerFor(owner) };
}

describe("organization PII patterns", () => {
  it("are created, listed, updated and deleted by admins, each change audited", async () => {
    const { org, caller } = await world();
    const created = await caller.piiPattern.create({ orgSlug: org.slug, name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}", description: "  Staff numbers  " });
    expect(created).toMatchObject({ name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}", description: "Staff numbers", maxLength: 10, usedBy: [] });

    await caller.piiPattern.create({ orgSlug: org.slug, name: "CASE_REF", pattern: "(?i)case-[0-9]{4,8}" });
    expect((await caller.piiPattern.list({ orgSlug: org.slug })).map((p) => p.name)).toEqual(["CASE_REF", "EMPLOYEE_ID"]);

    const updated = await caller.piiPattern.update({ orgSlug: org.slug, patternId: created.id, name: "STAFF_ID", pattern: "(?:EMP|STF)-[0-9]{6}", description: "" });
    expect(updated).toMatchObject({ id: created.id, name: "STAFF_ID", pattern: "(?:EMP|STF)-[0-9]{6}", description: null, maxLength: 10 });

    expect(await caller.piiPattern.delete({ orgSlug: org.slug, patternId: created.id })).toEqual({ id: created.id });
    expect((await caller.piiPattern.list({ orgSlug: org.slug })).map((p) => p.name)).toEqual(["CASE_REF"]);

    const events = await auditEventsOf(org.id);
    const mine = events.filter((e) => e.targetType === "pii_pattern");
    expect(mine.map((e) => e.action)).toEqual(["pii_pattern.created", "pii_pattern.created", "pii_pattern.updated", "pii_pattern.deleted"]);
    expect(mine[2]).toMatchObject({ targetId: created.id, before: { name: "EMPLOYEE_ID" }, after: { name: "STAFF_ID", pattern: "(?:EMP|STF)-[0-9]{6}" } });
    expect(mine[3]).toMatchObject({ targetId: created.id, before: { name: "STAFF_ID" } });
  });

  it("refuse a bad pattern with BAD_REQUEST naming the problem and its position under the pattern field", async () => {
    const { org, caller } = await world();
    await expectOrgUnchanged(org, async () => {
      const syntax = await expectTRPCError(caller.piiPattern.create({ orgSlug: org.slug, name: "BADGE", pattern: "BDG-[0-9{4}" }), "BAD_REQUEST", /character 5: missing closing \]/);
      expect(syntax.shape.data.httpStatus).toBe(400);
      expect(syntax.shape.data.fieldErrors).toEqual({ pattern: [expect.stringContaining("character 5")] });
      await expectTRPCError(caller.piiPattern.create({ orgSlug: org.slug, name: "BADGE", pattern: "BDG-\\w+" }), "BAD_REQUEST", /any length \(character 7\)/);
      await expectTRPCError(caller.piiPattern.create({ orgSlug: org.slug, name: "BADGE", pattern: "[0-9]*" }), "BAD_REQUEST", /matches empty text/);
      const name = await expectTRPCError(caller.piiPattern.create({ orgSlug: org.slug, name: "badge id", pattern: "BDG-[0-9]{4}" }), "BAD_REQUEST", /UPPER_SNAKE_CASE.*BADGE_ID/);
      expect(name.shape.data.fieldErrors).toEqual({ name: [expect.any(String)] });
      await expectTRPCError(caller.piiPattern.create({ orgSlug: org.slug, name: "EMAIL", pattern: "x" }), "BAD_REQUEST", /built-in/);
      await expectTRPCError(caller.piiPattern.create({ orgSlug: org.slug, name: "LONG", pattern: "a".repeat(501) }), "BAD_REQUEST", /at most 500/);
    });
    const made = await caller.piiPattern.create({ orgSlug: org.slug, name: "BADGE", pattern: "BDG-[0-9]{4}" });
    await expectTRPCError(caller.piiPattern.update({ orgSlug: org.slug, patternId: made.id, name: "BADGE", pattern: "(BDG" }), "BAD_REQUEST", /character 1: missing closing \)/);
    expect((await caller.piiPattern.list({ orgSlug: org.slug }))[0]!.pattern).toBe("BDG-[0-9]{4}");
  });

  it("keep names unique per organization with CONFLICT, while other organizations may reuse them", async () => {
    const { org, caller } = await world();
    const other = await world();
    await caller.piiPattern.create({ orgSlug: org.slug, name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}" });
    const second = await caller.piiPattern.create({ orgSlug: org.slug, name: "CASE_REF", pattern: "CASE-[0-9]{6}" });
    const dup = await expectTRPCError(caller.piiPattern.create({ orgSlug: org.slug, name: "EMPLOYEE_ID", pattern: "E[0-9]{6}" }), "CONFLICT", "A pattern named EMPLOYEE_ID already exists");
    expect(dup.shape.data.fieldErrors).toEqual({ name: [expect.any(String)] });
    await expectTRPCError(caller.piiPattern.update({ orgSlug: org.slug, patternId: second.id, name: "EMPLOYEE_ID", pattern: "CASE-[0-9]{6}" }), "CONFLICT", "already exists");
    await expect(other.caller.piiPattern.create({ orgSlug: other.org.slug, name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}" })).resolves.toMatchObject({ name: "EMPLOYEE_ID" });
  });

  it("treat another organization's pattern as NOT_FOUND and leave it alone", async () => {
    const mine = await world();
    const theirs = await world();
    const target = await theirs.caller.piiPattern.create({ orgSlug: theirs.org.slug, name: "SECRET_ID", pattern: "S-[0-9]{6}" });
    await expectOrgUnchanged(theirs.org, async () => {
      await expectTRPCError(mine.caller.piiPattern.update({ orgSlug: mine.org.slug, patternId: target.id, name: "MINE", pattern: "x" }), "NOT_FOUND", "PII pattern not found");
      // Not found even with an input that would be invalid: nothing about the row is revealed.
      await expectTRPCError(mine.caller.piiPattern.update({ orgSlug: mine.org.slug, patternId: target.id, name: "bad name", pattern: "(" }), "NOT_FOUND");
      await expectTRPCError(mine.caller.piiPattern.delete({ orgSlug: mine.org.slug, patternId: target.id }), "NOT_FOUND");
      await expectTRPCError(mine.caller.piiPattern.list({ orgSlug: theirs.org.slug }), "NOT_FOUND");
    });
    expect(await db().piiPattern.findUnique({ where: { id: target.id }, select: { name: true } })).toEqual({ name: "SECRET_ID" });
    expect(await mine.caller.piiPattern.list({ orgSlug: mine.org.slug })).toEqual([]);
  });

  it("are listed for viewers but changed only by admins", async () => {
    const { org, caller } = await world();
    await caller.piiPattern.create({ orgSlug: org.slug, name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}" });
    const editor = callerFor((await createMember(org, "EDITOR")).user);
    const viewer = callerFor((await createMember(org, "VIEWER")).user);
    expect((await viewer.piiPattern.list({ orgSlug: org.slug })).map((p) => p.name)).toEqual(["EMPLOYEE_ID"]);
    await expectOrgUnchanged(org, () => expectTRPCError(editor.piiPattern.create({ orgSlug: org.slug, name: "CASE_REF", pattern: "C-[0-9]{4}" }), "FORBIDDEN", "Admin"));
    await expectTRPCError(callerFor(await createUser()).piiPattern.list({ orgSlug: org.slug }), "NOT_FOUND");
  });

  it("cannot be renamed or deleted while a policy masks them by name", async () => {
    const { org, caller } = await world();
    const pattern = await caller.piiPattern.create({ orgSlug: org.slug, name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{6}" });
    await caller.policy.create({ orgSlug: org.slug, name: "Mask staff ids", effect: "REDACT", condition: "true", params: { kinds: ["EMPLOYEE_ID", "EMAIL"], direction: "BOTH" } });
    expect((await caller.piiPattern.list({ orgSlug: org.slug }))[0]!.usedBy).toEqual(["Mask staff ids"]);

    await expectOrgUnchanged(org, async () => {
      await expectTRPCError(caller.piiPattern.delete({ orgSlug: org.slug, patternId: pattern.id }), "CONFLICT", "“Mask staff ids” mask EMPLOYEE_ID");
      await expectTRPCError(caller.piiPattern.update({ orgSlug: org.slug, patternId: pattern.id, name: "STAFF_ID", pattern: "EMP-[0-9]{6}" }), "CONFLICT", /before renaming/);
    });
    // Changing the pattern itself under the same name is fine.
    await expect(caller.piiPattern.update({ orgSlug: org.slug, patternId: pattern.id, name: "EMPLOYEE_ID", pattern: "EMP-[0-9]{7}" })).resolves.toMatchObject({ maxLength: 11 });
  });
});
