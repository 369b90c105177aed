import type { Db } from "@/server/db";
import { env, oidcConfigured } from "@/server/env";
import { decryptSecret } from "@/server/agents/crypto";
import { verifyAuditChain } from "@/server/audit/chain";
import { getRawRetention } from "@/server/analytics/retention";
import { agentValue, evaluateCondition, requestValue } from "@/server/policies/cel";
import { compilePolicy, type CompiledPolicy } from "@/server/policies/evaluate";
import { CHECK_INFO, CHECK_KEYS, DSR_MAX_OPEN_DAYS, MAX_RAW_RETENTION_DAYS, type CheckKey } from "./check-keys";
import { conditionCovers, RECOGNIZED_CONDITIONS, RECOGNIZED_PII_CONDITION } from "./conditions";
import { MAX_OFFENDERS, type ComplianceStatus, type Evidence, type EvidenceFact, type EvidenceOffender } from "./schema";

/**
 * The automated compliance checks. Each looks at one organization's real configuration and says
 * PASS, FAIL or NOT_APPLICABLE, with the evidence it decided on: counts, the objects at fault by
 * name, and how it decided (what it can and cannot see). A check that cannot run FAILs: "could not
 * tell" is never a pass.
 */

/** What the checks need to know about this server (not stored per organization). */
export interface ServerFacts {
  oidcConfigured: boolean;
  encryptionKeyConfigured: boolean;
}

export function serverFacts(): ServerFacts {
  return { oidcConfigured: oidcConfigured(), encryptionKeyConfigured: Boolean(env().HELIX_ENCRYPTION_KEY) };
}

export interface CheckContext {
  db: Db;
  orgId: string;
  now: Date;
  server: ServerFacts;
}

export interface CheckOutcome {
  status: ComplianceStatus;
  evidence: Evidence;
}

export interface CheckResult extends CheckOutcome {
  key: CheckKey;
}

const DAY = 24 * 3600 * 1000;

