/**
 * Policies on the request path. The snapshot holds each organization's enabled policies compiled
 * (CEL parsed and type-checked once per reload) and its PII detectors; per request the gateway
 * decides with the same code as the console's test panel (server/policies/evaluate.ts), then:
 * refuses the request (deny, missing label, no allowed agent), masks PII in the request before any
 * agent sees it, lowers max_tokens, narrows the candidate agents (data residency), and masks PII in
 * the answer — streams included, across chunk boundaries. The decisions go into the request's
 * telemetry row.
 */
import type { IncomingMessage } from "node:http";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { agentVerdict, compilePolicies, decide, noteMonitoredExclusions, type CompiledPolicy, type Decision } from "@/server/policies/evaluate";
import { createDetector, findPii, maskText, StreamMasker, type PiiDetector } from "@/server/policies/pii";
import { HttpError } from "./http";
import type { ChatRequest, Snapshot, SnapshotAgent, SnapshotRoute } from "./types";

export interface OrgPolicies {
  policies: CompiledPolicy[];
  custom: { name: string; pattern: string }[];
  /** Detectors by the kinds they find ("ALL" or a sorted list), built on first use. */
  detectors: Map<string, PiiDetector>;
}

export async function loadPolicies(db: PrismaClient, warn: (message: string) => void): Promise<Map<string, OrgPolicies>> {
  const [rows, patterns] = await Promise.all([
    db.policy.findMany({
      where: { enabled: true },
      select: { id: true, orgId: true, name: true, enabled: true, scope: true, scopeId: true, mode: true, effect: true, condition: true, params: true },
      orderBy: [{ orgId: "asc" }, { name: "asc" }, { id: "asc" }],
    }),
    db.piiPattern.findMany({ select: { orgId: true, name: true, pattern: true }, orderBy: [{ orgId: "asc" }, { name: "asc" }] }),
  ]);
  const byOrg = new Map<string, OrgPolicies>();
  const entry = (orgId: string) => {
    let e = byOrg.get(orgId);
    if (!e) byOrg.set(orgId, (e = { policies: [], custom: [], detectors: new Map() }));
    return e;
  };
  const { policies, errors } = compilePolicies(rows);
  for (const e of errors) warn(`policy ${e.id} (${e.name}) is ignored: ${e.message}`);
  for (const p of policies) entry(p.orgId).policies.push(p);
  for (const p of patterns) entry(p.orgId).custom.push({ name: p.name, pattern: p.pattern });
  return byOrg;
}

function detector(org: OrgPolicies, kinds: ReadonlySet<string> | "ALL"): PiiDetector {
  const all = kinds === "ALL" || kinds.has("ALL");
  const key = all ? "ALL" : [...kinds].sort().join(",");
  let d = org.detectors.get(key);
  if (!d) {
    d = createDetector({ kinds: all ? "ALL" : [...(kinds as ReadonlySet<string>)], custom: org.custom });
    org.detectors.set(key, d);
  }
  return d;
}

/** Labels a client declares for its data: `x-helix-data-labels: PHI, EU`. */
export function headerLabels(req: IncomingMessage): string[] {
  const raw = req.headers["x-helix-data-labels"];
  const value = Array.isArray(raw) ? raw.join(",") : raw;
  if (!value) return [];
  const labels: string[] = [];
  for (const part of value.split(",")) {
    const label = part.trim().toUpperCase();
    if (/^[A-Z0-9][A-Z0-9_.:-]{0,39}$/.test(label) && !labels.includes(label)) labels.push(label);
    if (labels.length >= 20) break;
  }
  return labels;
}

function headerMap(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "authorization" || name === "cookie") continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** What policies made of one request. */
export interface AppliedPolicies {
  request: ChatRequest;
  decisions: Decision[];
  /** Agents the request may go to; null = any candidate. */
  allowedAgents: ReadonlySet<string> | null;
  /** Masks PII in the answer; null when no policy asks for it. */
  answerDetector: PiiDetector | null;
}

function agentFacts(agent: SnapshotAgent) {
  return { id: agent.id, name: agent.name, slug: agent.slug, region: agent.region, provider: agent.provider, tags: agent.tags, protocol: agent.protocol };
}

