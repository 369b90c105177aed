import {
  agentValue,
  compileCondition,
  evaluateCondition,
  readsPii,
  requestValue,
  type AgentFacts,
  type CompiledCondition,
  type RequestFacts,
} from "./cel";
import { policyParamsSchema, type PolicyEffect, type PolicyMode, type PolicyParams, type PolicyScope } from "./schema";

/**
 * How policies decide, in one place: the gateway runs this on every request and the console's
 * "test against a sample request" panel runs the same code on a sample.
 *
 * - A policy applies to a request when its scope covers it (the organization, the route, the API
 *   key; an AGENT-scoped policy covers requests the agent could serve) and its condition is true.
 * - DENY: the request is refused (an AGENT-scoped deny removes that agent from the choice instead).
 *   REQUIRE_LABEL: refused unless the request carries the label. Deny wins over everything else.
 * - REDACT: PII of the given kinds is masked in the request before any agent sees it and/or in the
 *   answer (streams included).
 * - RESTRICT_ROUTING: only agents for which the agent condition is true may serve the request
 *   (data residency); when none of the route's agents is allowed the request is refused and says
 *   which policy left none.
 * - CAP_TOKENS: the answer's max_tokens is lowered to the cap.
 * - MONITOR mode records what the policy would have done and changes nothing.
 * - A condition that fails to evaluate (e.g. reads a header that is absent) counts as false; the
 *   decision records the error so the policy's author can see it.
 */

export interface PolicyDefinition {
  id: string;
  orgId: string;
  name: string;
  enabled: boolean;
  scope: PolicyScope;
  scopeId: string | null;
  mode: PolicyMode;
  effect: PolicyEffect;
  condition: string;
  params: unknown;
}

export interface CompiledPolicy {
  id: string;
  orgId: string;
  name: string;
  scope: PolicyScope;
  scopeId: string | null;
  mode: PolicyMode;
  effect: PolicyEffect;
  params: PolicyParams;
  condition: CompiledCondition;
  agentCondition: CompiledCondition | null;
  readsPii: boolean;
}

/** Compiles saved policies; one that no longer compiles (saved by an older version) is skipped and reported. */
export function compilePolicies(rows: readonly PolicyDefinition[]): { policies: CompiledPolicy[]; errors: { id: string; name: string; message: string }[] } {
  const policies: CompiledPolicy[] = [];
  const errors: { id: string; name: string; message: string }[] = [];
  for (const row of rows) {
    if (!row.enabled) continue;
    try {
      policies.push(compilePolicy(row));
    } catch (error) {
      errors.push({ id: row.id, name: row.name, message: (error as Error).message });
    }
  }
  return { policies, errors };
}

export function compilePolicy(row: PolicyDefinition): CompiledPolicy {
  const params = policyParamsSchema.parse(row.params ?? {});
  const agentCondition = row.effect === "RESTRICT_ROUTING" ? compileCondition(params.agentCondition ?? "", "agentCondition") : null;
  return {
    id: row.id,
    orgId: row.orgId,
    name: row.name,
    scope: row.scope,
    scopeId: row.scopeId,
    mode: row.mode,
    effect: row.effect,
    params,
    condition: compileCondition(row.condition, "condition"),
    agentCondition,
    readsPii: readsPii(row.condition) || (params.agentCondition ? readsPii(params.agentCondition) : false),
  };
}

export interface Decision {
  policyId: string;
  name: string;
  effect: PolicyEffect;
  mode: PolicyMode;
  /** Whether the effect was applied (ENFORCE) or only recorded (MONITOR). */
  applied: boolean;
  /** What it did or would have done, in words. */
  detail?: string;
  error?: string;
}

export interface PolicyOutcome {
  /** Set when the request must be refused: the first enforcing deny, with a message for the client. */
  denied: { policyId: string; name: string; message: string } | null;
  decisions: Decision[];
  /** PII kinds to mask in the request ("ALL" = every kind), or null. */
  redactRequest: ReadonlySet<string> | null;
  /** PII kinds to mask in the answer, or null. */
  redactResponse: ReadonlySet<string> | null;
  /** Lowest enforced token cap, or null. */
  maxTokens: number | null;
  /** Enforced agent restrictions: candidates must pass all of them. */
  agentRules: AgentRule[];
  /** MONITOR restrictions: evaluated for the decision log only. */
  monitoredAgentRules: AgentRule[];
}

export interface AgentRule {
  policyId: string;
  name: string;
  /** Another agent (AGENT-scoped deny): this one is excluded. */
  excludeAgentId?: string;
  condition?: CompiledCondition;
}

export interface DecideInput {
  facts: Omit<RequestFacts, "pii">;
  /** Kinds of PII in the request text; called only if some applicable policy reads request.pii. */
  detectPii: () => readonly string[];
  /** Agent ids the route could send this request to (for AGENT-scoped policies). */
  candidateAgentIds: readonly string[];
}

function covers(p: CompiledPolicy, facts: DecideInput["facts"], candidates: readonly string[]): boolean {
  switch (p.scope) {
    case "ORGANIZATION":
      return true;
    case "ROUTE":
      return p.scopeId === facts.routeId;
    case "API_KEY":
      return p.scopeId === facts.keyId;
    case "AGENT":
      return p.scopeId !== null && candidates.includes(p.scopeId);
  }
}

function kindsOf(params: PolicyParams): string[] {
  return params.kinds ?? ["ALL"];
}

function merge(into: Set<string> | null, kinds: readonly string[]): Set<string> {
  const set = into ?? new Set<string>();
  for (const k of kinds) set.add(k);
  return set;
}

