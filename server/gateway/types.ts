import type { SnapshotPlugin } from "./plugins";
import type { OrgPolicies } from "./policies";
/**
 * The gateway's shared vocabulary: the normalized chat request every inbound protocol is turned
 * into, the upstream call contract every outbound adapter implements, the config snapshot, and
 * the telemetry record. Inbound (OpenAI, A2A) → engine (routing, retries, failover) → upstream
 * adapters (OpenAI, A2A) all speak these types, which is what lets one route mix protocols.
 */

// ---------------------------------------------------------------------------------------------
// Normalized request

export type ChatRole = "system" | "developer" | "user" | "assistant" | "tool";

export interface ChatMessage {
  role: ChatRole;
  /** Text only: content parts are joined; non-text parts are not forwarded across protocols. */
  content: string;
  name?: string;
}

export interface ChatRequest {
  /** What the client asked for: the route alias. */
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  maxTokens?: number;
  /** OpenAI `user` (the data subject, later used by policies and data-subject requests). */
  user?: string;
  /**
   * Other OpenAI body fields (temperature, top_p, stop, tools, …) forwarded unchanged to OpenAI
   * upstreams; dropped when the target speaks another protocol.
   */
  extra: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Upstream adapters

export type AgentProtocolName = "OPENAI" | "A2A" | "MCP";

export interface UpstreamCredential {
  /** Header to send, lowercased (e.g. "authorization", "x-api-key"). */
  header: string;
  /** The full header value (e.g. "Bearer sk-…"). */
  value: string;
}

/** One agent as the gateway sees it in the snapshot. */
export interface SnapshotAgent {
  id: string;
  orgId: string;
  name: string;
  slug: string;
  protocol: AgentProtocolName;
  /** OpenAI: the base URL ending in /v1; A2A: the JSON-RPC endpoint; MCP: the /mcp endpoint. */
  endpointUrl: string;
  status: "ACTIVE" | "DISABLED" | "UNHEALTHY";
  region: string | null;
  provider: string | null;
  tags: string[];
  credential: UpstreamCredential | null;
  /** A2A: the protocol version the agent's card declared ("1.0" or "0.3"). */
  protocolVersion: string | null;
  /** OpenAI: the models the agent lists (the first is used when a target names none). */
  models: string[];
  /** USD per million tokens; null = unknown (cost recorded as null). */
  inputPricePerMTok: number | null;
  outputPricePerMTok: number | null;
}

export type ErrorClass =
  | "connect" // could not connect (refused, reset before the response, DNS)
  | "timeout" // no (complete) answer within the per-attempt timeout or the deadline
  | "http_5xx"
  | "http_429"
  | "http_4xx" // the agent rejected the request: not retryable
  | "protocol" // the agent answered something that is not its protocol (garbage, too large)
  | "stream_broken" // the stream stopped after it had started
  | "aborted" // the client went away
  | "breaker_open" // no attempt made: every candidate is ejected
  | "no_candidates"; // no attempt made: nothing eligible

export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly errorClass: ErrorClass,
    readonly opts: { status?: number; retryable: boolean; cause?: unknown } = { retryable: false },
  ) {
    super(message, { cause: opts.cause });
    this.name = "UpstreamError";
  }
  get retryable(): boolean {
    return this.opts.retryable;
  }
  get status(): number | undefined {
    return this.opts.status;
  }
}

export interface UpstreamUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface UpstreamResult {
  /** The whole answer text (for streams, the concatenation of every delta). */
  text: string;
  finishReason: "stop" | "length" | "content_filter" | "tool_calls";
  /** As reported by the agent; null when it reported none (the engine then estimates). */
  usage: UpstreamUsage | null;
  /** ms from the start of the attempt to the first content byte (streams) or the response (JSON). */
  ttftMs: number;
  /** The agent's own id for the answer (OpenAI completion id, A2A task id), for GetTask/CancelTask. */
  upstreamId?: string;
}

