import type { Prisma } from "@/server/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { checkCondition, type AgentFacts } from "./cel";
import { agentVerdict, compilePolicies, compilePolicy, decide, noteMonitoredExclusions, type PolicyDefinition } from "./evaluate";
import { createDetector, findPii, maskText } from "./pii";
import {
  BUILT_IN_PII_KIND_NAMES,
  type PolicyConfig,
  type PolicyView,
  type TestPoliciesResult,
  type testPoliciesInput,
} from "./schema";
import type { z } from "zod";

const policySelect = {
  id: true,
  orgId: true,
  name: true,
  description: true,
  enabled: true,
  scope: true,
  scopeId: true,
  mode: true,
  condition: true,
  effect: true,
  params: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.PolicySelect;
type PolicyRow = Prisma.PolicyGetPayload<{ select: typeof policySelect }>;

async function scopeNames(tx: Tx, orgId: string, rows: readonly PolicyRow[]) {
  const ids = (scope: string) => rows.flatMap((r) => (r.scope === scope && r.scopeId ? [r.scopeId] : []));
  const [routes, agents, keys] = await Promise.all([
    tx.route.findMany({ where: { orgId, id: { in: ids("ROUTE") } }, select: { id: true, name: true } }),
    tx.agent.findMany({ where: { orgId, id: { in: ids("AGENT") } }, select: { id: true, name: true } }),
    tx.apiKey.findMany({ where: { orgId, id: { in: ids("API_KEY") } }, select: { id: true, name: true } }),
  ]);
  return new Map([...routes, ...agents, ...keys].map((o) => [o.id, o.name]));
}

async function toViews(tx: Tx, orgId: string, rows: readonly PolicyRow[]): Promise<PolicyView[]> {
  const names = await scopeNames(tx, orgId, rows);
  return rows.map(({ orgId: _o, params, ...r }) => ({
    ...r,
    params: params as PolicyView["params"],
    scopeName: r.scopeId ? (names.get(r.scopeId) ?? null) : null,
  }));
}

export async function listPolicies(opts: { ctx: OrgContext }) {
  const { ctx } = opts;
  const rows = await ctx.db.policy.findMany({ where: { orgId: ctx.org.id }, orderBy: [{ name: "asc" }, { id: "asc" }], select: policySelect });
  return toViews(ctx.db, ctx.org.id, rows);
}

async function load(tx: Tx, orgId: string, policyId: string): Promise<PolicyView> {
  const row = await tx.policy.findFirst({ where: { id: policyId, orgId }, select: policySelect });
  if (!row) throw notFound("Policy");
  return (await toViews(tx, orgId, [row]))[0]!;
}

export async function getPolicy(opts: { ctx: OrgContext; policyId: string }) {
  return load(opts.ctx.db, opts.ctx.org.id, opts.policyId);
}

export async function listPolicyVersions(opts: { ctx: OrgContext; policyId: string }) {
  const { ctx, policyId } = opts;
  await load(ctx.db, ctx.org.id, policyId);
  const versions = await ctx.db.policyVersion.findMany({
    where: { policyId, orgId: ctx.org.id },
    orderBy: { version: "desc" },
    take: 100,
    select: { version: true, createdAt: true, createdById: true, config: true },
  });
  const authorIds = versions.flatMap((v) => (v.createdById ? [v.createdById] : []));
  const authors = new Map((await ctx.db.user.findMany({ where: { id: { in: authorIds } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]));
  return versions.map(({ createdById, config, ...v }) => ({
    ...v,
    config: config as unknown as PolicyConfig,
    createdBy: createdById ? (authors.get(createdById) ?? null) : null,
  }));
}

/** The saved configuration, as versions store it (the confirmation is not part of it). */
function stored(config: PolicyConfig) {
  const { confirm: _confirm, ...rest } = config;
  return { ...rest, description: rest.description ?? null, scopeId: rest.scope === "ORGANIZATION" ? null : (rest.scopeId ?? null) };
}

function columns(config: PolicyConfig) {
  const s = stored(config);
  return { ...s, params: s.params as Prisma.InputJsonValue };
}

/** Kinds an organization's REDACT policies may name: the built-in ones, its own patterns, or ALL. */
async function knownPiiKinds(tx: Tx, orgId: string): Promise<Set<string>> {
  const own = await tx.piiPattern.findMany({ where: { orgId }, select: { name: true } });
  return new Set<string>(["ALL", ...BUILT_IN_PII_KIND_NAMES, ...own.map((p) => p.name)]);
}

/** Sample requests a condition is tried on to tell whether it would deny everything. */
function probeFacts(routes: readonly { id: string; alias: string; labels: string[] }[]) {
  const base = routes.length ? routes : [{ id: "route", alias: "route", labels: [] as string[] }];
  const labelSets: string[][] = [[], ["PHI"], ["PII"], ["EU"], ["US"], ["PUBLIC"]];
  const facts = [];
  for (const r of base.slice(0, 20)) {
    for (const [i, labels] of labelSets.entries()) {
      facts.push({
        routeId: r.id,
        routeAlias: r.alias,
        routeLabels: r.labels,
        labels: [...new Set([...r.labels, ...labels])],
        pii: i % 2 ? ["EMAIL"] : [],
        model: r.alias,
        stream: i % 2 === 0,
        subject: i % 3 ? "" : "subject-1",
        keyId: "",
        keyName: "",
        protocol: i % 2 ? "a2a" : "openai",
        headers: {},
        at: new Date(Date.UTC(2026, 0, 5 + i, (i * 7) % 24)),
      });
    }
  }
  return facts;
}

/** Validates a policy against the organization: conditions type-check, scope and kinds exist; asks to confirm a deny-all. */
async function validate(tx: Tx, orgId: string, config: PolicyConfig) {
  // The scope first: another organization's id is "not found" whatever else is wrong with the draft.
  if (config.scope !== "ORGANIZATION" && config.scopeId) {
    const found =
      config.scope === "ROUTE"
        ? await tx.route.findFirst({ where: { id: config.scopeId, orgId }, select: { id: true } })
        : config.scope === "AGENT"
          ? await tx.agent.findFirst({ where: { id: config.scopeId, orgId }, select: { id: true } })
          : await tx.apiKey.findFirst({ where: { id: config.scopeId, orgId }, select: { id: true } });
    if (!found) throw notFound(config.scope === "API_KEY" ? "API key" : config.scope === "ROUTE" ? "Route" : "Agent");
  }
  const checked = checkCondition(config.condition, "condition");
  if (!checked.ok) throw badRequest(`Condition: ${checked.error.message}`, "condition");
  if (config.effect === "RESTRICT_ROUTING") {
    const agentChecked = checkCondition(config.params.agentCondition ?? "", "agentCondition");
    if (!agentChecked.ok) throw badRequest(`Agent condition: ${agentChecked.error.message}`, "params.agentCondition");
  }
  if (config.effect === "REDACT") {
    const known = await knownPiiKinds(tx, orgId);
    const unknown = (config.params.kinds ?? []).filter((k) => !known.has(k));
    if (unknown.length) {
      throw badRequest(`Unknown PII kind${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}: use ${[...known].join(", ")}`, "params.kinds");
    }
  }
  if (config.confirm || config.mode !== "ENFORCE") return;
  const routes = await tx.route.findMany({ where: { orgId }, select: { id: true, alias: true, labels: true }, take: 20, orderBy: { name: "asc" } });
  const compiled = compilePolicy({ id: "draft", orgId, name: config.name, enabled: true, scope: "ORGANIZATION", scopeId: null, mode: "ENFORCE", effect: config.effect, condition: config.condition, params: config.params });
  if (config.effect === "DENY" && config.scope !== "AGENT") {
    const denied = probeFacts(routes).every((facts) => decide([compiled], { facts, detectPii: () => facts.pii, candidateAgentIds: [] }).denied);
    if (denied) {
      throw badRequest(
        "This policy would deny every request in its scope: its condition is true for every sample request tried. Narrow the condition, use MONITOR mode, or confirm to save it anyway.",
        "confirm",
      );
    }
  }
  if (config.effect === "RESTRICT_ROUTING") {
    const agents = await tx.agent.findMany({ where: { orgId }, select: { id: true, name: true, slug: true, region: true, provider: true, tags: true, protocol: true }, take: 500 });
    if (agents.length) {
      const facts = probeFacts(routes)[0]!;
      const outcome = decide([compiled], { facts, detectPii: () => [], candidateAgentIds: [] });
      if (outcome.agentRules.length && agents.every((a) => !agentVerdict(outcome, a).allowed)) {
        throw badRequest(
          `No agent of this organization satisfies the agent condition, so matching requests would all be refused (agents' regions: ${[...new Set(agents.map((a) => a.region ?? "none"))].join(", ")}). Fix the condition or confirm to save it anyway.`,
          "confirm",
        );
      }
    }
  }
}

const uniqueName = (error: unknown, config: PolicyConfig) =>
  (error as { code?: string }).code === "P2002" ? conflict(`A policy named "${config.name}" already exists here`, "name") : error;

/**
 * Validates and saves a new policy inside the caller's transaction, with its first version and an
 * audit event. `installId` marks a policy a marketplace policy pack created.
 */
export async function insertPolicy(tx: Tx, ctx: Pick<OrgContext, "org" | "user">, config: PolicyConfig, opts: { installId?: string } = {}): Promise<{ id: string }> {
  await validate(tx, ctx.org.id, config);
  const policy = await tx.policy.create({
    data: { orgId: ctx.org.id, ...columns(config), version: 1, createdById: ctx.user.id, installId: opts.installId ?? null },
    select: { id: true },
  });
  await tx.policyVersion.create({ data: { orgId: ctx.org.id, policyId: policy.id, version: 1, config: stored(config) as Prisma.InputJsonValue, createdById: ctx.user.id } });
  await recordAudit(tx, {
    orgId: ctx.org.id,
    actor: ctx.user,
    action: "policy.created",
    targetType: "policy",
    targetId: policy.id,
    after: { ...stored(config), ...(opts.installId ? { installId: opts.installId } : {}) } as Prisma.InputJsonValue,
  });
  return policy;
}

export async function createPolicy(opts: { ctx: OrgContext; config: PolicyConfig }) {
  const { ctx, config } = opts;
  return ctx.db
    .$transaction(async (tx) => {
      const policy = await insertPolicy(tx, ctx, config);
      return load(tx, ctx.org.id, policy.id);
    })
    .catch((e) => {
      throw uniqueName(e, config);
    });
}

export async function updatePolicy(opts: { ctx: OrgContext; policyId: string; expectedVersion: number; config: PolicyConfig }) {
  const { ctx, policyId, expectedVersion, config } = opts;
  return ctx.db
    .$transaction(async (tx) => {
      const before = await load(tx, ctx.org.id, policyId);
      await validate(tx, ctx.org.id, config);
      const next = before.version + 1;
      // Compare-and-set: two editors saving from the same version cannot overwrite each other.
      const { count } = await tx.policy.updateMany({ where: { id: policyId, orgId: ctx.org.id, version: expectedVersion }, data: { ...columns(config), version: next } });
      if (count === 0) throw conflict(`This policy was changed by someone else (now version ${before.version}); reload to see their change`, "version");
      await tx.policyVersion.create({ data: { orgId: ctx.org.id, policyId, version: next, config: stored(config) as Prisma.InputJsonValue, createdById: ctx.user.id } });
      const { createdAt: _c, updatedAt: _u, scopeName: _s, ...shown } = before;
      await recordAudit(tx, {
        orgId: ctx.org.id,
        actor: ctx.user,
        action: "policy.updated",
        targetType: "policy",
        targetId: policyId,
        before: shown as unknown as Prisma.InputJsonValue,
        after: { ...stored(config), version: next } as Prisma.InputJsonValue,
      });
      return load(tx, ctx.org.id, policyId);
    })
    .catch((e) => {
      throw uniqueName(e, config);
    });
}

export async function setPolicyEnabled(opts: { ctx: OrgContext; policyId: string; enabled: boolean }) {
  const { ctx, policyId, enabled } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await load(tx, ctx.org.id, policyId);
    if (before.enabled === enabled) return before;
    await tx.policy.update({ where: { id: policyId }, data: { enabled } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: enabled ? "policy.enabled" : "policy.disabled",
      targetType: "policy",
      targetId: policyId,
      before: { enabled: before.enabled },
      after: { enabled },
    });
    return load(tx, ctx.org.id, policyId);
  });
}

export async function deletePolicy(opts: { ctx: OrgContext; policyId: string }) {
  const { ctx, policyId } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await load(tx, ctx.org.id, policyId);
    await tx.policy.delete({ where: { id: policyId } });
    const { createdAt: _c, updatedAt: _u, scopeName: _s, ...shown } = before;
    await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "policy.deleted", targetType: "policy", targetId: policyId, before: shown as unknown as Prisma.InputJsonValue });
    return { id: policyId };
  });
}