/** Decides what the organization's policies do to one request. */
export function decide(policies: readonly CompiledPolicy[], input: DecideInput): PolicyOutcome {
  const outcome: PolicyOutcome = {
    denied: null,
    decisions: [],
    redactRequest: null,
    redactResponse: null,
    maxTokens: null,
    agentRules: [],
    monitoredAgentRules: [],
  };
  if (policies.length === 0) return outcome;
  const { facts } = input;
  let request: ReturnType<typeof requestValue> | null = null;
  let requestWithPii: ReturnType<typeof requestValue> | null = null;
  let redactRequest: Set<string> | null = null;
  let redactResponse: Set<string> | null = null;

  for (const p of policies) {
    if (!covers(p, facts, input.candidateAgentIds)) continue;
    let vars;
    if (p.readsPii) {
      requestWithPii ??= requestValue({ ...facts, pii: input.detectPii() });
      vars = { request: requestWithPii };
    } else {
      request ??= requestValue({ ...facts, pii: [] });
      vars = { request };
    }
    const { value, error } = evaluateCondition(p.condition, vars);
    if (!value) {
      if (error) outcome.decisions.push({ policyId: p.id, name: p.name, effect: p.effect, mode: p.mode, applied: false, detail: "condition could not be evaluated", error });
      continue;
    }
    const enforce = p.mode === "ENFORCE";
    const decision: Decision = { policyId: p.id, name: p.name, effect: p.effect, mode: p.mode, applied: enforce };
    switch (p.effect) {
      case "DENY": {
        if (p.scope === "AGENT") {
          const rule = { policyId: p.id, name: p.name, excludeAgentId: p.scopeId! };
          (enforce ? outcome.agentRules : outcome.monitoredAgentRules).push(rule);
          decision.detail = "agent excluded";
        } else {
          decision.detail = "request denied";
          if (enforce && !outcome.denied) {
            outcome.denied = { policyId: p.id, name: p.name, message: p.params.message || `Blocked by policy "${p.name}"` };
          }
        }
        break;
      }
      case "REQUIRE_LABEL": {
        const label = p.params.label ?? "";
        if (facts.labels.includes(label)) continue; // satisfied: nothing to record
        decision.detail = `label ${label} missing`;
        if (enforce && !outcome.denied) {
          outcome.denied = {
            policyId: p.id,
            name: p.name,
            message: `Policy "${p.name}" requires the data label ${label}: send the header x-helix-data-labels: ${label}`,
          };
        }
        break;
      }
      case "REDACT": {
        const direction = p.params.direction ?? "BOTH";
        const kinds = kindsOf(p.params);
        decision.detail = `mask ${kinds.join(", ")} in ${direction === "BOTH" ? "request and answer" : direction === "REQUEST" ? "request" : "answer"}`;
        if (enforce) {
          if (direction !== "RESPONSE") redactRequest = merge(redactRequest, kinds);
          if (direction !== "REQUEST") redactResponse = merge(redactResponse, kinds);
        }
        break;
      }
      case "RESTRICT_ROUTING": {
        const rule = { policyId: p.id, name: p.name, condition: p.agentCondition! };
        (enforce ? outcome.agentRules : outcome.monitoredAgentRules).push(rule);
        decision.detail = "agents restricted";
        break;
      }
      case "CAP_TOKENS": {
        const cap = p.params.maxTokens ?? 0;
        decision.detail = `max_tokens ≤ ${cap}`;
        if (enforce) outcome.maxTokens = outcome.maxTokens === null ? cap : Math.min(outcome.maxTokens, cap);
        break;
      }
    }
    outcome.decisions.push(decision);
  }
  outcome.redactRequest = redactRequest;
  outcome.redactResponse = redactResponse;
  if (outcome.denied) {
    // Deny wins: what else matched is still recorded, but nothing else is applied.
    for (const d of outcome.decisions) if (d.policyId !== outcome.denied.policyId && d.effect !== "DENY" && d.effect !== "REQUIRE_LABEL") d.applied = false;
  }
  // Agent rules read the request too (e.g. "keep EU traffic in the EU"): bind its facts once.
  requestForAgents.set(outcome, requestWithPii ?? request ?? requestValue({ ...facts, pii: [] }));
  return outcome;
}

const requestForAgents = new WeakMap<PolicyOutcome, ReturnType<typeof requestValue>>();

/**
 * Whether an agent may serve the request under the enforced restrictions; `blockedBy` names the
 * policy that excluded it.
 */
export function agentVerdict(outcome: PolicyOutcome, agent: AgentFacts, rules: readonly AgentRule[] = outcome.agentRules): { allowed: boolean; blockedBy?: string; error?: string } {
  if (rules.length === 0) return { allowed: true };
  const request = requestForAgents.get(outcome);
  let agentVars: ReturnType<typeof agentValue> | null = null;
  for (const rule of rules) {
    if (rule.excludeAgentId !== undefined) {
      if (rule.excludeAgentId === agent.id) return { allowed: false, blockedBy: rule.name };
      continue;
    }
    agentVars ??= agentValue(agent);
    const { value, error } = evaluateCondition(rule.condition!, { request, agent: agentVars });
    if (!value) return { allowed: false, blockedBy: rule.name, error };
  }
  return { allowed: true };
}

/** Adds what MONITOR restrictions would have excluded to their decisions, for the decision log. */
export function noteMonitoredExclusions(outcome: PolicyOutcome, candidates: readonly AgentFacts[]): void {
  for (const rule of outcome.monitoredAgentRules) {
    const excluded = candidates.filter((a) => !agentVerdict(outcome, a, [rule]).allowed).map((a) => a.name);
    const decision = outcome.decisions.find((d) => d.policyId === rule.policyId);
    if (decision) decision.detail = excluded.length ? `would exclude ${excluded.join(", ")}` : "would exclude no agent";
  }
}
