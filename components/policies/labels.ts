import type { AGENT_FIELDS, REQUEST_FIELDS } from "@/server/policies/cel";
import type { PolicyEffect, PolicyMode, PolicyScope, REDACT_DIRECTIONS } from "@/server/policies/schema";

export type RedactDirection = (typeof REDACT_DIRECTIONS)[number];

export const scopeLabel: Record<PolicyScope, string> = {
  ORGANIZATION: "Organization",
  ROUTE: "Route",
  AGENT: "Agent",
  API_KEY: "API key",
};

export const scopeDescription: Record<PolicyScope, string> = {
  ORGANIZATION: "Every request to any of the organization's routes.",
  ROUTE: "Requests to one route.",
  AGENT: "Requests one agent could serve: a deny keeps them away from it, a redaction masks what it sees.",
  API_KEY: "Requests made with one API key.",
};

export const modeLabel: Record<PolicyMode, string> = { ENFORCE: "Enforce", MONITOR: "Monitor" };

export const modeDescription: Record<PolicyMode, string> = {
  ENFORCE: "The gateway applies the effect.",
  MONITOR: "The gateway only records what the policy would have done; traffic is not changed. Use it to try a policy on real traffic first.",
};

export const effectDescription: Record<PolicyEffect, string> = {
  DENY: "Refuse the request with a message for the client.",
  REDACT: "Mask personal data (emails, phone numbers, cards…) before an agent sees it and/or in the answer.",
  RESTRICT_ROUTING: "Only agents that satisfy an agent condition may serve the request, e.g. keep EU data in the EU.",
  REQUIRE_LABEL: "Refuse the request unless it carries a data label (from the route or the x-helix-data-labels header).",
  CAP_TOKENS: "Lower the answer's max_tokens to a cap.",
};

/** The effects an agent-scoped policy may have (server/policies/schema.ts refuses the others). */
export const AGENT_SCOPE_EFFECTS: readonly PolicyEffect[] = ["DENY", "REDACT"];

export const piiKindDescription: Record<string, string> = {
  EMAIL: "Email addresses",
  PHONE: "Phone numbers",
  CARD: "Payment card numbers",
  IBAN: "Bank account numbers (IBAN)",
  SSN: "US social security numbers",
  IP: "IP addresses",
};

export const directionLabel: Record<RedactDirection, string> = {
  REQUEST: "Request: before an agent sees it",
  RESPONSE: "Answer: before the client sees it",
  BOTH: "Both the request and the answer",
};

/** What each `request` field holds, for the condition editor's reference. */
export const requestFieldHelp: Record<keyof typeof REQUEST_FIELDS, string> = {
  routeId: "The route's id.",
  routeAlias: "The alias the client asked for, e.g. helix-chat.",
  routeLabels: "The route's data labels.",
  labels: "The route's labels plus those the client sent in x-helix-data-labels.",
  pii: "PII kinds found in the request text: EMAIL, PHONE, CARD, IBAN, SSN, IP or your own patterns.",
  model: "The model the client asked for.",
  stream: "Whether the client asked for a stream.",
  subject: "The data subject (OpenAI user or x-helix-subject), \"\" when none.",
  keyId: "The API key's id (\"\" in the console's Try it).",
  keyName: "The API key's name.",
  protocol: "openai or a2a: how the client called the gateway.",
  headers: "Request headers by lower-case name. A missing header makes the condition false; test with \"x-name\" in request.headers.",
  hour: "Hour of the day, 0–23 UTC.",
  weekday: "Day of the week, 0 = Sunday.",
};

export const agentFieldHelp: Record<keyof typeof AGENT_FIELDS, string> = {
  id: "The agent's id.",
  name: "Its name.",
  slug: "Its slug.",
  region: "Its region, e.g. eu-west-1 (\"\" when not set).",
  provider: "Who runs it (\"\" when not set).",
  tags: "Its tags.",
  protocol: "openai, a2a or mcp.",
};

export interface ConditionExample {
  title: string;
  condition: string;
}

export const CONDITION_EXAMPLES: readonly ConditionExample[] = [
  { title: "Always", condition: "true" },
  { title: "Traffic labelled PHI", condition: '"PHI" in request.labels' },
  { title: "A social security number in the message", condition: '"SSN" in request.pii' },
  { title: "Card or bank numbers", condition: 'request.pii.exists(k, k in ["CARD", "IBAN"])' },
  { title: "A header value", condition: 'request.headers["x-tenant"] == "trial"' },
  { title: "Outside office hours (UTC)", condition: "request.hour < 7 || request.hour >= 19 || request.weekday == 0" },
];

export const AGENT_CONDITION_EXAMPLES: readonly ConditionExample[] = [
  { title: "Agents in an EU region", condition: 'agent.region.startsWith("eu")' },
  { title: "Agents tagged hipaa", condition: '"hipaa" in agent.tags' },
  { title: "Not a given provider", condition: 'agent.provider != "vendor-x"' },
];

/** What a decision in a test result means for the request. */
export function decisionState(d: { mode: PolicyMode; applied: boolean; error: string | null }): "applied" | "monitor only" | "not applied" {
  if (d.mode === "MONITOR") return "monitor only";
  return d.applied ? "applied" : "not applied";
}
