import type { Prisma } from "@/server/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { BUILT_IN_FRAMEWORKS, BUILT_IN_KEYS } from "./catalog";
import { CHECK_INFO, CHECK_KEYS, isCheckKey, type CheckKey } from "./check-keys";
import { runComplianceChecks, type CheckResult, type ServerFacts } from "./checks";
import {
  evidenceSchema,
  MAX_CONTROLS_PER_FRAMEWORK,
  MAX_CUSTOM_FRAMEWORKS,
  type CheckResultView,
  type ComplianceOverview,
  type ComplianceStatus,
  type ControlStatus,
  type CustomFrameworkView,
  type FrameworkView,
} from "./schema";

// ---------------------------------------------------------------------------------------------
// Results and the overview

/** A control's status from its checks': any FAIL fails it; all n/a is n/a; PASS with n/a passes. */
export function controlStatusOf(statuses: readonly (ComplianceStatus | "NOT_RUN")[]): ControlStatus {
  if (statuses.length === 0) return "MANUAL";
  if (statuses.includes("FAIL")) return "FAIL";
  if (statuses.includes("NOT_RUN")) return "NOT_RUN";
  if (statuses.every((s) => s === "NOT_APPLICABLE")) return "NOT_APPLICABLE";
  return "PASS";
}

interface FrameworkSource {
  key: string;
  name: string;
  description: string | null;
  builtIn: boolean;
  controls: { controlId: string; title: string; description: string; checks: readonly string[] }[];
}

/** Joins frameworks with the stored check results (pure: the page, the report and the export share it). */
export function buildOverview(frameworks: readonly FrameworkSource[], checks: readonly CheckResultView[]): ComplianceOverview {
  const byKey = new Map(checks.map((c) => [c.key, c]));
  const views: FrameworkView[] = frameworks.map((f) => {
    const counts = { PASS: 0, FAIL: 0, NOT_APPLICABLE: 0, NOT_RUN: 0, MANUAL: 0 };
    const controls = f.controls.map((c) => {
      const results = c.checks.filter(isCheckKey).map((key) => byKey.get(key)!);
      const status = controlStatusOf(results.map((r) => r.status));
      counts[status]++;
      const times = results.map((r) => r.checkedAt?.getTime() ?? null);
      return {
        controlId: c.controlId,
        title: c.title,
        description: c.description,
        status,
        checks: results.map((r) => ({ key: r.key, title: r.title, status: r.status, summary: r.evidence?.summary ?? null })),
        checkedAt: times.length && times.every((t) => t !== null) ? new Date(Math.min(...(times as number[]))) : null,
      };
    });
    return { key: f.key, name: f.name, description: f.description, builtIn: f.builtIn, controls, counts };
  });
  const times = checks.flatMap((c) => (c.checkedAt ? [c.checkedAt.getTime()] : []));
  return { frameworks: views, checks: [...checks], lastRunAt: times.length ? new Date(Math.max(...times)) : null };
}

/** Every check with this organization's stored result (NOT_RUN where there is none yet). */
async function storedResults(db: Db | Tx, orgId: string): Promise<CheckResultView[]> {
  const rows = await db.complianceCheckResult.findMany({ where: { orgId }, select: { check: true, status: true, evidence: true, checkedAt: true } });
  const byKey = new Map(rows.map((r) => [r.check, r]));
  return CHECK_KEYS.map((key) => {
    const row = byKey.get(key);
    const info = CHECK_INFO[key];
    if (!row) return { key, ...info, status: "NOT_RUN", evidence: null, checkedAt: null };
    const evidence = evidenceSchema.safeParse(row.evidence);
    return {
      key,
      ...info,
      status: row.status,
      evidence: evidence.success
        ? evidence.data
        : { summary: "This result was stored in an older format; run the checks again.", facts: [], offenders: [], offendersTotal: 0, warnings: [], method: info.description },
      checkedAt: row.checkedAt,
    };
  });
}

const customSelect = {
  key: true,
  name: true,
  description: true,
  createdAt: true,
  updatedAt: true,
  controls: { orderBy: [{ controlId: "asc" }, { id: "asc" }], select: { id: true, controlId: true, title: true, description: true, checks: true } },
} as const satisfies Prisma.ComplianceFrameworkSelect;
type CustomRow = Prisma.ComplianceFrameworkGetPayload<{ select: typeof customSelect }>;