// ---------------------------------------------------------------------------------------------
// Test against a sample request: the gateway's own decision code on a sample.

type TestInput = z.output<typeof testPoliciesInput>;

export async function testPolicies(opts: { ctx: OrgContext; input: TestInput }): Promise<TestPoliciesResult> {
  const { ctx, input } = opts;
  const orgId = ctx.org.id;
  const { sample } = input;
  const route = await ctx.db.route.findFirst({
    where: { id: sample.routeId, orgId },
    select: { id: true, alias: true, labels: true, targets: { select: { agent: { select: { id: true, name: true, slug: true, region: true, provider: true, tags: true, protocol: true } } } } },
  });
  if (!route) throw notFound("Route");
  const key = sample.keyId ? await ctx.db.apiKey.findFirst({ where: { id: sample.keyId, orgId }, select: { id: true, name: true } }) : null;
  if (sample.keyId && !key) throw notFound("API key");

  const rows: PolicyDefinition[] = input.includeSaved
    ? (await ctx.db.policy.findMany({ where: { orgId, enabled: true }, select: policySelect, orderBy: [{ name: "asc" }, { id: "asc" }] })).filter((p) => p.id !== input.draftOf)
    : [];
  if (input.draft) {
    await validate(ctx.db, orgId, { ...input.draft, confirm: true });
    rows.push({ ...stored(input.draft), id: input.draftOf ?? "draft", orgId, enabled: true, params: input.draft.params });
  }
  const { policies, errors } = compilePolicies(rows);
  const patterns = await ctx.db.piiPattern.findMany({ where: { orgId }, select: { name: true, pattern: true } });

  const agents: AgentFacts[] = route.targets.map((t) => t.agent);
  const headers = Object.fromEntries(sample.headers.map((h) => [h.name, h.value]));
  const labels = [...new Set([...route.labels, ...sample.labels])];
  const everything = createDetector({ kinds: "ALL", custom: patterns });
  const piiFound = [...new Set(findPii(everything, sample.text).map((m) => m.kind))];
  const outcome = decide(policies, {
    facts: {
      routeId: route.id,
      routeAlias: route.alias,
      routeLabels: route.labels,
      labels,
      model: sample.model ?? route.alias,
      stream: sample.stream,
      subject: sample.subject,
      keyId: key?.id ?? "",
      keyName: key?.name ?? "",
      protocol: "openai",
      headers,
      at: sample.at ?? new Date(),
    },
    detectPii: () => piiFound,
    candidateAgentIds: agents.map((a) => a.id),
  });
  noteMonitoredExclusions(outcome, agents);
  const verdicts = agents.map((a) => {
    const v = agentVerdict(outcome, a);
    return { id: a.id, name: a.name, region: a.region, allowed: v.allowed, blockedBy: v.blockedBy ?? null };
  });
  let message = outcome.denied?.message ?? null;
  let denied = outcome.denied !== null;
  if (!denied && agents.length && verdicts.every((v) => !v.allowed)) {
    denied = true;
    message = `No agent of route ${route.alias} is allowed for this request by policy "${verdicts[0]!.blockedBy}"`;
  }
  const requestText = outcome.redactRequest ? maskText(createDetector({ kinds: outcome.redactRequest.has("ALL") ? "ALL" : [...outcome.redactRequest], custom: patterns }), sample.text).text : sample.text;
  return {
    outcome: denied ? "DENY" : "ALLOW",
    message,
    decisions: outcome.decisions.map((d) => ({ ...d, detail: d.detail ?? null, error: d.error ?? null })),
    requestText,
    piiFound,
    maxTokens: outcome.maxTokens,
    redactResponse: outcome.redactResponse ? [...outcome.redactResponse] : null,
    agents: verdicts,
    warnings: errors.map((e) => `Policy "${e.name}" could not be compiled and is ignored: ${e.message}`),
  };
}
