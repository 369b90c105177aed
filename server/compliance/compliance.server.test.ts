import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { encryptSecret } from "@/server/agents/crypto";
import { setRawRetention } from "@/server/analytics/retention";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectTRPCError, rand, type TestOrg } from "@/server/test/fixtures";
import { BUILT_IN_FRAMEWORKS } from "./catalog";
import { CHECK_KEYS, type CheckKey } from "./check-keys";
import { isEuRegion, runComplianceChecks, type ServerFacts } from "./checks";
import { toCsv } from "./csv";
import { CSV_HEADER, overviewCsvRows } from "./export";
import { controlStatusOf, unsafeRunChecksForAllOrgs } from "./service";

const SERVER: ServerFacts = { oidcConfigured: true, encryptionKeyConfigured: true };
const DAY = 24 * 3600 * 1000;

async function world() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  return { owner, org, caller: callerFor(owner) };
}

/** Runs every check against the organization's real rows and returns one check's outcome. */
async function check(org: { id: string }, key: CheckKey, server: Partial<ServerFacts> = {}, now?: Date) {
  const results = await runComplianceChecks({ db: db(), orgId: org.id, server: { ...SERVER, ...server }, now });
  const result = results.find((r) => r.key === key)!;
  return result;
}

async function agent(org: TestOrg, fields: { name?: string; region?: string | null; tags?: string[] } = {}) {
  const name = fields.name ?? `Agent ${rand(3)}`;
  return db().agent.create({
    data: {
      orgId: org.id,
      name,
      slug: `agent-${rand(4)}`,
      protocol: "OPENAI",
      sourceUrl: "http://127.0.0.1:9/v1",
      endpointUrl: "http://127.0.0.1:9/v1",
      region: fields.region ?? null,
      tags: fields.tags ?? [],
    },
    select: { id: true, name: true },
  });
}

async function route(org: TestOrg, labels: string[], agentIds: string[], fields: { name?: string; enabled?: boolean } = {}) {
  const slug = `route-${rand(4)}`;
  return db().route.create({
    data: {
      orgId: org.id,
      name: fields.name ?? `Route ${slug}`,
      slug,
      alias: slug,
      labels,
      enabled: fields.enabled ?? true,
      targets: { create: agentIds.map((agentId) => ({ orgId: org.id, agentId })) },
    },
    select: { id: true, name: true },
  });
}

// The policies service is written elsewhere; rows are created as it would store them.
async function policy(
  org: TestOrg,
  fields: {
    effect: "DENY" | "REDACT" | "RESTRICT_ROUTING" | "REQUIRE_LABEL" | "CAP_TOKENS";
    condition?: string;
    mode?: "ENFORCE" | "MONITOR";
    scope?: "ORGANIZATION" | "ROUTE" | "AGENT" | "API_KEY";
    scopeId?: string | null;
    params?: Prisma.InputJsonValue;
    enabled?: boolean;
    name?: string;
  },
) {
  return db().policy.create({
    data: {
      orgId: org.id,
      name: fields.name ?? `Policy ${rand(3)}`,
      effect: fields.effect,
      condition: fields.condition ?? "true",
      mode: fields.mode ?? "ENFORCE",
      scope: fields.scope ?? "ORGANIZATION",
      scopeId: fields.scopeId ?? null,
      params: fields.params ?? {},
      enabled: fields.enabled ?? true,
    },
    select: { id: true, name: true },
  });
}