export interface UpstreamCallOptions {
  agent: SnapshotAgent;
  /** The model to ask an OpenAI agent for (the route target's model, else the agent's first). */
  model: string | null;
  request: ChatRequest;
  /** Stream from the agent and call onDelta per content piece as it arrives. */
  stream: boolean;
  onDelta?: (text: string) => void;
  /** Aborts the attempt: per-attempt timeout, deadline or the client leaving. */
  signal: AbortSignal;
  /** Idle limit between two stream events once streaming (defaults to the attempt timeout). */
  idleTimeoutMs: number;
  /** Passed through to the agent. */
  traceparent: string;
}

/** What an outbound adapter implements. Throws UpstreamError for every failure. */
export type UpstreamCall = (opts: UpstreamCallOptions) => Promise<UpstreamResult>;

// ---------------------------------------------------------------------------------------------
// Config snapshot

export type StrategyName = "WEIGHTED" | "PRIORITY" | "LATENCY" | "CAPABILITY";

export interface SnapshotTarget {
  agentId: string;
  weight: number;
  priority: number;
  model: string | null;
}

export interface HeaderCondition {
  header: string;
  op: "equals" | "contains" | "present";
  value: string | null;
}

export interface SnapshotRoute {
  id: string;
  orgId: string;
  /** The organization's slug: A2A routes are published at /a2a/<orgSlug>/<route slug>. */
  orgSlug: string;
  name: string;
  slug: string;
  alias: string;
  description: string | null;
  version: number;
  strategy: StrategyName;
  requiredSkill: string | null;
  matchTags: string[];
  /** Data classification labels (PHI, EU…) that policies read. */
  labels: string[];
  headerConditions: HeaderCondition[];
  timeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
  retryBudgetPercent: number;
  breakerFailureThreshold: number;
  breakerCooldownMs: number;
  /** Static targets; for CAPABILITY routes, the healthy agents matching requiredSkill (best first). */
  targets: SnapshotTarget[];
}

export interface SnapshotKey {
  id: string;
  orgId: string;
  name: string;
  prefix: string;
  /** Empty = every route of the organization. */
  routeIds: string[];
  expiresAt: number | null;
  /** Revoked keys stay in the snapshot so the answer can say so instead of "unknown key". */
  revoked: boolean;
  rateLimitPerMinute: number | null;
}

export interface Snapshot {
  loadedAt: number;
  /** SHA-256 hex of the secret → key. */
  keysByHash: Map<string, SnapshotKey>;
  agents: Map<string, SnapshotAgent>;
  /** orgId → alias → route (enabled routes only). */
  routesByAlias: Map<string, Map<string, SnapshotRoute>>;
  routesById: Map<string, SnapshotRoute>;
  /** orgId → its enabled policies (compiled) and PII patterns. */
  policies: Map<string, OrgPolicies>;
  /** orgId → its enabled gateway plugin installs, in install order. */
  plugins: Map<string, SnapshotPlugin[]>;
}

// ---------------------------------------------------------------------------------------------
// Telemetry

export interface TelemetryRecord {
  /** Idempotency key (UUID): a replayed record with the same id is written once. */
  id: string;
  kind: "request" | "attempt";
  /** For attempts, the id of their request record; for requests, their own id. */
  requestId: string;
  /** Epoch milliseconds when the request (or attempt) started. */
  at: number;
  orgId: string;
  apiKeyId: string | null;
  routeId: string | null;
  agentId: string | null;
  /** Inbound protocol for requests ("openai" | "a2a"); the agent's protocol for attempts. */
  protocol: string;
  /** The route alias the client asked for. */
  model: string | null;
  stream: boolean;
  /** HTTP status sent to the client (requests) or received from the agent (attempts; 0 = none). */
  status: number;
  errorClass: ErrorClass | "client_error" | null;
  latencyMs: number;
  ttftMs: number | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number | null;
  /** Attempt number (1-based) for attempts; number of attempts for requests. */
  attempt: number;
  retry: boolean;
  failover: boolean;
  traceId: string;
  /** The data subject (OpenAI `user` or `x-helix-subject`), if the client sent one. */
  subject: string | null;
  /** Requests: the policy decisions as JSON (an array of {policyId, name, effect, mode, applied, detail}), or null. */
  policyDecisions: string | null;
  /** Requests: the gateway plugins called, as JSON (an array of PluginCallSummary), or null. */
  pluginCalls: string | null;
}
