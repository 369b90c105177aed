import { fieldErrorsOf } from "@/components/agents/form-errors";
import type { PolicyConfigInput, PolicyEffect, PolicyMode, PolicyParams, PolicyScope, PolicyView } from "@/server/policies/schema";
import { DATA_LABEL_PATTERN } from "./data-labels";
import { AGENT_SCOPE_EFFECTS, type RedactDirection } from "./labels";

/*
 * The policy editor's state is what the person typed (the token cap stays text until saved); these
 * functions turn it into the configuration the API takes, and the API's errors back into messages
 * next to the fields.
 */

export interface PolicyForm {
  name: string;
  description: string;
  enabled: boolean;
  scope: PolicyScope;
  /** The route, agent or API key of a scoped policy ("" for the organization). */
  scopeId: string;
  mode: PolicyMode;
  effect: PolicyEffect;
  condition: string;
  /** DENY */
  message: string;
  /** REDACT */
  kinds: string[];
  direction: RedactDirection;
  /** RESTRICT_ROUTING */
  agentCondition: string;
  /** REQUIRE_LABEL */
  label: string;
  /** CAP_TOKENS */
  maxTokens: string;
}

/** The fields the editor shows errors next to, by the server's field paths. */
export const POLICY_FIELDS = [
  "name",
  "description",
  "scope",
  "scopeId",
  "mode",
  "effect",
  "condition",
  "params.message",
  "params.kinds",
  "params.direction",
  "params.agentCondition",
  "params.label",
  "params.maxTokens",
] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];
export type PolicyFormErrors = Partial<Record<PolicyField, string>>;

export const MAX_TOKENS_LIMIT = 1_000_000;

export function emptyPolicyForm(): PolicyForm {
  return {
    name: "",
    description: "",
    enabled: true,
    scope: "ORGANIZATION",
    scopeId: "",
    mode: "ENFORCE",
    effect: "DENY",
    condition: "true",
    message: "",
    kinds: ["EMAIL"],
    direction: "BOTH",
    agentCondition: "",
    label: "",
    maxTokens: "",
  };
}

type SavedPolicy = Pick<PolicyView, "name" | "description" | "enabled" | "scope" | "scopeId" | "mode" | "effect" | "condition" | "params">;

/** The editor's starting state for a saved policy. */
export function formFromPolicy(policy: SavedPolicy): PolicyForm {
  const empty = emptyPolicyForm();
  const p = policy.params;
  return {
    name: policy.name,
    description: policy.description ?? "",
    enabled: policy.enabled,
    scope: policy.scope,
    scopeId: policy.scopeId ?? "",
    mode: policy.mode,
    effect: policy.effect,
    condition: policy.condition,
    message: p.message ?? "",
    kinds: p.kinds ?? empty.kinds,
    direction: p.direction ?? "BOTH",
    agentCondition: p.agentCondition ?? "",
    label: p.label ?? "",
    maxTokens: p.maxTokens === undefined ? "" : String(p.maxTokens),
  };
}

/** The parameters of the chosen effect only: switching effects leaves no stray parameters behind. */
function paramsOf(form: PolicyForm, errors: PolicyFormErrors): PolicyParams {
  switch (form.effect) {
    case "DENY": {
      const message = form.message.trim();
      return message ? { message } : {};
    }
    case "REDACT":
      if (form.kinds.length === 0) errors["params.kinds"] = "Choose the PII kinds to mask";
      // ALL covers every kind: the others are not sent along with it.
      return { kinds: form.kinds.includes("ALL") ? ["ALL"] : [...form.kinds], direction: form.direction };
    case "RESTRICT_ROUTING":
      if (!form.agentCondition.trim()) errors["params.agentCondition"] = 'Write which agents are allowed, e.g. agent.region.startsWith("eu")';
      return { agentCondition: form.agentCondition };
    case "REQUIRE_LABEL": {
      const label = form.label.trim().toUpperCase();
      if (!label) errors["params.label"] = "Name the label requests must carry";
      else if (!DATA_LABEL_PATTERN.test(label)) errors["params.label"] = "A data label is 1–40 letters, digits or _ . : - characters, e.g. PHI or EU";
      return { label };
    }
    case "CAP_TOKENS": {
      const text = form.maxTokens.trim().replace(/[_,\s]/g, "");
      const value = Number(text);
      if (text === "") errors["params.maxTokens"] = "Give the token cap";
      else if (!/^\d+$/.test(text) || value < 1 || value > MAX_TOKENS_LIMIT) errors["params.maxTokens"] = "The token cap is a whole number, 1–1,000,000";
      return { maxTokens: value };
    }
  }
}