describe("pii.redaction", () => {
  it("is n/a without PHI / PII routes, fails for a PHI route until an enforced request redaction covers it", async () => {
    const { org } = await world();
    expect((await check(org, "pii.redaction")).status).toBe("NOT_APPLICABLE");

    const a = await agent(org);
    const phi = await route(org, ["PHI"], [a.id], { name: "Patient notes" });
    await route(org, [], [a.id]); // unlabelled: not judged
    let result = await check(org, "pii.redaction");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders).toEqual([expect.objectContaining({ kind: "route", id: phi.id, name: "Patient notes" })]);
    expect(result.evidence.summary).toContain("Patient notes");

    // Not enough: monitor mode, answers only, another route's scope, a condition that may be false.
    await policy(org, { effect: "REDACT", mode: "MONITOR", name: "Watch PHI", params: { kinds: ["ALL"], direction: "REQUEST" } });
    await policy(org, { effect: "REDACT", name: "Mask answers", params: { kinds: ["ALL"], direction: "RESPONSE" } });
    const other = await route(org, ["PII"], [a.id], { name: "Other" });
    await policy(org, { effect: "REDACT", scope: "ROUTE", scopeId: other.id, name: "Other only", params: { kinds: ["EMAIL"], direction: "REQUEST" } });
    await policy(org, { effect: "REDACT", name: "Sometimes", condition: 'request.model == "x"', params: { kinds: ["ALL"], direction: "BOTH" } });
    result = await check(org, "pii.redaction");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders.map((o) => o.id)).toEqual([phi.id]);
    const reason = result.evidence.offenders[0]!.reason;
    expect(reason).toContain("“Watch PHI” is in monitor mode");
    expect(reason).toContain("“Mask answers” masks answers only");
    expect(reason).toContain("“Sometimes”: its condition `request.model == \"x\"` is not shown");
    expect(reason).not.toContain("Other only");

    await policy(org, { effect: "REDACT", scope: "ROUTE", scopeId: phi.id, name: "Mask PHI", condition: '"PHI" in request.labels', params: { kinds: ["EMAIL", "SSN"] } });
    result = await check(org, "pii.redaction");
    expect(result.status).toBe("PASS");
    expect(result.evidence.warnings).toContain("Redaction masks EMAIL, SSN only, not ALL kinds");
  });

  it("ignores disabled routes and disabled policies", async () => {
    const { org } = await world();
    const a = await agent(org);
    await route(org, ["PII"], [a.id], { enabled: false });
    expect((await check(org, "pii.redaction")).status).toBe("NOT_APPLICABLE");
    const live = await route(org, ["pii"], [a.id]);
    await policy(org, { effect: "REDACT", enabled: false, params: { kinds: ["ALL"], direction: "BOTH" } });
    expect((await check(org, "pii.redaction")).evidence.offenders.map((o) => o.id)).toEqual([live.id]);
    await policy(org, { effect: "REDACT", condition: "size(request.pii) > 0", params: { kinds: ["ALL"], direction: "BOTH" } });
    expect((await check(org, "pii.redaction")).status).toBe("PASS");
  });
});

