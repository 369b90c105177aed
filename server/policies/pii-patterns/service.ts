import type { Prisma } from "@/server/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { compileCustomPattern } from "@/server/policies/pii";
import type { PiiPatternInput, PiiPatternView } from "./schema";

// Organization-defined PII kinds. Policies name them in REDACT's `kinds`; the gateway compiles them
// with every config snapshot. A pattern is validated exactly as the detector will compile it.

const select = { id: true, name: true, pattern: true, description: true, createdAt: true, updatedAt: true } as const satisfies Prisma.PiiPatternSelect;
type Row = Prisma.PiiPatternGetPayload<{ select: typeof select }>;

/** Names of the organization's policies whose REDACT kinds name `kind`, by kind. */
async function policiesByKind(tx: Tx, orgId: string): Promise<Map<string, string[]>> {
  const policies = await tx.policy.findMany({ where: { orgId, effect: "REDACT" }, select: { name: true, params: true }, orderBy: { name: "asc" } });
  const byKind = new Map<string, string[]>();
  for (const p of policies) {
    const kinds = (p.params as { kinds?: unknown } | null)?.kinds;
    if (!Array.isArray(kinds)) continue;
    for (const k of new Set(kinds.filter((x): x is string => typeof x === "string"))) byKind.set(k, [...(byKind.get(k) ?? []), p.name]);
  }
  return byKind;
}

function toView(row: Row, usedBy: string[]): PiiPatternView {
  const compiled = compileCustomPattern({ name: row.name, pattern: row.pattern });
  return { ...row, maxLength: compiled.ok ? compiled.matcher.maxLength : null, usedBy };
}

/** Compiles the input as the detector will, or throws BAD_REQUEST naming the field and position. */
function validated(input: PiiPatternInput): PiiPatternInput {
  const compiled = compileCustomPattern({ name: input.name, pattern: input.pattern });
  if (!compiled.ok) throw badRequest(compiled.message, compiled.field);
  return input;
}

async function refuseTakenName(tx: Tx, orgId: string, name: string, exceptId?: string) {
  const taken = await tx.piiPattern.findFirst({ where: { orgId, name, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (taken) throw conflict(`A pattern named ${name} already exists in this organization; choose another name or edit that one`, "name");
}

const takenOnRace = (name: string) => (error: unknown) => {
  throw (error as { code?: string }).code === "P2002" ? conflict(`A pattern named ${name} already exists in this organization; choose another name or edit that one`, "name") : error;
};

const quoteList = (names: string[]) => names.map((n) => `“${n}”`).join(", ");

export async function listPiiPatterns(opts: { ctx: OrgContext }): Promise<PiiPatternView[]> {
  const { ctx } = opts;
  const [rows, used] = await Promise.all([
    ctx.db.piiPattern.findMany({ where: { orgId: ctx.org.id }, orderBy: [{ name: "asc" }, { id: "asc" }], select }),
    policiesByKind(ctx.db, ctx.org.id),
  ]);
  return rows.map((r) => toView(r, used.get(r.name) ?? []));
}

export async function createPiiPattern(opts: { ctx: OrgContext; input: PiiPatternInput }): Promise<PiiPatternView> {
  const { ctx } = opts;
  const input = validated(opts.input);
  return ctx.db
    .$transaction(async (tx) => {
      await refuseTakenName(tx, ctx.org.id, input.name);
      const row = await tx.piiPattern.create({ data: { orgId: ctx.org.id, name: input.name, pattern: input.pattern, description: input.description }, select });
      await recordAudit(tx, {
        orgId: ctx.org.id,
        actor: ctx.user,
        action: "pii_pattern.created",
        targetType: "pii_pattern",
        targetId: row.id,
        after: { name: row.name, pattern: row.pattern, description: row.description },
      });
      return toView(row, (await policiesByKind(tx, ctx.org.id)).get(row.name) ?? []);
    })
    .catch(takenOnRace(input.name));
}

export async function updatePiiPattern(opts: { ctx: OrgContext; patternId: string; input: PiiPatternInput }): Promise<PiiPatternView> {
  const { ctx } = opts;
  return ctx.db
    .$transaction(async (tx) => {
      // Found first: another organization's id is NOT_FOUND whatever the input says.
      const before = await tx.piiPattern.findFirst({ where: { id: opts.patternId, orgId: ctx.org.id }, select });
      if (!before) throw notFound("PII pattern");
      const input = validated(opts.input);
      const used = await policiesByKind(tx, ctx.org.id);
      if (input.name !== before.name) {
        const users = used.get(before.name) ?? [];
        if (users.length) {
          throw conflict(`Policies ${quoteList(users)} mask ${before.name} by name; remove it from them before renaming the pattern`, "name");
        }
        await refuseTakenName(tx, ctx.org.id, input.name, before.id);
      }
      const row = await tx.piiPattern.update({ where: { id: before.id }, data: { name: input.name, pattern: input.pattern, description: input.description }, select });
      await recordAudit(tx, {
        orgId: ctx.org.id,
        actor: ctx.user,
        action: "pii_pattern.updated",
        targetType: "pii_pattern",
        targetId: row.id,
        before: { name: before.name, pattern: before.pattern, description: before.description },
        after: { name: row.name, pattern: row.pattern, description: row.description },
      });
      return toView(row, used.get(row.name) ?? []);
    })
    .catch(takenOnRace(opts.input.name));
}

export async function deletePiiPattern(opts: { ctx: OrgContext; patternId: string }): Promise<{ id: string }> {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.piiPattern.findFirst({ where: { id: opts.patternId, orgId: ctx.org.id }, select });
    if (!row) throw notFound("PII pattern");
    // A policy naming a deleted kind would silently stop masking it.
    const users = (await policiesByKind(tx, ctx.org.id)).get(row.name) ?? [];
    if (users.length) throw conflict(`Policies ${quoteList(users)} mask ${row.name}; remove it from them before deleting the pattern`);
    await tx.piiPattern.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "pii_pattern.deleted",
      targetType: "pii_pattern",
      targetId: row.id,
      before: { name: row.name, pattern: row.pattern, description: row.description },
    });
    return { id: row.id };
  });
}