/**
 * The form as the configuration to send, or the problems to show first (keyed like the server's
 * errors). The conditions themselves are checked by the server, live and on save.
 */
export function readPolicyForm(form: PolicyForm): { config: PolicyConfigInput; errors: null } | { config: null; errors: PolicyFormErrors } {
  const errors: PolicyFormErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = "Give the policy a name";
  else if (name.length < 2) errors.name = "A name has at least 2 characters";
  if (!form.condition.trim()) errors.condition = 'Write a condition, e.g. "EU" in request.labels (or true to always apply)';
  if (form.scope !== "ORGANIZATION" && !form.scopeId) {
    errors.scopeId = `Choose the ${form.scope === "API_KEY" ? "API key" : form.scope.toLowerCase()} this policy applies to`;
  }
  if (form.scope === "AGENT" && !AGENT_SCOPE_EFFECTS.includes(form.effect)) {
    errors.effect = "An agent-scoped policy can deny (keep requests away from the agent) or redact; use a route or organization scope for the others";
  }
  const params = paramsOf(form, errors);
  if (Object.keys(errors).length) return { config: null, errors };
  return {
    errors: null,
    config: {
      name,
      description: form.description.trim() || null,
      enabled: form.enabled,
      scope: form.scope,
      scopeId: form.scope === "ORGANIZATION" ? null : form.scopeId,
      mode: form.mode,
      condition: form.condition,
      effect: form.effect,
      params,
    },
  };
}

/** A new scope: the chosen route, agent or key belonged to the old one. */
export function withScope(form: PolicyForm, scope: PolicyScope): PolicyForm {
  return scope === form.scope ? form : { ...form, scope, scopeId: "" };
}

/** Toggles one PII kind; choosing ALL replaces the others (it covers them). */
export function toggleKind(kinds: readonly string[], kind: string, on: boolean): string[] {
  if (!on) return kinds.filter((k) => k !== kind);
  if (kind === "ALL") return ["ALL"];
  return [...kinds.filter((k) => k !== "ALL" && k !== kind), kind];
}

/** Equal signatures: nothing was edited. */
export function policyFormSignature(form: PolicyForm): string {
  return JSON.stringify({ ...form, kinds: [...form.kinds].sort() });
}

/**
 * Where a save error goes: next to a field, in the "deny everything?" confirmation, in the
 * "someone else saved" notice, or at the top of the form. Updates send the policy under `config`,
 * so their validation errors are keyed `config.<field>`.
 */
export function placePolicyErrors(error: unknown): { fields: PolicyFormErrors; confirm: string | null; conflict: string | null; form: string | null } {
  const out = { fields: {} as PolicyFormErrors, confirm: null as string | null, conflict: null as string | null, form: null as string | null };
  if (!error) return out;
  const message = typeof (error as { message?: unknown }).message === "string" ? (error as { message: string }).message : "";
  const byField = fieldErrorsOf(error);
  const rest: string[] = [];
  for (const [raw, messages] of Object.entries(byField)) {
    const field = raw.replace(/^config\./, "");
    const text = messages.join(" ");
    if (field === "confirm") out.confirm = text;
    else if (field === "version") out.conflict = text;
    else {
      // "params.kinds.2" belongs next to "params.kinds".
      const shown = POLICY_FIELDS.find((f) => field === f || field.startsWith(`${f}.`));
      if (shown) out.fields[shown] = [out.fields[shown], text].filter(Boolean).join(" ");
      else rest.push(text);
    }
  }
  if (Object.keys(byField).length === 0 && message) rest.push(message);
  out.form = rest.length ? rest.join(" ") : null;
  return out;
}

/** One line on what a policy does, for lists: "mask EMAIL in request and answer". */
export function effectSummary(policy: Pick<PolicyView, "effect" | "params">): string {
  const p = policy.params;
  switch (policy.effect) {
    case "DENY":
      return p.message ? `deny: “${p.message}”` : "deny";
    case "REDACT": {
      const where = p.direction === "REQUEST" ? "request" : p.direction === "RESPONSE" ? "answer" : "request and answer";
      return `mask ${(p.kinds ?? ["ALL"]).join(", ")} in ${where}`;
    }
    case "RESTRICT_ROUTING":
      return `only agents where ${p.agentCondition ?? "…"}`;
    case "REQUIRE_LABEL":
      return `requires label ${p.label ?? "…"}`;
    case "CAP_TOKENS":
      return `max_tokens ≤ ${p.maxTokens?.toLocaleString("en") ?? "…"}`;
  }
}