describe("residency.eu", () => {
  it("fails until an enforced restriction keeps EU routes on EU agents, and names non-EU agents it lets through", async () => {
    const { org } = await world();
    expect((await check(org, "residency.eu")).status).toBe("NOT_APPLICABLE");
    const eu = await agent(org, { name: "Paris", region: "eu-west-3" });
    const us = await agent(org, { name: "Virginia", region: "us-east-1" });
    const r = await route(org, ["EU"], [eu.id, us.id], { name: "EU chat" });

    let result = await check(org, "residency.eu");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders[0]).toMatchObject({ id: r.id, name: "EU chat" });
    expect(result.evidence.offenders[0]!.reason).toContain("no enforced restrict-routing policy covers it");
    expect(result.evidence.offenders[0]!.reason).toContain("Virginia (us-east-1)");

    // Covers the route but lets every agent through.
    const open = await policy(org, { effect: "RESTRICT_ROUTING", name: "EU anywhere", condition: '"EU" in request.labels', params: { agentCondition: "true" } });
    result = await check(org, "residency.eu");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders[0]!.reason).toContain("agent Virginia (us-east-1) is outside the EU");

    await db().policy.update({ where: { id: open.id }, data: { params: { agentCondition: 'agent.region.startsWith("eu-")' } } });
    result = await check(org, "residency.eu");
    expect(result.status).toBe("PASS");
    expect(result.evidence.warnings).toEqual([expect.stringContaining("Virginia (us-east-1), which policy “EU anywhere” keeps from serving EU traffic")]);

    // An agent condition that depends on the request cannot be shown to exclude an agent.
    await db().policy.update({ where: { id: open.id }, data: { params: { agentCondition: 'agent.region.startsWith("eu-") || request.stream' } } });
    expect((await check(org, "residency.eu")).status).toBe("FAIL");

    // Monitor mode does not restrict anything.
    await db().policy.update({ where: { id: open.id }, data: { mode: "MONITOR", params: { agentCondition: 'agent.region.startsWith("eu-")' } } });
    result = await check(org, "residency.eu");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders[0]!.reason).toContain("“EU anywhere” is in monitor mode");
  });

  it("passes a route whose agents are all in the EU once a covering policy restricts it", async () => {
    const { org } = await world();
    const a = await agent(org, { region: "europe-west4" });
    const r = await route(org, ["EU"], [a.id]);
    expect((await check(org, "residency.eu")).status).toBe("FAIL");
    await policy(org, { effect: "RESTRICT_ROUTING", scope: "ROUTE", scopeId: r.id, condition: "true", params: { agentCondition: '"eu" in agent.tags' } });
    const result = await check(org, "residency.eu");
    expect(result.status).toBe("PASS");
    expect(result.evidence.facts).toContainEqual({ label: "Non-EU agents among those routes' agents", value: 0 });
  });

  it("reads region names", () => {
    for (const r of ["eu-west-1", "EU", "eu", "europe-west4", "westeurope", "germanywestcentral", "eu-central-2"]) expect(isEuRegion(r), r).toBe(true);
    for (const r of ["us-east-1", "ap-southeast-2", "", "euphoria", "asia-europe-link".slice(0, 4)]) expect(isEuRegion(r), r).toBe(false);
    expect(isEuRegion(null)).toBe(false);
  });
});

describe("audit.chain", () => {
  it("passes on an intact log and fails naming the event that was altered with SQL", async () => {
    const { org, caller } = await world();
    await caller.org.update({ orgSlug: org.slug, name: `Renamed ${rand(3)}` });
    let result = await check(org, "audit.chain");
    expect(result.status).toBe("PASS");
    expect(result.evidence.facts).toContainEqual({ label: "Events verified in the hash chain", value: 2 });

    const [first] = await auditEventsOf(org.id);
    await db().$executeRaw`UPDATE "AuditEvent" SET "actorEmail" = 'someone-else@test.helix' WHERE id = ${first!.id}`;
    result = await check(org, "audit.chain");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.summary).toContain(first!.id);
    expect(result.evidence.offenders).toEqual([expect.objectContaining({ kind: "audit event", id: first!.id, reason: expect.stringContaining("content no longer matches") })]);
  });
});

describe("sso.members", () => {
  it("fails without an identity provider or with password-only members, passes once everyone has SSO", async () => {
    const { owner, org } = await world();
    let result = await check(org, "sso.members", { oidcConfigured: false });
    expect(result.status).toBe("FAIL");
    expect(result.evidence.summary).toContain("No identity provider");

    // The owner has neither a password nor an SSO account yet (can only come in through SSO).
    expect((await check(org, "sso.members")).status).toBe("PASS");

    const { user } = await createMember(org, "EDITOR");
    await db().user.update({ where: { id: user.id }, data: { passwordHash: "$argon2id$placeholder" } });
    result = await check(org, "sso.members");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders).toEqual([{ kind: "member", id: user.id, name: user.email, reason: "signs in with a password only" }]);

    await db().account.create({ data: { userId: user.id, type: "oidc", provider: "oidc", providerAccountId: `sub-${rand()}` } });
    await db().account.create({ data: { userId: owner.id, type: "oidc", provider: "oidc", providerAccountId: `sub-${rand()}` } });
    result = await check(org, "sso.members");
    expect(result.status).toBe("PASS");
    expect(result.evidence.facts).toContainEqual({ label: "Share of members with SSO", value: "100 %" });
    expect(result.evidence.warnings).toEqual([expect.stringContaining(user.email)]);
  });
});