/** Builds evidence, capping the offender list. */
function outcome(
  status: ComplianceStatus,
  summary: string,
  opts: { facts?: EvidenceFact[]; offenders?: EvidenceOffender[]; warnings?: string[]; method: string },
): CheckOutcome {
  const offenders = opts.offenders ?? [];
  return {
    status,
    evidence: {
      summary,
      facts: opts.facts ?? [],
      offenders: offenders.slice(0, MAX_OFFENDERS),
      offendersTotal: offenders.length,
      warnings: opts.warnings ?? [],
      method: opts.method,
    },
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const quoteList = (names: string[], max = 5) =>
  names.length <= max ? names.map((n) => `“${n}”`).join(", ") : `${names.slice(0, max).map((n) => `“${n}”`).join(", ")} and ${names.length - max} more`;

// ---------------------------------------------------------------------------------------------
// Policies as the gateway sees them

interface PolicyRow {
  id: string;
  orgId: string;
  name: string;
  enabled: boolean;
  scope: "ORGANIZATION" | "ROUTE" | "AGENT" | "API_KEY";
  scopeId: string | null;
  mode: "ENFORCE" | "MONITOR";
  effect: "DENY" | "REDACT" | "RESTRICT_ROUTING" | "REQUIRE_LABEL" | "CAP_TOKENS";
  condition: string;
  params: unknown;
}

/** The enabled policies that compile (the gateway skips the others), and those it would skip. */
async function loadPolicies(ctx: CheckContext) {
  const rows: PolicyRow[] = await ctx.db.policy.findMany({
    where: { orgId: ctx.orgId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, orgId: true, name: true, enabled: true, scope: true, scopeId: true, mode: true, effect: true, condition: true, params: true },
  });
  const compiled: { row: PolicyRow; policy: CompiledPolicy }[] = [];
  const broken: { row: PolicyRow; message: string }[] = [];
  for (const row of rows) {
    if (!row.enabled) continue;
    try {
      compiled.push({ row, policy: compilePolicy(row) });
    } catch (error) {
      broken.push({ row, message: (error as Error).message });
    }
  }
  return { rows, compiled, broken };
}

const appliesToRoute = (p: CompiledPolicy, routeId: string) => p.scope === "ORGANIZATION" || (p.scope === "ROUTE" && p.scopeId === routeId);

interface LabelledRoute {
  id: string;
  name: string;
  alias: string;
  labels: string[];
  strategy: string;
  matchTags: string[];
  targets: { agent: { id: string; name: string; slug: string; region: string | null; provider: string | null; tags: string[]; protocol: string; status: string } }[];
}

/** Enabled routes carrying any of `labels` (compared upper-case). */
async function routesLabelled(ctx: CheckContext, labels: string[]): Promise<LabelledRoute[]> {
  const routes = await ctx.db.route.findMany({
    where: { orgId: ctx.orgId, enabled: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      alias: true,
      labels: true,
      strategy: true,
      matchTags: true,
      targets: { select: { agent: { select: { id: true, name: true, slug: true, region: true, provider: true, tags: true, protocol: true, status: true } } } },
    },
  });
  return routes.filter((r) => r.labels.some((l) => labels.includes(l.toUpperCase())));
}

// ---------------------------------------------------------------------------------------------
// The checks

async function checkSso(ctx: CheckContext): Promise<CheckOutcome> {
  const members = await ctx.db.membership.findMany({
    where: { orgId: ctx.orgId },
    orderBy: { createdAt: "asc" },
    select: { user: { select: { id: true, email: true, passwordHash: true, accounts: { select: { provider: true } } } } },
  });
  const users = members.map((m) => ({ id: m.user.id, email: m.user.email, password: m.user.passwordHash !== null, sso: m.user.accounts.length > 0 }));
  const passwordOnly = users.filter((u) => u.password && !u.sso);
  const both = users.filter((u) => u.password && u.sso);
  const sso = users.filter((u) => u.sso);
  const share = users.length ? Math.round((sso.length / users.length) * 100) : 0;
  const facts: EvidenceFact[] = [
    { label: "OIDC identity provider configured", value: ctx.server.oidcConfigured },
    { label: "Members", value: users.length },
    { label: "Members with an SSO account", value: sso.length },
    { label: "Share of members with SSO", value: `${share} %` },
    { label: "Members signing in with a password only", value: passwordOnly.length },
  ];
  // Auth.js writes an account row only for sign-ins through an identity provider; passwords live on the user.
  const method =
    "Members' sign-in methods: a linked identity-provider account means they signed in through SSO; a password hash means password sign-in is possible. The identity provider is the server's AUTH_OIDC_* setting.";
  const offenders = passwordOnly.map((u) => ({ kind: "member", id: u.id, name: u.email, reason: "signs in with a password only" }));
  if (!ctx.server.oidcConfigured) {
    return outcome("FAIL", "No identity provider is configured on this server, so members sign in with passwords.", { facts, offenders, method });
  }
  const warnings = both.length ? [`${plural(both.length, "member")} with SSO can still sign in with a password (${quoteList(both.map((u) => u.email))})`] : [];
  if (passwordOnly.length) {
    return outcome("FAIL", `${plural(passwordOnly.length, "member")} of ${users.length} sign${passwordOnly.length === 1 ? "s" : ""} in with a password only.`, { facts, offenders, warnings, method });
  }
  return outcome("PASS", `Single sign-on is configured and ${sso.length} of ${users.length} members have signed in through it; none uses a password only.`, { facts, warnings, method });
}

async function checkAuditChain(ctx: CheckContext): Promise<CheckOutcome> {
  const [result, total] = await Promise.all([verifyAuditChain({ db: ctx.db, orgId: ctx.orgId }), ctx.db.auditEvent.count({ where: { orgId: ctx.orgId } })]);
  const facts: EvidenceFact[] = [
    { label: "Audit events", value: total },
    { label: "Events verified in the hash chain", value: result.checked },
  ];
  const method =
    "Recomputed every audit event's SHA-256 hash from its content and the previous event's hash, in chain order, and checked the positions for gaps. Events cut off the end of the log cannot be seen this way.";
  if (!result.ok && result.firstBroken) {
    const b = result.firstBroken;
    facts.push({ label: "First broken event", value: b.id }, { label: "Its position", value: b.seq }, { label: "Recorded at", value: b.at.toISOString() });
    return outcome("FAIL", `The audit log's hash chain breaks at event ${b.id}${b.seq !== null ? ` (#${b.seq})` : ""}: ${b.reason}.`, {
      facts,
      offenders: [{ kind: "audit event", id: b.id, name: `#${b.seq ?? "unchained"} at ${b.at.toISOString()}`, reason: b.reason }],
      method,
    });
  }
  if (!result.ok) return outcome("FAIL", "The audit log's hash chain could not be verified.", { facts, method });
  return outcome("PASS", `All ${result.checked} audit events are intact in the hash chain.`, { facts, method });
}

const SENSITIVE_LABELS = ["PHI", "PII"];

async function checkRedaction(ctx: CheckContext): Promise<CheckOutcome> {
  const [routes, policies] = await Promise.all([routesLabelled(ctx, SENSITIVE_LABELS), loadPolicies(ctx)]);
  const method = `Enabled routes labelled ${SENSITIVE_LABELS.join(" or ")}; a route is covered by an enabled REDACT policy in ENFORCE mode, scoped to the organization or to that route, that masks the request (direction REQUEST or BOTH). ${RECOGNIZED_CONDITIONS} ${RECOGNIZED_PII_CONDITION} Which PII a redaction catches depends on the kinds it masks and on detection; that is not tested here.`;
  if (routes.length === 0) {
    return outcome("NOT_APPLICABLE", `No enabled route is labelled ${SENSITIVE_LABELS.join(" or ")}.`, { facts: [{ label: "Routes labelled PHI / PII", value: 0 }], method });
  }
  const redacts = policies.compiled.filter((c) => c.policy.effect === "REDACT");
  const offenders: EvidenceOffender[] = [];
  const warnings: string[] = [];
  const coveredKinds = new Set<string>();
  for (const route of routes) {
    // Conditions see the labels as stored; which ones are sensitive is decided upper-case.
    const labels = route.labels;
    const reasons: string[] = [];
    let covered = false;
    for (const { row, policy } of redacts.filter((c) => appliesToRoute(c.policy, route.id))) {
      const direction = policy.params.direction ?? "BOTH";
      const coverage = conditionCovers(row.condition, { routeLabels: labels, piiDetectionSuffices: true });
      if (policy.mode !== "ENFORCE") reasons.push(`“${policy.name}” is in monitor mode`);
      else if (direction === "RESPONSE") reasons.push(`“${policy.name}” masks answers only`);
      else if (!coverage.covers) reasons.push(`“${policy.name}”: ${coverage.reason}`);
      else {
        covered = true;
        for (const kind of policy.params.kinds ?? ["ALL"]) coveredKinds.add(kind);
      }
    }
    if (!covered) {
      offenders.push({
        kind: "route",
        id: route.id,
        name: route.name,
        reason: `labelled ${labels.filter((l) => SENSITIVE_LABELS.includes(l.toUpperCase())).join(", ")}, no enforced request redaction${reasons.length ? ` (${reasons.join("; ")})` : ""}`,
      });
    }
  }
  for (const b of policies.broken.filter((b) => b.row.effect === "REDACT")) warnings.push(`Policy “${b.row.name}” is skipped by the gateway: ${b.message}`);
  if (coveredKinds.size && !coveredKinds.has("ALL")) warnings.push(`Redaction masks ${[...coveredKinds].sort().join(", ")} only, not ALL kinds`);
  const facts: EvidenceFact[] = [
    { label: "Routes labelled PHI / PII", value: routes.length },
    { label: "Routes without enforced request redaction", value: offenders.length },
    { label: "Enabled redact policies", value: redacts.length },
  ];
  if (offenders.length) {
    return outcome("FAIL", `${plural(offenders.length, "route")} labelled PHI / PII ${offenders.length === 1 ? "is" : "are"} not covered by an enforced request redaction: ${quoteList(offenders.map((o) => o.name))}.`, {
      facts,
      offenders,
      warnings,
      method,
    });
  }
  return outcome("PASS", `All ${plural(routes.length, "route")} labelled PHI / PII are covered by an enforced redaction of requests.`, { facts, warnings, method });
}

async function checkRetention(ctx: CheckContext): Promise<CheckOutcome> {
  const retention = await getRawRetention({ db: ctx.db, orgId: ctx.orgId });
  const facts: EvidenceFact[] = [
    { label: "Raw events kept (days)", value: retention.days },
    { label: "Default setting", value: retention.isDefault },
    { label: "Most allowed (days)", value: MAX_RAW_RETENTION_DAYS },
  ];
  const method = "The organization's raw telemetry retention (Settings → Raw telemetry retention); the hourly retention job deletes raw gateway events older than that. Rollups hold no request content and are kept.";
  if (retention.days > MAX_RAW_RETENTION_DAYS) {
    return outcome("FAIL", `Raw gateway events are kept for ${retention.days} days, more than ${MAX_RAW_RETENTION_DAYS}.`, {
      facts,
      offenders: [{ kind: "setting", id: "telemetry.retention", name: "Raw telemetry retention", reason: `${retention.days} days` }],
      method,
    });
  }
  return outcome("PASS", `Raw gateway events are kept for ${retention.days} days${retention.isDefault ? " (the default)" : ""}.`, { facts, method });
}

async function checkCredentials(ctx: CheckContext): Promise<CheckOutcome> {
  const agents = await ctx.db.agent.findMany({
    where: { orgId: ctx.orgId, credentialKind: { not: null } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, credentialCipher: true },
  });
  const facts: EvidenceFact[] = [
    { label: "Server encryption key (HELIX_ENCRYPTION_KEY) configured", value: ctx.server.encryptionKeyConfigured },
    { label: "Agents with credentials", value: agents.length },
  ];
  const method = "Every agent that has a credential kind must hold AES-256-GCM ciphertext that opens with the server's key and is bound to that agent; each one is opened in memory to prove it (nothing is shown or stored).";
  if (agents.length === 0) {
    return outcome("NOT_APPLICABLE", "No agent has a credential.", { facts, method });
  }
  const offenders: EvidenceOffender[] = [];
  for (const agent of agents) {
    if (!agent.credentialCipher) offenders.push({ kind: "agent", id: agent.id, name: agent.name, reason: "has a credential kind but no encrypted credential" });
    else if (ctx.server.encryptionKeyConfigured) {
      try {
        decryptSecret(agent.credentialCipher, agent.id);
      } catch {
        offenders.push({ kind: "agent", id: agent.id, name: agent.name, reason: "its stored credential does not open with the server's key (another key, or altered)" });
      }
    }
  }
  facts.push({ label: "Agents whose credential is not properly encrypted", value: offenders.length });
  if (!ctx.server.encryptionKeyConfigured) {
    return outcome("FAIL", "The server has no HELIX_ENCRYPTION_KEY, so agent credentials cannot be encrypted or used.", { facts, offenders, method });
  }
  if (offenders.length) {
    return outcome("FAIL", `${plural(offenders.length, "agent")} of ${agents.length} with credentials ${offenders.length === 1 ? "has" : "have"} no properly encrypted credential: ${quoteList(offenders.map((o) => o.name))}.`, {
      facts,
      offenders,
      method,
    });
  }
  return outcome("PASS", `All ${plural(agents.length, "agent credential")} are encrypted with the server's key.`, { facts, method });
}

/** EU regions by name: AWS/Alibaba eu-*, GCP europe-*, Azure *europe and EU-country regions, or plain "EU". */
const EU_REGION = /^(eu|europe)(\b|[-_\d])|europe|^(france|germany|sweden|italy|poland|spain|austria|belgium|finland|ireland|netherlands|denmark)/i;

export function isEuRegion(region: string | null): boolean {
  return region !== null && EU_REGION.test(region.trim());
}

/** Whether a parsed expression reads the `request` variable anywhere. */
function readsRequest(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(readsRequest);
  if (typeof node !== "object" || node === null) return false;
  const n = node as { op?: unknown; args?: unknown };
  if (n.op === "id" && n.args === "request") return true;
  return readsRequest(n.args);
}

async function checkEuResidency(ctx: CheckContext): Promise<CheckOutcome> {
  const [routes, policies] = await Promise.all([routesLabelled(ctx, ["EU"]), loadPolicies(ctx)]);
  const method = `Enabled routes labelled EU; a route is covered by an enabled RESTRICT_ROUTING policy in ENFORCE mode, scoped to the organization or to that route. ${RECOGNIZED_CONDITIONS} The agent conditions of the covering policies are then evaluated for each agent that could serve the route (its targets; for the capability strategy every enabled agent with the route's tags). An agent counts as in the EU when its region names the EU or Europe (eu-*, europe-*, *europe, an EU country, or "EU"); check region names such as GCP's europe-west2 (London) yourself. Requests labelled EU by header on other routes are covered only by organization-wide policies.`;
  if (routes.length === 0) {
    return outcome("NOT_APPLICABLE", "No enabled route is labelled EU.", { facts: [{ label: "Routes labelled EU", value: 0 }], method });
  }
  const restricts = policies.compiled.filter((c) => c.policy.effect === "RESTRICT_ROUTING");
  const needsCandidates = routes.some((r) => r.strategy === "CAPABILITY");
  const allAgents = needsCandidates
    ? await ctx.db.agent.findMany({
        where: { orgId: ctx.orgId, status: { not: "DISABLED" } },
        select: { id: true, name: true, slug: true, region: true, provider: true, tags: true, protocol: true, status: true },
      })
    : [];
  const offenders: EvidenceOffender[] = [];
  const warnings: string[] = [];
  let nonEuTargets = 0;
  for (const route of routes) {
    const labels = route.labels;
    const reasons: string[] = [];
    const covering: CompiledPolicy[] = [];
    for (const { row, policy } of restricts.filter((c) => appliesToRoute(c.policy, route.id))) {
      const coverage = conditionCovers(row.condition, { routeLabels: labels });
      if (policy.mode !== "ENFORCE") reasons.push(`“${policy.name}” is in monitor mode`);
      else if (!coverage.covers) reasons.push(`“${policy.name}”: ${coverage.reason}`);
      else covering.push(policy);
    }
    const candidates = new Map(route.targets.map((t) => [t.agent.id, t.agent]));
    if (route.strategy === "CAPABILITY") {
      for (const a of allAgents) if (route.matchTags.every((tag) => a.tags.includes(tag))) candidates.set(a.id, a);
    }
    const nonEu = [...candidates.values()].filter((a) => !isEuRegion(a.region));
    nonEuTargets += nonEu.length;
    if (covering.length === 0) {
      offenders.push({
        kind: "route",
        id: route.id,
        name: route.name,
        reason: `labelled EU, no enforced restrict-routing policy covers it${reasons.length ? ` (${reasons.join("; ")})` : ""}${nonEu.length ? `; non-EU agents can serve it: ${quoteList(nonEu.map((a) => `${a.name} (${a.region ?? "no region"})`))}` : ""}`,
      });
      continue;
    }
    const request = requestValue({
      routeId: route.id,
      routeAlias: route.alias,
      routeLabels: labels,
      labels,
      pii: [],
      model: route.alias,
      stream: false,
      subject: "",
      keyId: "",
      keyName: "",
      protocol: "openai",
      headers: {},
      at: ctx.now,
    });
    for (const agent of nonEu) {
      // The agent may serve EU traffic unless some covering policy certainly excludes it.
      const excludedBy = covering.find((p) => {
        if (!p.agentCondition) return false;
        if (readsRequest(p.agentCondition.ast)) return false; // depends on the request: not certainly excluded
        const { value, error } = evaluateCondition(p.agentCondition, { request, agent: agentValue(agent) });
        return !value && !error;
      });
      if (excludedBy) {
        warnings.push(`Route “${route.name}” targets ${agent.name} (${agent.region ?? "no region"}), which policy “${excludedBy.name}” keeps from serving EU traffic`);
      } else {
        offenders.push({
          kind: "route",
          id: route.id,
          name: route.name,
          reason: `agent ${agent.name} (${agent.region ?? "no region"}) is outside the EU and no covering policy's agent condition certainly excludes it (${covering.map((p) => `“${p.name}”`).join(", ")})`,
        });
      }
    }
  }
  for (const b of policies.broken.filter((b) => b.row.effect === "RESTRICT_ROUTING")) warnings.push(`Policy “${b.row.name}” is skipped by the gateway: ${b.message}`);
  const facts: EvidenceFact[] = [
    { label: "Routes labelled EU", value: routes.length },
    { label: "Enabled restrict-routing policies", value: restricts.length },
    { label: "Non-EU agents among those routes' agents", value: nonEuTargets },
    { label: "Problems found", value: offenders.length },
  ];
  if (offenders.length) {
    const names = [...new Set(offenders.map((o) => o.name))];
    return outcome("FAIL", `EU traffic can leave the EU on ${plural(names.length, "route")}: ${quoteList(names)}.`, { facts, offenders, warnings, method });
  }
  return outcome("PASS", `All ${plural(routes.length, "route")} labelled EU are restricted to EU agents by enforced policies.`, { facts, warnings, method });
}

async function checkPoliciesEnforced(ctx: CheckContext): Promise<CheckOutcome> {
  const policies = await loadPolicies(ctx);
  const enabled = policies.compiled.map((c) => c.policy);
  const monitor = enabled.filter((p) => p.mode === "MONITOR");
  const enforcedDeny = enabled.filter((p) => p.effect === "DENY" && p.mode === "ENFORCE");
  const facts: EvidenceFact[] = [
    { label: "Policies", value: policies.rows.length },
    { label: "Enabled policies", value: enabled.length },
    { label: "Enforced deny policies", value: enforcedDeny.length },
    { label: "Enabled policies in monitor mode", value: monitor.length },
  ];
  const warnings = monitor.map((p) => `“${p.name}” (${p.effect.toLowerCase().replace("_", " ")}) is in monitor mode: it records what it would do and changes nothing`);
  for (const b of policies.broken) warnings.push(`Policy “${b.row.name}” is skipped by the gateway: ${b.message}`);
  const method = "Enabled policies that the gateway can compile, by effect and mode. Whether a deny policy's condition matches the traffic it should block is not judged here.";
  if (enforcedDeny.length === 0) {
    const summary =
      enabled.length === 0
        ? "No policy is enabled, so nothing is denied at the gateway."
        : enabled.every((p) => p.mode === "MONITOR")
          ? `All ${plural(enabled.length, "enabled policy", "enabled policies")} are in monitor mode: none blocks anything.`
          : "No enabled deny policy is enforced.";
    const offenders = monitor.filter((p) => p.effect === "DENY").map((p) => ({ kind: "policy", id: p.id, name: p.name, reason: "deny policy in monitor mode" }));
    return outcome("FAIL", summary, { facts, offenders, warnings, method });
  }
  return outcome("PASS", `${plural(enforcedDeny.length, "deny policy", "deny policies")} enforced: ${quoteList(enforcedDeny.map((p) => p.name))}.`, { facts, warnings, method });
}

async function checkAvailabilityAlerts(ctx: CheckContext): Promise<CheckOutcome> {
  const [rules, agents, routes] = await Promise.all([
    ctx.db.alertRule.findMany({
      where: { orgId: ctx.orgId, OR: [{ kind: "AGENT_HEALTH" }, { metric: "errorRate", kind: { in: ["THRESHOLD", "ANOMALY", "FORECAST"] } }] },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, name: true, kind: true, enabled: true, webhookIds: true, emailRecipients: true },
    }),
    ctx.db.agent.count({ where: { orgId: ctx.orgId } }),
    ctx.db.route.count({ where: { orgId: ctx.orgId } }),
  ]);
  const enabled = rules.filter((r) => r.enabled);
  const facts: EvidenceFact[] = [
    { label: "Agents", value: agents },
    { label: "Routes", value: routes },
    { label: "Enabled error-rate / agent-health rules", value: enabled.length },
    { label: "Disabled ones", value: rules.length - enabled.length },
  ];
  const method = "Alert rules of kind agent health, or threshold / anomaly / forecast rules on the error rate. Whether anyone acts on the alerts is not seen here.";
  if (agents === 0 && routes === 0) return outcome("NOT_APPLICABLE", "There are no agents or routes to watch yet.", { facts, method });
  const warnings = [
    ...rules.filter((r) => !r.enabled).map((r) => `“${r.name}” is disabled`),
    ...enabled.filter((r) => r.webhookIds.length === 0 && r.emailRecipients.length === 0).map((r) => `“${r.name}” notifies no one (no webhook, no email): its alerts only show in the console`),
  ];
  if (enabled.length === 0) {
    return outcome("FAIL", "No enabled alert rule watches the error rate or agent health.", { facts, warnings, method });
  }
  return outcome("PASS", `${plural(enabled.length, "enabled rule")} watch${enabled.length === 1 ? "es" : ""} availability: ${quoteList(enabled.map((r) => r.name))}.`, { facts, warnings, method });
}

async function checkWebhooks(ctx: CheckContext): Promise<CheckOutcome> {
  const hooks = await ctx.db.webhookEndpoint.findMany({
    where: { orgId: ctx.orgId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, enabled: true, secretCipher: true },
  });
  const facts: EvidenceFact[] = [
    { label: "Webhooks", value: hooks.length },
    { label: "Server encryption key configured", value: ctx.server.encryptionKeyConfigured },
  ];
  const method = "Every webhook (enabled or not) must hold an encrypted signing secret that opens with the server's key; deliveries carry an HMAC-SHA256 signature made with it.";
  if (hooks.length === 0) return outcome("NOT_APPLICABLE", "No webhooks are configured.", { facts, method });
  const offenders: EvidenceOffender[] = [];
  for (const hook of hooks) {
    if (!hook.secretCipher) offenders.push({ kind: "webhook", id: hook.id, name: hook.name, reason: "has no signing secret" });
    else if (ctx.server.encryptionKeyConfigured) {
      try {
        decryptSecret(hook.secretCipher, hook.id);
      } catch {
        offenders.push({ kind: "webhook", id: hook.id, name: hook.name, reason: "its signing secret does not open with the server's key, so deliveries cannot be signed" });
      }
    }
  }
  facts.push({ label: "Webhooks without a usable signing secret", value: ctx.server.encryptionKeyConfigured ? offenders.length : hooks.length });
  if (!ctx.server.encryptionKeyConfigured) {
    return outcome("FAIL", "The server has no HELIX_ENCRYPTION_KEY, so webhook deliveries cannot be signed.", { facts, offenders, method });
  }
  if (offenders.length) {
    return outcome("FAIL", `${plural(offenders.length, "webhook")} cannot sign ${offenders.length === 1 ? "its" : "their"} deliveries: ${quoteList(offenders.map((o) => o.name))}.`, {
      facts,
      offenders,
      method,
    });
  }
  return outcome("PASS", `All ${plural(hooks.length, "webhook")} sign their deliveries.`, { facts, method });
}

async function checkDataSubjectRequests(ctx: CheckContext): Promise<CheckOutcome> {
  const requests = await ctx.db.dataSubjectRequest.findMany({
    where: { orgId: ctx.orgId },
    orderBy: { createdAt: "asc" },
    select: { id: true, subject: true, kind: true, status: true, error: true, createdAt: true, completedAt: true },
  });
  const method = `Every data-subject request of the organization: one that FAILED counts until a later request of the same kind for the same subject completed; one PENDING or RUNNING counts once it is older than ${DSR_MAX_OPEN_DAYS} days.`;
  if (requests.length === 0) return outcome("NOT_APPLICABLE", "No data-subject requests were made.", { facts: [{ label: "Requests", value: 0 }], method });
  const cutoff = ctx.now.getTime() - DSR_MAX_OPEN_DAYS * DAY;
  const offenders: EvidenceOffender[] = [];
  for (const r of requests) {
    const name = `${r.kind.toLowerCase()} for ${r.subject}`;
    if (r.status === "FAILED") {
      const retried = requests.some((o) => o.kind === r.kind && o.subject === r.subject && o.status === "COMPLETED" && o.createdAt >= r.createdAt);
      if (!retried) offenders.push({ kind: "data-subject request", id: r.id, name, reason: `failed${r.error ? `: ${r.error}` : ""}, and has not been done since` });
    } else if ((r.status === "PENDING" || r.status === "RUNNING") && r.createdAt.getTime() < cutoff) {
      const days = Math.floor((ctx.now.getTime() - r.createdAt.getTime()) / DAY);
      offenders.push({ kind: "data-subject request", id: r.id, name, reason: `${r.status.toLowerCase()} for ${days} days` });
    }
  }
  const open = requests.filter((r) => r.status === "PENDING" || r.status === "RUNNING").length;
  const facts: EvidenceFact[] = [
    { label: "Requests", value: requests.length },
    { label: "Completed", value: requests.filter((r) => r.status === "COMPLETED").length },
    { label: "Open", value: open },
    { label: "Failed or overdue", value: offenders.length },
  ];
  if (offenders.length) {
    return outcome("FAIL", `${plural(offenders.length, "data-subject request")} failed or ${offenders.length === 1 ? "is" : "are"} overdue.`, { facts, offenders, method });
  }
  return outcome("PASS", `All ${plural(requests.length, "data-subject request")} are done or within ${DSR_MAX_OPEN_DAYS} days${open ? ` (${open} open)` : ""}.`, { facts, method });
}

const RUNNERS: Record<CheckKey, (ctx: CheckContext) => Promise<CheckOutcome>> = {
  "sso.members": checkSso,
  "audit.chain": checkAuditChain,
  "pii.redaction": checkRedaction,
  "telemetry.retention": checkRetention,
  "agents.credentials": checkCredentials,
  "residency.eu": checkEuResidency,
  "policies.enforced": checkPoliciesEnforced,
  "alerts.availability": checkAvailabilityAlerts,
  "webhooks.signed": checkWebhooks,
  "dsr.timely": checkDataSubjectRequests,
};

/**
 * Runs every check for one organization (read-only) and returns the results in catalog order. A
 * check that throws FAILs with the reason, so one broken check never hides the others.
 */
export async function runComplianceChecks(opts: { db: Db; orgId: string; now?: Date; server?: ServerFacts }): Promise<CheckResult[]> {
  const ctx: CheckContext = { db: opts.db, orgId: opts.orgId, now: opts.now ?? new Date(), server: opts.server ?? serverFacts() };
  return Promise.all(
    CHECK_KEYS.map(async (key) => {
      try {
        return { key, ...(await RUNNERS[key](ctx)) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return {
          key,
          ...outcome("FAIL", `The check could not run: ${message}`, { method: CHECK_INFO[key].description }),
        };
      }
    }),
  );
}
