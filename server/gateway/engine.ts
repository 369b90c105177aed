/**
 * The request engine: for one normalized chat request on one route, choose agents, make attempts,
 * retry and fail over, and record what happened.
 *
 * - Candidates: the route's targets whose agent is ACTIVE in the registry (unhealthy and disabled
 *   agents are skipped), can answer chat (not MCP) and carries every tag the route requires.
 * - Order: the balancer plans the order per strategy (weighted, priority groups, or power of two
 *   choices over peak-EWMA — time to first token for streams, total time otherwise).
 * - Attempts: each has its own timeout (to the whole answer for JSON, to the first token for
 *   streams, then an idle limit between events), all share the route's deadline. Retryable failures
 *   (connect, timeout, 5xx, 429, garbage, a broken stream) move on to the next agent while retries
 *   remain and the route's retry budget allows; an agent's breaker ejects it after consecutive
 *   failures and lets one probe through after the cool-down.
 * - Failover mid-stream: when a stream breaks after text reached the client, the next agent gets the
 *   conversation plus the partial answer as an assistant message to continue. If it restarts the
 *   answer instead of continuing it (what a replica of the same model does), the part the client
 *   already has is recognised and skipped, so the client sees one uninterrupted answer.
 */
import { randomUUID } from "node:crypto";
import { AgentStats, CircuitBreakers, RetryBudget, planAttempts } from "./balancer";
import { callUpstream } from "./upstream";
import type { ChatRequest, ErrorClass, SnapshotAgent, SnapshotRoute, Snapshot, TelemetryRecord, UpstreamCall, UpstreamUsage } from "./types";
import { UpstreamError } from "./types";
import type { Decision } from "@/server/policies/evaluate";
import type { PluginCallLog } from "./plugins";

export interface AttemptInfo {
  id: string;
  agentId: string;
  agentName: string;
  agentSlug: string;
  protocol: string;
  /** HTTP-like status of the attempt: 200 on success, the agent's status on an HTTP error, 0 when none. */
  status: number;
  errorClass: ErrorClass | null;
  error: string | null;
  startedAt: number;
  latencyMs: number;
  ttftMs: number | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number | null;
  retry: boolean;
  failover: boolean;
}

export interface RequestContext {
  requestId: string;
  traceId: string;
  traceparent: string;
  orgId: string;
  apiKeyId: string | null;
  subject: string | null;
  /** What the organization's policies decided for this request (recorded in its telemetry row). */
  policyDecisions: Decision[] | null;
  /** The gateway plugins called for this request (recorded in its telemetry row). */
  pluginCalls: PluginCallLog | null;
  /** "openai" | "a2a" */
  inboundProtocol: string;
  startedAt: number;
}

export interface RunOutcome {
  ok: boolean;
  text: string;
  finishReason: "stop" | "length" | "content_filter" | "tool_calls";
  usage: UpstreamUsage;
  agent: SnapshotAgent | null;
  attempts: AttemptInfo[];
  /** An attempt failed and another agent answered (before or during the stream). */
  failover: boolean;
  /** The stream broke after text had reached the client and another agent continued it. */
  midStreamFailover: boolean;
  error: UpstreamError | null;
  ttftMs: number | null;
  upstreamId: string | null;
}

export interface TelemetrySink {
  record(record: TelemetryRecord): void;
}

export interface RunOptions {
  snapshot: Snapshot;
  route: SnapshotRoute;
  request: ChatRequest;
  ctx: RequestContext;
  /** Streams: called with each piece of text for the client, in order. */
  onDelta?: (text: string) => void;
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal;
  /** Agents the organization's policies allow for this request; null = every candidate. */
  allowedAgents?: ReadonlySet<string> | null;
}

export interface EngineOptions {
  telemetry: TelemetrySink;
  call?: UpstreamCall;
  random?: () => number;
  now?: () => number;
}

/** A rough token count (4 characters a token) for agents that report no usage. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

function promptText(request: ChatRequest): string {
  let text = "";
  for (const m of request.messages) text += m.content;
  return text;
}

export function costOf(agent: SnapshotAgent, tokensIn: number, tokensOut: number): number | null {
  if (agent.inputPricePerMTok === null || agent.outputPricePerMTok === null) return null;
  return (tokensIn * agent.inputPricePerMTok + tokensOut * agent.outputPricePerMTok) / 1_000_000;
}

/** The agents of a route that may take traffic now. */
export function eligibleTargets(snapshot: Snapshot, route: SnapshotRoute) {
  return route.targets.filter((t) => {
    const agent = snapshot.agents.get(t.agentId);
    if (!agent || agent.orgId !== route.orgId || agent.status !== "ACTIVE" || agent.protocol === "MCP") return false;
    for (const tag of route.matchTags) if (!agent.tags.includes(tag)) return false;
    return true;
  });
}