describe("telemetry.retention", () => {
  it("passes at the default 30 days, fails above it", async () => {
    const { org } = await world();
    let result = await check(org, "telemetry.retention");
    expect(result.status).toBe("PASS");
    expect(result.evidence.facts).toContainEqual({ label: "Default setting", value: true });
    await setRawRetention({ db: db(), orgId: org.id, days: 90 });
    result = await check(org, "telemetry.retention");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.summary).toContain("90 days");
    await setRawRetention({ db: db(), orgId: org.id, days: 7 });
    expect((await check(org, "telemetry.retention")).status).toBe("PASS");
  });
});

describe("agents.credentials", () => {
  it("checks that each agent credential is ciphertext that opens with the server's key", async () => {
    const { org } = await world();
    const a = await agent(org, { name: "Keyed" });
    const b = await agent(org, { name: "Other" });
    expect((await check(org, "agents.credentials")).status).toBe("NOT_APPLICABLE");

    await db().agent.update({ where: { id: a.id }, data: { credentialKind: "BEARER" } });
    let result = await check(org, "agents.credentials");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders).toEqual([expect.objectContaining({ id: a.id, reason: "has a credential kind but no encrypted credential" })]);

    // Ciphertext bound to another agent does not open for this one.
    await db().agent.update({ where: { id: a.id }, data: { credentialCipher: encryptSecret("sk-test", b.id) } });
    expect((await check(org, "agents.credentials")).evidence.offenders[0]?.reason).toContain("does not open");

    await db().agent.update({ where: { id: a.id }, data: { credentialCipher: encryptSecret("sk-test", a.id) } });
    expect((await check(org, "agents.credentials")).status).toBe("PASS");

    result = await check(org, "agents.credentials", { encryptionKeyConfigured: false });
    expect(result.status).toBe("FAIL");
    expect(result.evidence.summary).toContain("HELIX_ENCRYPTION_KEY");
  });
});

describe("policies.enforced", () => {
  it("fails without an enforced deny policy, warns about monitor-only policies", async () => {
    const { org } = await world();
    let result = await check(org, "policies.enforced");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.summary).toBe("No policy is enabled, so nothing is denied at the gateway.");

    const watch = await policy(org, { effect: "DENY", mode: "MONITOR", name: "Block nights", condition: "request.hour < 6" });
    result = await check(org, "policies.enforced");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.summary).toContain("monitor mode");
    expect(result.evidence.offenders).toEqual([expect.objectContaining({ id: watch.id, reason: "deny policy in monitor mode" })]);

    await policy(org, { effect: "DENY", name: "Block SSNs", condition: '"SSN" in request.pii' });
    result = await check(org, "policies.enforced");
    expect(result.status).toBe("PASS");
    expect(result.evidence.warnings).toEqual([expect.stringContaining("“Block nights” (deny) is in monitor mode")]);
  });
});

describe("alerts.availability", () => {
  it("needs an enabled error-rate or agent-health rule once there is something to watch", async () => {
    const { org, caller } = await world();
    expect((await check(org, "alerts.availability")).status).toBe("NOT_APPLICABLE");
    await agent(org);
    await caller.alert.rule.create({ orgSlug: org.slug, name: "Slow", kind: "ANOMALY", metric: "p95" });
    expect((await check(org, "alerts.availability")).status).toBe("FAIL");

    const rule = await caller.alert.rule.create({ orgSlug: org.slug, name: "Agents down", kind: "AGENT_HEALTH" });
    let result = await check(org, "alerts.availability");
    expect(result.status).toBe("PASS");
    expect(result.evidence.warnings).toEqual(["“Agents down” notifies no one (no webhook, no email): its alerts only show in the console"]);

    await db().alertRule.update({ where: { id: rule.id }, data: { enabled: false } });
    await caller.alert.rule.create({ orgSlug: org.slug, name: "Errors", kind: "THRESHOLD", metric: "errorRate", thresholdOp: "gt", thresholdValue: 0.05 });
    result = await check(org, "alerts.availability");
    expect(result.status).toBe("PASS");
    expect(result.evidence.summary).toContain("Errors");
  });
});