function toCustomView(row: CustomRow): CustomFrameworkView {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    controls: row.controls.map((c) => ({ controlId: c.controlId, title: c.title, description: c.description, checks: c.checks.filter(isCheckKey) })),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Built-in frameworks first (catalog order), then the organization's own by name. */
export async function complianceOverview(opts: { db: Db | Tx; orgId: string }): Promise<ComplianceOverview> {
  const [custom, checks] = await Promise.all([
    opts.db.complianceFramework.findMany({ where: { orgId: opts.orgId }, orderBy: [{ name: "asc" }, { id: "asc" }], select: customSelect }),
    storedResults(opts.db, opts.orgId),
  ]);
  const frameworks: FrameworkSource[] = [
    ...BUILT_IN_FRAMEWORKS.map((f) => ({ ...f, builtIn: true })),
    ...custom.map((f) => ({ key: f.key, name: f.name, description: f.description, builtIn: false, controls: f.controls })),
  ];
  return buildOverview(frameworks, checks);
}

export async function getOverview(opts: { ctx: OrgContext }): Promise<ComplianceOverview> {
  return complianceOverview({ db: opts.ctx.db, orgId: opts.ctx.org.id });
}

async function storeResults(tx: Tx, orgId: string, results: readonly CheckResult[], checkedAt: Date): Promise<void> {
  for (const r of results) {
    const evidence = r.evidence as unknown as Prisma.InputJsonValue;
    await tx.complianceCheckResult.upsert({
      where: { orgId_check: { orgId, check: r.key } },
      create: { orgId, check: r.key, status: r.status, evidence, checkedAt },
      update: { status: r.status, evidence, checkedAt },
    });
  }
}

function countStatuses(results: readonly CheckResult[]) {
  const counts = { PASS: 0, FAIL: 0, NOT_APPLICABLE: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** Runs every check now and stores the results; the run is audited (scheduled runs are not). */
export async function runChecks(opts: { ctx: OrgContext; server?: ServerFacts; now?: Date }) {
  const { ctx } = opts;
  const checkedAt = opts.now ?? new Date();
  const results = await runComplianceChecks({ db: ctx.db, orgId: ctx.org.id, now: checkedAt, server: opts.server });
  const counts = countStatuses(results);
  await ctx.db.$transaction(async (tx) => {
    await storeResults(tx, ctx.org.id, results, checkedAt);
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "compliance.checks_run",
      targetType: "compliance",
      targetId: null,
      after: { ...counts, failed: results.filter((r) => r.status === "FAIL").map((r) => r.key) },
    });
  });
  return { ran: results.length, counts, checkedAt };
}

/**
 * The scheduled run: every organization's checks, stored. One organization's failure is logged and
 * counted and does not stop the others. Unscoped by design (a system job), hence `unsafe`.
 */
export async function unsafeRunChecksForAllOrgs(opts: { db: Db; log?: (line: string) => void; server?: ServerFacts }): Promise<{ orgs: number; failed: number }> {
  const log = opts.log ?? (() => {});
  const orgs = await opts.db.organization.findMany({ select: { id: true, slug: true }, orderBy: { createdAt: "asc" } });
  let failed = 0;
  for (const org of orgs) {
    try {
      const checkedAt = new Date();
      const results = await runComplianceChecks({ db: opts.db, orgId: org.id, now: checkedAt, server: opts.server });
      await opts.db.$transaction((tx) => storeResults(tx, org.id, results, checkedAt));
    } catch (error) {
      failed++;
      log(`compliance: checks for ${org.slug} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { orgs: orgs.length, failed };
}

// ---------------------------------------------------------------------------------------------
// Custom frameworks

function builtInName(key: string): string | null {
  return BUILT_IN_FRAMEWORKS.find((f) => f.key === key)?.name ?? null;
}

/** A key made from a name: "ACME Security Baseline" → "acme-security-baseline". */
export function keyFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return slug.length >= 2 ? slug : "framework";
}

async function loadCustom(tx: Db | Tx, orgId: string, key: string): Promise<CustomRow & { id: string }> {
  const builtIn = builtInName(key);
  if (builtIn) throw badRequest(`${builtIn} is built in and cannot be changed; create a framework of your own for your controls`, "frameworkKey");
  const row = await tx.complianceFramework.findUnique({ where: { orgId_key: { orgId, key } }, select: { id: true, ...customSelect } });
  if (!row) throw notFound("Compliance framework");
  return row;
}

export async function createFramework(opts: { ctx: OrgContext; name: string; key?: string; description?: string }): Promise<CustomFrameworkView> {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const existing = await tx.complianceFramework.findMany({ where: { orgId: ctx.org.id }, select: { key: true } });
    if (existing.length >= MAX_CUSTOM_FRAMEWORKS) throw badRequest(`An organization has at most ${MAX_CUSTOM_FRAMEWORKS} frameworks of its own; delete one first`);
    const taken = new Set([...existing.map((f) => f.key), ...BUILT_IN_KEYS]);
    let key: string;
    if (opts.key) {
      const builtIn = builtInName(opts.key);
      if (builtIn) throw conflict(`“${opts.key}” is the key of the built-in ${builtIn} framework; choose another`, "key");
      if (taken.has(opts.key)) throw conflict(`A framework with the key “${opts.key}” exists; choose another`, "key");
      key = opts.key;
    } else {
      const base = keyFromName(opts.name);
      key = base;
      for (let n = 2; taken.has(key); n++) key = `${base.slice(0, 36)}-${n}`;
    }
    const description = opts.description?.trim() || null;
    const row = await tx.complianceFramework.create({ data: { orgId: ctx.org.id, key, name: opts.name, description }, select: { id: true, ...customSelect } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "compliance.framework_created",
      targetType: "compliance_framework",
      targetId: row.id,
      after: { key, name: row.name, description },
    });
    return toCustomView(row);
  });
}

export async function updateFramework(opts: { ctx: OrgContext; frameworkKey: string; name?: string; description?: string }): Promise<CustomFrameworkView> {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await loadCustom(tx, ctx.org.id, opts.frameworkKey);
    const data = {
      name: opts.name ?? before.name,
      description: opts.description === undefined ? before.description : opts.description.trim() || null,
    };
    const row = await tx.complianceFramework.update({ where: { id: before.id }, data, select: { id: true, ...customSelect } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "compliance.framework_updated",
      targetType: "compliance_framework",
      targetId: row.id,
      before: { key: before.key, name: before.name, description: before.description },
      after: { key: row.key, ...data },
    });
    return toCustomView(row);
  });
}

export async function deleteFramework(opts: { ctx: OrgContext; frameworkKey: string }): Promise<{ key: string }> {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await loadCustom(tx, ctx.org.id, opts.frameworkKey);
    await tx.complianceFramework.delete({ where: { id: before.id } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "compliance.framework_deleted",
      targetType: "compliance_framework",
      targetId: before.id,
      before: { key: before.key, name: before.name, description: before.description, controls: before.controls.map((c) => c.controlId) },
    });
    return { key: before.key };
  });
}

export async function upsertControl(opts: {
  ctx: OrgContext;
  frameworkKey: string;
  code: string;
  title: string;
  description: string;
  checks: CheckKey[];
}): Promise<CustomFrameworkView> {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const framework = await loadCustom(tx, ctx.org.id, opts.frameworkKey);
    const before = framework.controls.find((c) => c.controlId === opts.code) ?? null;
    if (!before && framework.controls.length >= MAX_CONTROLS_PER_FRAMEWORK) {
      throw badRequest(`A framework has at most ${MAX_CONTROLS_PER_FRAMEWORK} controls`);
    }
    const data = { title: opts.title, description: opts.description, checks: opts.checks };
    const control = await tx.complianceControl.upsert({
      where: { frameworkId_controlId: { frameworkId: framework.id, controlId: opts.code } },
      create: { orgId: ctx.org.id, frameworkId: framework.id, controlId: opts.code, ...data },
      update: data,
      select: { id: true },
    });
    await tx.complianceFramework.update({ where: { id: framework.id }, data: { updatedAt: new Date() } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: before ? "compliance.control_updated" : "compliance.control_created",
      targetType: "compliance_control",
      targetId: control.id,
      before: before ? { framework: framework.key, controlId: before.controlId, title: before.title, description: before.description, checks: before.checks } : null,
      after: { framework: framework.key, controlId: opts.code, ...data },
    });
    return toCustomView((await tx.complianceFramework.findUniqueOrThrow({ where: { id: framework.id }, select: customSelect })) as CustomRow);
  });
}

export async function deleteControl(opts: { ctx: OrgContext; frameworkKey: string; code: string }): Promise<CustomFrameworkView> {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const framework = await loadCustom(tx, ctx.org.id, opts.frameworkKey);
    const before = framework.controls.find((c) => c.controlId === opts.code);
    if (!before) throw notFound(`Control “${opts.code}” in ${framework.name}`);
    await tx.complianceControl.delete({ where: { id: before.id } });
    await tx.complianceFramework.update({ where: { id: framework.id }, data: { updatedAt: new Date() } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "compliance.control_deleted",
      targetType: "compliance_control",
      targetId: before.id,
      before: { framework: framework.key, controlId: before.controlId, title: before.title, description: before.description, checks: before.checks },
    });
    return toCustomView((await tx.complianceFramework.findUniqueOrThrow({ where: { id: framework.id }, select: customSelect })) as CustomRow);
  });
}