function timeoutError(message: string): DOMException {
  return new DOMException(message, "TimeoutError");
}

/**
 * Holds back the first text of a continuation until it is clear whether the agent continued the
 * partial answer or restarted it; a restart's repeated prefix is dropped.
 */
function continuation(delivered: string, emit: (text: string) => void) {
  let held = "";
  let decided = false;
  return {
    push(text: string) {
      if (decided) return emit(text);
      held += text;
      if (held.length <= delivered.length && delivered.startsWith(held)) return; // could still be a restart
      decided = true;
      emit(held.startsWith(delivered) ? held.slice(delivered.length) : held);
    },
    /** The attempt finished: flush what is held unless it was entirely a repeat. */
    end() {
      if (decided) return;
      decided = true;
      if (!delivered.startsWith(held)) emit(held);
    },
  };
}

export class Engine {
  readonly stats = new AgentStats();
  readonly breakers = new CircuitBreakers();
  readonly budget = new RetryBudget();
  private readonly call: UpstreamCall;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly opts: EngineOptions) {
    this.call = opts.call ?? callUpstream;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
  }

  async run(opts: RunOptions): Promise<RunOutcome> {
    const { snapshot, route, request, ctx, clientSignal } = opts;
    const streaming = opts.onDelta !== undefined;
    const signalKind = streaming ? "ttft" : "total";
    const breakerConfig = { failureThreshold: route.breakerFailureThreshold, cooldownMs: route.breakerCooldownMs };
    const attempts: AttemptInfo[] = [];
    const outcome: RunOutcome = {
      ok: false,
      text: "",
      finishReason: "stop",
      usage: { promptTokens: 0, completionTokens: 0 },
      agent: null,
      attempts,
      failover: false,
      midStreamFailover: false,
      error: null,
      ttftMs: null,
      upstreamId: null,
    };

    const allowed = opts.allowedAgents;
    const targets = allowed ? eligibleTargets(snapshot, route).filter((t) => allowed.has(t.agentId)) : eligibleTargets(snapshot, route);
    if (targets.length === 0) {
      outcome.error = new UpstreamError(
        route.strategy === "CAPABILITY"
          ? `No healthy agent offers "${route.requiredSkill ?? ""}" for route ${route.alias}`
          : `Route ${route.alias} has no healthy agent to send the request to`,
        "no_candidates",
      );
      return outcome;
    }

    const startedAt = this.now();
    const deadlineAt = startedAt + route.deadlineMs;
    // Aborts when the client leaves or the deadline passes. Plain listeners rather than
    // AbortSignal.any, which costs a WeakRef and a finalizer per signal on every request.
    const requestAbort = new AbortController();
    const onClientGone = () => requestAbort.abort(clientSignal.reason);
    if (clientSignal.aborted) onClientGone();
    else clientSignal.addEventListener("abort", onClientGone, { once: true });
    const deadlineTimer = setTimeout(() => requestAbort.abort(timeoutError(`The route's deadline of ${route.deadlineMs} ms passed`)), route.deadlineMs);

    this.budget.onRequest(route.id, startedAt);
    const maxAttempts = 1 + route.maxRetries;
    const tried = new Set<string>();
    let delivered = "";
    let lastError: UpstreamError | null = null;
    let ttftOverall: number | null = null;

    try {
      while (attempts.length < maxAttempts) {
        const now = this.now();
        const order = planAttempts({
          strategy: route.strategy,
          targets,
          signal: signalKind,
          stats: this.stats,
          breakers: this.breakers,
          breakerConfig,
          now,
          random: this.random,
        });
        // Agents already tried come back only when nothing else is left (a flaky single agent).
        const next = order.find((id) => !tried.has(id) && this.breakers.allow(id, breakerConfig, now)) ?? order.find((id) => this.breakers.allow(id, breakerConfig, now));
        if (next === undefined) {
          lastError ??= new UpstreamError(`Every agent of route ${route.alias} is ejected after repeated failures; try again shortly`, "breaker_open");
          break;
        }
        const isRetry = attempts.length > 0;
        if (isRetry && !this.budget.tryRetry(route.id, route.retryBudgetPercent, now)) {
          this.breakers.release(next);
          break;
        }
        if (requestAbort.signal.aborted && !clientSignal.aborted) {
          this.breakers.release(next);
          lastError = new UpstreamError(`The route's deadline of ${route.deadlineMs} ms passed`, "timeout", { retryable: false });
          break;
        }
        tried.add(next);
        const agent = snapshot.agents.get(next)!;
        const target = targets.find((t) => t.agentId === next)!;
        const failover = delivered.length > 0;

        // The request for this attempt: the original, or the conversation plus the partial answer.
        const attemptRequest: ChatRequest = failover
          ? { ...request, messages: [...request.messages, { role: "assistant", content: delivered }] }
          : request;

        const attemptStart = this.now();
        const attemptTimeoutMs = Math.max(1, Math.min(route.timeoutMs, deadlineAt - attemptStart));
        const attemptAbort = new AbortController();
        const attemptTimer = setTimeout(
          () => attemptAbort.abort(timeoutError(`${agent.name} did not answer within ${attemptTimeoutMs} ms`)),
          attemptTimeoutMs,
        );
        const forwardAbort = () => attemptAbort.abort(requestAbort.signal.reason);
        if (requestAbort.signal.aborted) forwardAbort();
        else requestAbort.signal.addEventListener("abort", forwardAbort, { once: true });
        const signal = attemptAbort.signal;

        let attemptText = "";
        let firstDeltaAt: number | null = null;
        const emit = (text: string) => {
          if (text.length === 0) return;
          delivered += text;
          opts.onDelta?.(text);
        };
        const filter = failover ? continuation(delivered, emit) : null;
        const onDelta = streaming
          ? (text: string) => {
              if (firstDeltaAt === null) {
                firstDeltaAt = this.now();
                clearTimeout(attemptTimer); // streams: the timeout is to the first token; then the idle limit applies
              }
              attemptText += text;
              if (filter) filter.push(text);
              else emit(text);
            }
          : undefined;

        this.stats.start(next);
        try {
          const result = await this.call({
            agent,
            model: target.model,
            request: attemptRequest,
            stream: streaming,
            onDelta,
            signal,
            idleTimeoutMs: route.timeoutMs,
            traceparent: ctx.traceparent,
          });
          filter?.end();
          const end = this.now();
          const latencyMs = end - attemptStart;
          const ttftMs = streaming ? (firstDeltaAt !== null ? firstDeltaAt - attemptStart : latencyMs) : result.ttftMs;
          this.stats.finish(next, { signal: signalKind, ms: streaming ? ttftMs : latencyMs }, end);
          if (streaming) this.stats.observe(next, { signal: "total", ms: latencyMs }, end);
          this.breakers.onSuccess(next, end);
          const tokensIn = result.usage?.promptTokens ?? estimateTokens(promptText(attemptRequest));
          const tokensOut = result.usage?.completionTokens ?? estimateTokens(result.text);
          attempts.push(
            this.attemptInfo(agent, {
              status: 200,
              errorClass: null,
              error: null,
              startedAt: attemptStart,
              latencyMs,
              ttftMs,
              tokensIn,
              tokensOut,
              retry: isRetry,
              failover,
            }),
          );
          if (!streaming) delivered = result.text;
          ttftOverall ??= streaming ? (firstDeltaAt !== null ? firstDeltaAt - startedAt : end - startedAt) : end - startedAt;
          outcome.ok = true;
          outcome.text = delivered;
          outcome.finishReason = result.finishReason;
          outcome.agent = agent;
          outcome.upstreamId = result.upstreamId ?? null;
          outcome.failover = attempts.length > 1;
          outcome.midStreamFailover = failover;
          const usageIn = attempts[0]!.tokensIn;
          outcome.usage = { promptTokens: usageIn, completionTokens: streaming ? estimateTokensSum(attempts, delivered) : tokensOut };
          return outcome;
        } catch (caught) {
          const end = this.now();
          const error =
            caught instanceof UpstreamError ? caught : new UpstreamError(`${agent.name} failed: ${String(caught)}`, "protocol", { retryable: true, cause: caught });
          const clientGone = clientSignal.aborted;
          if (clientGone || error.errorClass === "aborted" || error.errorClass === "http_4xx") {
            // No verdict on the agent: the client left, or the agent rejected this request's content
            // (a client sending bad requests must not get healthy agents ejected).
            this.breakers.release(next);
            this.stats.release(next);
          } else {
            this.breakers.onFailure(next, breakerConfig, end);
            this.stats.fail(next, end);
          }
          if (firstDeltaAt !== null && ttftOverall === null) ttftOverall = firstDeltaAt - startedAt;
          attempts.push(
            this.attemptInfo(agent, {
              status: error.status ?? 0,
              errorClass: clientGone ? "aborted" : error.errorClass,
              error: error.message,
              startedAt: attemptStart,
              latencyMs: end - attemptStart,
              ttftMs: firstDeltaAt !== null ? firstDeltaAt - attemptStart : null,
              tokensIn: estimateTokens(promptText(attemptRequest)),
              tokensOut: estimateTokens(attemptText),
              retry: isRetry,
              failover,
            }),
          );
          lastError = error;
          if (clientGone) {
            lastError = new UpstreamError("The client closed the connection", "aborted");
            break;
          }
          if (!error.retryable) break;
        } finally {
          clearTimeout(attemptTimer);
          requestAbort.signal.removeEventListener("abort", forwardAbort);
        }
      }
    } finally {
      clearTimeout(deadlineTimer);
      clientSignal.removeEventListener("abort", onClientGone);
    }
    outcome.error = lastError ?? new UpstreamError(`No agent of route ${route.alias} could answer`, "no_candidates");
    outcome.text = delivered;
    outcome.ttftMs = ttftOverall;
    outcome.failover = attempts.length > 1;
    return outcome;
  }

  private attemptInfo(
    agent: SnapshotAgent,
    a: Omit<AttemptInfo, "id" | "agentId" | "agentName" | "agentSlug" | "protocol" | "costUsd">,
  ): AttemptInfo {
    return {
      id: randomUUID(),
      agentId: agent.id,
      agentName: agent.name,
      agentSlug: agent.slug,
      protocol: agent.protocol,
      status: a.status,
      errorClass: a.errorClass,
      error: a.error,
      startedAt: a.startedAt,
      latencyMs: a.latencyMs,
      ttftMs: a.ttftMs,
      tokensIn: a.tokensIn,
      tokensOut: a.tokensOut,
      costUsd: costOf(agent, a.tokensIn, a.tokensOut),
      retry: a.retry,
      failover: a.failover,
    };
  }

  /**
   * One telemetry row per attempt plus the request's own row. The rows are written out field by
   * field on purpose: an object spread followed by this many fields makes V8 build a slow
   * dictionary-mode object (measured at ~19 µs a row instead of ~0.3 µs), on every request.
   */
  record(opts: { route: SnapshotRoute | null; request: ChatRequest | null; ctx: RequestContext; outcome: RunOutcome | null; status: number; errorClass: TelemetryRecord["errorClass"] }) {
    const { route, request, ctx, outcome } = opts;
    const attempts = outcome?.attempts ?? [];
    const end = this.now();
    const routeId = route?.id ?? null;
    const model = request?.model ?? route?.alias ?? null;
    const stream = request?.stream ?? false;
    let tokensIn = 0;
    let tokensOut = 0;
    let cost: number | null = null;
    for (let i = 0; i < attempts.length; i++) {
      const a = attempts[i]!;
      tokensIn += a.tokensIn;
      tokensOut += a.tokensOut;
      if (a.costUsd !== null) cost = (cost ?? 0) + a.costUsd;
      this.opts.telemetry.record({
        id: a.id,
        kind: "attempt",
        requestId: ctx.requestId,
        at: a.startedAt,
        orgId: ctx.orgId,
        apiKeyId: ctx.apiKeyId,
        routeId,
        agentId: a.agentId,
        protocol: a.protocol.toLowerCase(),
        model,
        stream,
        status: a.status,
        errorClass: a.errorClass,
        latencyMs: a.latencyMs,
        ttftMs: a.ttftMs,
        tokensIn: a.tokensIn,
        tokensOut: a.tokensOut,
        costUsd: a.costUsd,
        attempt: i + 1,
        retry: a.retry,
        failover: a.failover,
        traceId: ctx.traceId,
        subject: ctx.subject,
        policyDecisions: null,
        pluginCalls: null,
      });
    }
    this.opts.telemetry.record({
      id: ctx.requestId,
      kind: "request",
      requestId: ctx.requestId,
      at: ctx.startedAt,
      orgId: ctx.orgId,
      apiKeyId: ctx.apiKeyId,
      routeId,
      agentId: outcome?.agent?.id ?? null,
      protocol: ctx.inboundProtocol,
      model,
      stream,
      status: opts.status,
      errorClass: opts.errorClass,
      latencyMs: end - ctx.startedAt,
      ttftMs: outcome?.ttftMs ?? null,
      tokensIn,
      tokensOut,
      costUsd: cost,
      attempt: attempts.length,
      retry: attempts.length > 1,
      failover: outcome?.failover ?? false,
      traceId: ctx.traceId,
      subject: ctx.subject,
      policyDecisions: ctx.policyDecisions && ctx.policyDecisions.length ? JSON.stringify(ctx.policyDecisions) : null,
      pluginCalls: ctx.pluginCalls && !ctx.pluginCalls.empty ? JSON.stringify(ctx.pluginCalls.summaries()) : null,
    });
  }
}

/** Completion tokens of a stream the client received: what the answering attempts reported, or an estimate of the text. */
function estimateTokensSum(attempts: AttemptInfo[], delivered: string): number {
  const last = attempts[attempts.length - 1];
  if (attempts.length === 1 && last) return last.tokensOut;
  return estimateTokens(delivered);
}