describe("webhooks.signed", () => {
  it("passes when every webhook has a usable signing secret", async () => {
    const { org, caller } = await world();
    expect((await check(org, "webhooks.signed")).status).toBe("NOT_APPLICABLE");
    const { webhook } = await caller.alert.webhook.create({ orgSlug: org.slug, name: "Pager", url: "http://127.0.0.1:9/hook" });
    expect((await check(org, "webhooks.signed")).status).toBe("PASS");
    await db().webhookEndpoint.update({ where: { id: webhook.id }, data: { secretCipher: "" } });
    const result = await check(org, "webhooks.signed");
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders).toEqual([{ kind: "webhook", id: webhook.id, name: "Pager", reason: "has no signing secret" }]);
  });
});

describe("dsr.timely", () => {
  it("fails for requests open more than 30 days and failed ones not done since, oldest first", async () => {
    const { org } = await world();
    const now = new Date();
    expect((await check(org, "dsr.timely")).status).toBe("NOT_APPLICABLE");
    const dsr = (data: Omit<Prisma.DataSubjectRequestUncheckedCreateInput, "orgId">) => db().dataSubjectRequest.create({ data: { orgId: org.id, ...data }, select: { id: true } });

    await dsr({ subject: "alice", kind: "EXPORT", status: "COMPLETED", createdAt: new Date(now.getTime() - 40 * DAY), completedAt: new Date(now.getTime() - 39 * DAY) });
    await dsr({ subject: "bob", kind: "ERASE", status: "PENDING", createdAt: new Date(now.getTime() - 3 * DAY) });
    expect((await check(org, "dsr.timely", {}, now)).status).toBe("PASS");

    const failed = await dsr({ subject: "carol", kind: "ERASE", status: "FAILED", error: "agent unreachable", createdAt: new Date(now.getTime() - 2 * DAY) });
    const stale = await dsr({ subject: "dave", kind: "EXPORT", status: "PENDING", createdAt: new Date(now.getTime() - 31 * DAY) });
    let result = await check(org, "dsr.timely", {}, now);
    expect(result.status).toBe("FAIL");
    expect(result.evidence.offenders).toEqual([
      { kind: "data-subject request", id: stale.id, name: "export for dave", reason: "pending for 31 days" },
      { kind: "data-subject request", id: failed.id, name: "erase for carol", reason: "failed: agent unreachable, and has not been done since" },
    ]);

    await dsr({ subject: "carol", kind: "ERASE", status: "COMPLETED", createdAt: new Date(now.getTime() - DAY) });
    await db().dataSubjectRequest.update({ where: { id: stale.id }, data: { status: "COMPLETED", completedAt: now } });
    result = await check(org, "dsr.timely", {}, now);
    expect(result.status).toBe("PASS");
  });
});

describe("controlStatusOf", () => {
  it("fails on any failure, is n/a only when all are, passes PASS with n/a", () => {
    expect(controlStatusOf(["PASS", "FAIL", "NOT_APPLICABLE"])).toBe("FAIL");
    expect(controlStatusOf(["PASS", "NOT_APPLICABLE"])).toBe("PASS");
    expect(controlStatusOf(["NOT_APPLICABLE", "NOT_APPLICABLE"])).toBe("NOT_APPLICABLE");
    expect(controlStatusOf(["PASS", "NOT_RUN"])).toBe("NOT_RUN");
    expect(controlStatusOf(["FAIL", "NOT_RUN"])).toBe("FAIL");
    expect(controlStatusOf([])).toBe("MANUAL");
  });
});