/**
 * Applies the organization's policies to a request on a route whose candidate agents are
 * `candidates`. Throws HttpError 403 when a policy refuses it; the decisions are returned (and
 * attached to the error) so they are recorded either way.
 */
export function applyPolicies(opts: {
  snapshot: Snapshot;
  req: IncomingMessage;
  route: SnapshotRoute;
  request: ChatRequest;
  keyId: string | null;
  keyName: string | null;
  subject: string | null;
  protocol: string;
  candidates: readonly SnapshotAgent[];
  now?: Date;
}): AppliedPolicies | null {
  const org = opts.snapshot.policies.get(opts.route.orgId);
  if (!org || org.policies.length === 0) return null;
  const { route, request } = opts;
  const labels = headerLabels(opts.req);
  for (const l of route.labels) if (!labels.includes(l)) labels.push(l);
  const outcome = decide(org.policies, {
    facts: {
      routeId: route.id,
      routeAlias: route.alias,
      routeLabels: route.labels,
      labels,
      model: request.model,
      stream: request.stream,
      subject: opts.subject ?? "",
      keyId: opts.keyId ?? "",
      keyName: opts.keyName ?? "",
      protocol: opts.protocol,
      headers: headerMap(opts.req),
      at: opts.now ?? new Date(),
    },
    detectPii: () => {
      const d = detector(org, "ALL");
      const kinds = new Set<string>();
      for (const m of request.messages) for (const hit of findPii(d, m.content)) kinds.add(hit.kind);
      return [...kinds];
    },
    candidateAgentIds: opts.candidates.map((a) => a.id),
  });
  if (outcome.monitoredAgentRules.length) noteMonitoredExclusions(outcome, opts.candidates.map(agentFacts));
  const decisions = outcome.decisions;
  if (outcome.denied) {
    throw new PolicyDenied(outcome.denied.message, "policy_denied", decisions);
  }

  let allowedAgents: Set<string> | null = null;
  if (outcome.agentRules.length) {
    allowedAgents = new Set();
    const blocked: string[] = [];
    let by = "";
    for (const a of opts.candidates) {
      const v = agentVerdict(outcome, agentFacts(a));
      if (v.allowed) allowedAgents.add(a.id);
      else {
        blocked.push(`${a.name}${a.region ? ` (${a.region})` : ""}`);
        by ||= v.blockedBy ?? "";
      }
    }
    if (allowedAgents.size === 0 && opts.candidates.length > 0) {
      throw new PolicyDenied(
        `No agent of route ${route.alias} may serve this request: policy "${by}" excludes ${blocked.join(", ")}. Add an allowed agent to the route or change the policy.`,
        "policy_no_allowed_agent",
        decisions,
      );
    }
  }

  let next = request;
  if (outcome.redactRequest) {
    const d = detector(org, outcome.redactRequest);
    let changed = false;
    const messages = request.messages.map((m) => {
      const masked = maskText(d, m.content).text;
      if (masked === m.content) return m;
      changed = true;
      return { ...m, content: masked };
    });
    if (changed) next = { ...next, messages };
  }
  if (outcome.maxTokens !== null && (next.maxTokens === undefined || next.maxTokens > outcome.maxTokens)) {
    next = { ...next, maxTokens: outcome.maxTokens };
  }
  return {
    request: next,
    decisions,
    allowedAgents,
    answerDetector: outcome.redactResponse ? detector(org, outcome.redactResponse) : null,
  };
}

/** A request a policy refused: 403 with the policy's message, decisions kept for telemetry. */
export class PolicyDenied extends HttpError {
  constructor(
    message: string,
    code: string,
    readonly decisions: Decision[],
  ) {
    super(403, message, "permission_error", code);
  }
}

/** Wraps a stream's text callback so PII is masked across chunk boundaries; call `flush` at the end. */
export function maskingStream(detector: PiiDetector | null, onDelta: (text: string) => void): { onDelta: (text: string) => void; flush: () => void } {
  if (!detector) return { onDelta, flush: () => {} };
  const masker = new StreamMasker(detector);
  return {
    onDelta: (text) => {
      const out = masker.push(text);
      if (out) onDelta(out);
    },
    flush: () => {
      const rest = masker.end();
      if (rest) onDelta(rest);
    },
  };
}

export function maskAnswer(detector: PiiDetector | null, text: string): string {
  return detector ? maskText(detector, text).text : text;
}
