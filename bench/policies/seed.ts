/**
 * Two organizations the gateway serves identically (the gateway benchmark's seed: one OpenAI agent —
 * the bench upstream, here in region eu-west-1 — a LATENCY route `bench`, an API key), except that
 * organization B has 20 enabled policies that are all evaluated on every request. The rows are
 * written with Prisma directly; each policy is first checked with the same schema the console saves
 * through, so the benchmark cannot measure policies the product would refuse.
 */
import { db } from "@/server/db";
import { compilePolicies, type CompiledPolicy } from "@/server/policies/evaluate";
import { policyConfigInput, type PolicyConfigInput } from "@/server/policies/schema";
import { seedGatewayRoute, type GatewaySeed } from "../gateway/seed";

export const AGENT_REGION = "eu-west-1";
/** Both routes carry this classification label (read by some conditions). */
export const ROUTE_LABELS = ["PII"];

type PolicySpec = Omit<PolicyConfigInput, "scopeId" | "scope"> & { scope: "ORGANIZATION" | "ROUTE" | "API_KEY" };

/**
 * Twenty policies a compliance team could well have, none of which refuses the benchmark request
 * (it carries the labels EU and PHI and one email address, no card number): every one is in scope,
 * so every condition is evaluated on every request. Several read request.pii, so the request text
 * goes through PII detection; one REDACT masks EMAIL and CARD in both directions, so the request
 * text and the answer (JSON or stream) go through the masker.
 */
export const POLICY_SPECS: PolicySpec[] = [
  { name: "Block flagged clients", scope: "ORGANIZATION", mode: "ENFORCE", effect: "DENY", condition: '"x-block" in request.headers', params: { message: "This client is blocked" } },
  { name: "Block labelled traffic", scope: "ORGANIZATION", mode: "ENFORCE", effect: "DENY", condition: '"BLOCKED" in request.labels' },
  { name: "Debug deny switch", scope: "ORGANIZATION", mode: "ENFORCE", effect: "DENY", condition: '"x-debug" in request.headers && request.headers["x-debug"] == "deny"' },
  { name: "No card numbers or SSNs", scope: "ORGANIZATION", mode: "ENFORCE", effect: "DENY", condition: '"CARD" in request.pii || "SSN" in request.pii || "IBAN" in request.pii' },
  { name: "Emails in prompts (watch)", scope: "ORGANIZATION", mode: "MONITOR", effect: "DENY", condition: '"EMAIL" in request.pii' },
  { name: "Contact data on PHI traffic (watch)", scope: "ORGANIZATION", mode: "MONITOR", effect: "DENY", condition: '"PHI" in request.labels && request.pii.exists(k, k == "PHONE" || k == "EMAIL")' },
  { name: "Require EU label on the bench route", scope: "ROUTE", mode: "ENFORCE", effect: "REQUIRE_LABEL", condition: "true", params: { label: "EU" } },
  { name: "PII routes need the PHI label", scope: "ORGANIZATION", mode: "ENFORCE", effect: "REQUIRE_LABEL", condition: '"PII" in request.routeLabels', params: { label: "PHI" } },
  { name: "EU data stays in the EU", scope: "ORGANIZATION", mode: "ENFORCE", effect: "RESTRICT_ROUTING", condition: '"EU" in request.labels', params: { agentCondition: 'agent.region.startsWith("eu")' } },
  { name: "PHI to HIPAA agents (watch)", scope: "ORGANIZATION", mode: "MONITOR", effect: "RESTRICT_ROUTING", condition: '"PHI" in request.labels', params: { agentCondition: '"hipaa" in agent.tags || agent.region == "eu-west-1"' } },
  { name: "Mask emails and cards", scope: "ORGANIZATION", mode: "ENFORCE", effect: "REDACT", condition: "true", params: { kinds: ["EMAIL", "CARD"], direction: "BOTH" } },
  { name: "Mask everything on PHI (watch)", scope: "ORGANIZATION", mode: "MONITOR", effect: "REDACT", condition: '"PHI" in request.labels', params: { kinds: ["ALL"], direction: "RESPONSE" } },
  { name: "Cap answers", scope: "ORGANIZATION", mode: "ENFORCE", effect: "CAP_TOKENS", condition: "true", params: { maxTokens: 256 } },
  { name: "Cap the bench key", scope: "API_KEY", mode: "ENFORCE", effect: "CAP_TOKENS", condition: 'request.model == "bench"', params: { maxTokens: 1024 } },
  { name: "Short streams (watch)", scope: "ORGANIZATION", mode: "MONITOR", effect: "CAP_TOKENS", condition: "request.stream", params: { maxTokens: 128 } },
  { name: "Maintenance window (watch)", scope: "ORGANIZATION", mode: "MONITOR", effect: "DENY", condition: "request.hour >= 1 && request.hour < 5" },
  { name: "Weekday-only routes", scope: "ORGANIZATION", mode: "ENFORCE", effect: "DENY", condition: '(request.weekday == 0 || request.weekday == 6) && "WEEKDAY-ONLY" in request.routeLabels' },
  { name: "Retired keys", scope: "API_KEY", mode: "ENFORCE", effect: "DENY", condition: 'request.keyName.startsWith("retired-")' },
  { name: "Blocked subjects", scope: "ORGANIZATION", mode: "ENFORCE", effect: "DENY", condition: 'request.subject != "" && request.subject.startsWith("blocked:")' },
  { name: "No A2A streams on the bench route", scope: "ROUTE", mode: "ENFORCE", effect: "DENY", condition: 'request.routeAlias == "bench" && request.stream && request.protocol == "a2a"' },
];

export interface PoliciesSeed {
  /** Organization A: no policies. */
  a: GatewaySeed;
  /** Organization B: the same configuration and the 20 policies. */
  b: GatewaySeed;
  /** B's policies, compiled as the gateway compiles them. */
  compiled: CompiledPolicy[];
}

async function seedOrg(upstreamUrl: string): Promise<GatewaySeed> {
  const seed = await seedGatewayRoute(upstreamUrl);
  await db().agent.update({ where: { id: seed.agentId }, data: { region: AGENT_REGION } });
  await db().route.update({ where: { id: seed.routeId }, data: { labels: ROUTE_LABELS } });
  return seed;
}

export async function seedPolicyOrgs(upstreamUrl: string): Promise<PoliciesSeed> {
  const a = await seedOrg(upstreamUrl);
  const b = await seedOrg(upstreamUrl);
  const key = await db().apiKey.findFirstOrThrow({ where: { orgId: b.orgId }, select: { id: true } });
  const scopeIds = { ORGANIZATION: null, ROUTE: b.routeId, API_KEY: key.id };
  const rows = POLICY_SPECS.map((spec) => {
    const config = policyConfigInput.parse({ ...spec, scopeId: scopeIds[spec.scope] });
    return {
      orgId: b.orgId,
      name: config.name,
      enabled: config.enabled,
      scope: config.scope,
      scopeId: config.scopeId ?? null,
      mode: config.mode,
      condition: config.condition,
      effect: config.effect,
      params: config.params,
    };
  });
  await db().policy.createMany({ data: rows });
  const saved = await db().policy.findMany({ where: { orgId: b.orgId }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  const { policies, errors } = compilePolicies(saved);
  if (errors.length > 0) throw new Error(`policies that do not compile: ${errors.map((e) => `${e.name}: ${e.message}`).join("; ")}`);
  if (policies.length !== POLICY_SPECS.length) throw new Error(`expected ${POLICY_SPECS.length} enabled policies, compiled ${policies.length}`);
  return { a, b, compiled: policies };
}