describe("compliance router", () => {
  it("stores results on runChecks and derives each control's status from them", async () => {
    const { org, caller } = await world();
    const before = await caller.compliance.overview({ orgSlug: org.slug });
    expect(before.lastRunAt).toBeNull();
    expect(before.frameworks.map((f) => f.key)).toEqual(BUILT_IN_FRAMEWORKS.map((f) => f.key));
    expect(before.frameworks.every((f) => f.controls.every((c) => c.status === "NOT_RUN"))).toBe(true);

    // State: a PHI route without redaction (FAIL), default retention (PASS), no EU route (n/a).
    const a = await agent(org);
    await route(org, ["PHI"], [a.id]);
    await caller.compliance.createFramework({ orgSlug: org.slug, name: "ACME baseline", key: "acme" });
    const control = (code: string, checks: CheckKey[]) => caller.compliance.upsertControl({ orgSlug: org.slug, frameworkKey: "acme", code, title: `Control ${code}`, checks });
    await control("A-1", ["pii.redaction", "telemetry.retention"]);
    await control("A-2", ["telemetry.retention", "residency.eu"]);
    await control("A-3", ["residency.eu"]);
    await control("A-4", []);

    const ran = await caller.compliance.runChecks({ orgSlug: org.slug });
    expect(ran.ran).toBe(CHECK_KEYS.length);
    expect(await db().complianceCheckResult.count({ where: { orgId: org.id } })).toBe(CHECK_KEYS.length);
    await caller.compliance.runChecks({ orgSlug: org.slug }); // upserts, no duplicates
    expect(await db().complianceCheckResult.count({ where: { orgId: org.id } })).toBe(CHECK_KEYS.length);
    expect((await auditEventsOf(org.id, { action: "compliance.checks_run" })).length).toBe(2);

    const overview = await caller.compliance.overview({ orgSlug: org.slug });
    const acme = overview.frameworks.find((f) => f.key === "acme")!;
    expect(acme.builtIn).toBe(false);
    expect(Object.fromEntries(acme.controls.map((c) => [c.controlId, c.status]))).toEqual({ "A-1": "FAIL", "A-2": "PASS", "A-3": "NOT_APPLICABLE", "A-4": "MANUAL" });
    expect(acme.counts).toEqual({ PASS: 1, FAIL: 1, NOT_APPLICABLE: 1, NOT_RUN: 0, MANUAL: 1 });
    const a1 = acme.controls.find((c) => c.controlId === "A-1")!;
    expect(a1.checks.map((c) => [c.key, c.status])).toEqual([["pii.redaction", "FAIL"], ["telemetry.retention", "PASS"]]);
    expect(a1.checkedAt).toEqual(overview.lastRunAt);
    const gdpr = overview.frameworks.find((f) => f.key === "gdpr")!;
    expect(gdpr.controls.find((c) => c.controlId === "Art. 44")!.status).toBe("NOT_APPLICABLE");
    expect(gdpr.controls.find((c) => c.controlId === "Art. 5(1)(c)")!.status).toBe("FAIL");
    expect(overview.checks.find((c) => c.key === "pii.redaction")!.evidence!.offendersTotal).toBe(1);

    // The export: one row per control, user text guarded against spreadsheet formulas.
    await caller.compliance.upsertControl({ orgSlug: org.slug, frameworkKey: "acme", code: "=1+1", title: '@SUM(A1), "quoted"', checks: ["pii.redaction"] });
    const rows = overviewCsvRows(await caller.compliance.overview({ orgSlug: org.slug }));
    expect(rows[0]).toEqual([...CSV_HEADER]);
    expect(rows.length).toBe(1 + BUILT_IN_FRAMEWORKS.reduce((n, f) => n + f.controls.length, 0) + 5);
    const csv = toCsv(rows);
    expect(csv).toContain(`ACME baseline,acme,'=1+1,"'@SUM(A1), ""quoted""",FAIL,pii.redaction: FAIL,`);
    const a1Row = rows.find((r) => r[1] === "acme" && r[2] === "A-1")!;
    expect(a1Row[7]).toContain("route Route ");
    expect(a1Row[8]).toEqual(overview.lastRunAt);
  });

  it("lets viewers read and only admins run checks or edit frameworks", async () => {
    const { org } = await world();
    const viewer = callerFor((await createMember(org, "VIEWER")).user);
    const editor = callerFor((await createMember(org, "EDITOR")).user);
    expect((await viewer.compliance.overview({ orgSlug: org.slug })).frameworks.length).toBe(3);
    await expectTRPCError(viewer.compliance.runChecks({ orgSlug: org.slug }), "FORBIDDEN");
    await expectTRPCError(editor.compliance.runChecks({ orgSlug: org.slug }), "FORBIDDEN");
    await expectTRPCError(editor.compliance.createFramework({ orgSlug: org.slug, name: "Mine" }), "FORBIDDEN");
  });

  it("validates custom frameworks and controls and audits every change", async () => {
    const { org, caller } = await world();
    const made = await caller.compliance.createFramework({ orgSlug: org.slug, name: "ACME Security Baseline", description: "Our own" });
    expect(made).toMatchObject({ key: "acme-security-baseline", name: "ACME Security Baseline", description: "Our own", controls: [] });
    expect((await caller.compliance.createFramework({ orgSlug: org.slug, name: "ACME Security Baseline" })).key).toBe("acme-security-baseline-2");
    await expectTRPCError(caller.compliance.createFramework({ orgSlug: org.slug, name: "Again", key: "acme-security-baseline" }), "CONFLICT", "exists");
    await expectTRPCError(caller.compliance.createFramework({ orgSlug: org.slug, name: "My GDPR", key: "gdpr" }), "CONFLICT", "built-in GDPR");
    expect((await caller.compliance.createFramework({ orgSlug: org.slug, name: "GDPR" })).key).toBe("gdpr-2");
    await expectTRPCError(caller.compliance.createFramework({ orgSlug: org.slug, name: "Bad", key: "Not a key!" }), "BAD_REQUEST", "lowercase letters");

    const key = made.key;
    const { shape } = await expectTRPCError(
      caller.compliance.upsertControl({ orgSlug: org.slug, frameworkKey: key, code: "B-1", title: "Logging", checks: ["audit.chain", "audit.chains" as CheckKey] }),
      "BAD_REQUEST",
      "Unknown check “audit.chains”",
    );
    expect(shape.data.fieldErrors?.["checks.1"]?.[0]).toContain("audit.chains");

    let fw = await caller.compliance.upsertControl({ orgSlug: org.slug, frameworkKey: key, code: "B-1", title: "Logging", checks: ["audit.chain", "audit.chain"] });
    expect(fw.controls).toEqual([{ controlId: "B-1", title: "Logging", description: "", checks: ["audit.chain"] }]);
    fw = await caller.compliance.upsertControl({ orgSlug: org.slug, frameworkKey: key, code: "B-1", title: "Logging and review", description: "Reviewed weekly", checks: ["audit.chain", "alerts.availability"] });
    expect(fw.controls).toEqual([{ controlId: "B-1", title: "Logging and review", description: "Reviewed weekly", checks: ["audit.chain", "alerts.availability"] }]);
    fw = await caller.compliance.updateFramework({ orgSlug: org.slug, frameworkKey: key, name: "ACME baseline v2", description: "" });
    expect(fw).toMatchObject({ key, name: "ACME baseline v2", description: null });

    await expectTRPCError(caller.compliance.updateFramework({ orgSlug: org.slug, frameworkKey: "soc2", name: "Mine now" }), "BAD_REQUEST", "built in");
    await expectTRPCError(caller.compliance.upsertControl({ orgSlug: org.slug, frameworkKey: "hipaa", code: "X", title: "Extra" }), "BAD_REQUEST", "built in");
    await expectTRPCError(caller.compliance.updateFramework({ orgSlug: org.slug, frameworkKey: key }), "BAD_REQUEST", "Nothing to change");
    await expectTRPCError(caller.compliance.deleteControl({ orgSlug: org.slug, frameworkKey: key, code: "B-9" }), "NOT_FOUND", "B-9");

    fw = await caller.compliance.deleteControl({ orgSlug: org.slug, frameworkKey: key, code: "B-1" });
    expect(fw.controls).toEqual([]);
    expect(await caller.compliance.deleteFramework({ orgSlug: org.slug, frameworkKey: key })).toEqual({ key });
    await expectTRPCError(caller.compliance.deleteFramework({ orgSlug: org.slug, frameworkKey: key }), "NOT_FOUND");

    const actions = (await auditEventsOf(org.id)).map((e) => e.action).filter((a) => a.startsWith("compliance."));
    expect(actions).toEqual([
      "compliance.framework_created",
      "compliance.framework_created",
      "compliance.framework_created",
      "compliance.control_created",
      "compliance.control_updated",
      "compliance.framework_updated",
      "compliance.control_deleted",
      "compliance.framework_deleted",
    ]);
    const updated = (await auditEventsOf(org.id, { action: "compliance.control_updated" }))[0]!;
    expect(updated.before).toMatchObject({ title: "Logging", checks: ["audit.chain"] });
    expect(updated.after).toMatchObject({ title: "Logging and review", checks: ["audit.chain", "alerts.availability"] });
  });

  it("keeps frameworks to their organization: another organization's key is not found", async () => {
    const a = await world();
    const b = await world();
    await a.caller.compliance.createFramework({ orgSlug: a.org.slug, name: "Private", key: "private" });
    await expectTRPCError(b.caller.compliance.overview({ orgSlug: a.org.slug }), "NOT_FOUND");
    await expectTRPCError(b.caller.compliance.deleteFramework({ orgSlug: b.org.slug, frameworkKey: "private" }), "NOT_FOUND");
    await expectTRPCError(b.caller.compliance.upsertControl({ orgSlug: b.org.slug, frameworkKey: "private", code: "P-1", title: "Mine" }), "NOT_FOUND");
    expect((await b.caller.compliance.overview({ orgSlug: b.org.slug })).frameworks.map((f) => f.key)).not.toContain("private");
    expect(await db().complianceFramework.count({ where: { orgId: a.org.id } })).toBe(1);
  });
});

describe("the scheduled run", () => {
  it("stores every organization's results and carries on past one that fails", async () => {
    const a = await world();
    const b = await world();
    // The job lists organizations itself; here it is shown a vanished one first, whose results cannot be stored.
    const client = db();
    const listed = [{ id: `cgone${rand(10)}`, slug: "gone" }, { id: a.org.id, slug: a.org.slug }, { id: b.org.id, slug: b.org.slug }];
    const scoped = new Proxy(client, {
      get(target, prop) {
        if (prop === "organization") return { findMany: async () => listed };
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const lines: string[] = [];
    const outcome = await unsafeRunChecksForAllOrgs({ db: scoped, log: (l) => lines.push(l), server: SERVER });
    expect(outcome).toEqual({ orgs: 3, failed: 1 });
    expect(lines).toEqual([expect.stringContaining("compliance: checks for gone failed")]);
    for (const org of [a.org, b.org]) expect(await db().complianceCheckResult.count({ where: { orgId: org.id } })).toBe(CHECK_KEYS.length);
    // A scheduled run is not someone's action: nothing is added to the audit log.
    expect(await auditEventsOf(a.org.id, { action: "compliance.checks_run" })).toEqual([]);
  });
});
