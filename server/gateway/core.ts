/**
 * What every inbound protocol handler shares: the config snapshot, the engine, authentication and
 * rate limits, request contexts, metrics and telemetry. A handler turns its protocol into a
 * ChatRequest, asks the core for the route, runs the engine, and answers in its protocol.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { authenticate, mayUse, RateLimiter, usableRoutes, type Principal } from "./auth";
import type { ConfigStore } from "./config-store";
import { eligibleTargets, Engine, type RequestContext, type RunOutcome } from "./engine";
import { PluginCallLog, pluginsFor, runBeforeRequest } from "./plugins";
import { applyPolicies, PolicyDenied, type AppliedPolicies } from "./policies";
import { HttpError, presentedToken, traceContext } from "./http";
import type { GatewayMetrics } from "./metrics";
import type { ChatRequest, HeaderCondition, SnapshotRoute } from "./types";

export interface CoreOptions {
  config: ConfigStore;
  engine: Engine;
  metrics: GatewayMetrics;
  db: PrismaClient;
  authSecret: string | undefined;
  maxBodyBytes: number;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function conditionsHold(req: IncomingMessage, conditions: HeaderCondition[]): boolean {
  for (const c of conditions) {
    const v = headerValue(req, c.header);
    if (v === undefined) return false;
    if (c.op === "equals" && v !== c.value) return false;
    if (c.op === "contains" && !v.includes(c.value ?? "")) return false;
  }
  return true;
}

export class GatewayCore {
  readonly rateLimiter = new RateLimiter();
  private readonly usedKeys = new Set<string>();
  private lastUsedTimer: NodeJS.Timeout;

  constructor(readonly opts: CoreOptions) {
    // lastUsedAt is bookkeeping: written in batches every few seconds, never on the request path.
    this.lastUsedTimer = setInterval(() => void this.flushLastUsed(), 5_000);
    this.lastUsedTimer.unref();
  }

  get snapshot() {
    return this.opts.config.current;
  }

  get engine() {
    return this.opts.engine;
  }

  get metrics() {
    return this.opts.metrics;
  }

  /** Authenticates and applies the key's rate limit; throws HttpError (401/429/503). */
  authorize(req: IncomingMessage, now = Date.now()): Principal {
    if (!this.opts.config.ready) {
      throw new HttpError(503, "The gateway is starting and has not loaded its configuration yet. Retry in a moment.", "server_error", "not_ready", null, { "retry-after": "1" });
    }
    const principal = authenticate(presentedToken(req), this.snapshot, { authSecret: this.opts.authSecret, now });
    const key = principal.key;
    if (key) {
      if (key.rateLimitPerMinute !== null) {
        const wait = this.rateLimiter.take(key.id, key.rateLimitPerMinute, now);
        if (wait > 0) {
          throw new HttpError(
            429,
            `Rate limit reached for key ${key.prefix}…: ${key.rateLimitPerMinute} requests per minute. Retry in ${wait} s or raise the key's limit in the console.`,
            "rate_limit_error",
            "rate_limit_exceeded",
            null,
            { "retry-after": String(wait) },
          );
        }
      }
      this.usedKeys.add(key.id);
    }
    return principal;
  }

  /** The route for a model alias that this principal may use (404 / 403 otherwise). */
  resolveRoute(principal: Principal, alias: string, req: IncomingMessage, noun: "model" | "route" = "model"): SnapshotRoute {
    const route = this.snapshot.routesByAlias.get(principal.orgId)?.get(alias);
    if (!route || !conditionsHold(req, route.headerConditions)) {
      const usable = usableRoutes(principal, this.snapshot).map((r) => r.alias);
      throw new HttpError(
        404,
        `The ${noun} '${alias}' does not exist${route ? " for this request (the route's header conditions do not match)" : ""}. ${
          usable.length ? `${noun === "model" ? "Models" : "Routes"} this key may use: ${usable.slice(0, 20).join(", ")}.` : "This key may not use any route yet: create one under Routes in the console."
        }`,
        "invalid_request_error",
        "model_not_found",
        "model",
      );
    }
    if (!mayUse(principal, route)) {
      throw new HttpError(403, `This API key may not use the ${noun} '${alias}'. Add the route to the key's scopes in the console, or use another key.`, "permission_error", "route_not_allowed", "model");
    }
    return route;
  }

  /**
   * Applies the organization's policies to a request on its route (see ./policies). Records the
   * decisions on the context; a refusal throws PolicyDenied (an HttpError 403).
   */
  applyPolicies(req: IncomingMessage, principal: Principal, route: SnapshotRoute, request: ChatRequest, ctx: RequestContext): AppliedPolicies | null {
    const snapshot = this.snapshot;
    if (!snapshot.policies.has(route.orgId)) return null;
    const candidates = eligibleTargets(snapshot, route).map((t) => snapshot.agents.get(t.agentId)!);
    try {
      const applied = applyPolicies({
        snapshot,
        req,
        route,
        request,
        keyId: principal.key?.id ?? null,
        keyName: principal.key?.name ?? null,
        subject: ctx.subject,
        protocol: ctx.inboundProtocol,
        candidates,
      });
      ctx.policyDecisions = applied?.decisions ?? null;
      return applied;
    } catch (error) {
      if (error instanceof PolicyDenied) ctx.policyDecisions = error.decisions;
      throw error;
    }
  }

  /**
   * Runs the before_request hooks of the gateway plugins installed on the route (after policies,
   * so a plugin service never sees what a policy masks). Returns the request to send; a refusal
   * throws PluginRefusal (an HttpError: 403, or 502 when a fail-closed plugin failed).
   */
  async runPluginsBefore(route: SnapshotRoute, request: ChatRequest, ctx: RequestContext, signal?: AbortSignal): Promise<ChatRequest> {
    if (!this.snapshot.plugins.has(route.orgId)) return request;
    const plugins = pluginsFor(this.snapshot, route, "before_request");
    if (plugins.length === 0) return request;
    ctx.pluginCalls ??= new PluginCallLog();
    return runBeforeRequest({ plugins, route, request, subject: ctx.subject, log: ctx.pluginCalls, signal });
  }

  newContext(req: IncomingMessage, principal: Principal, inboundProtocol: string, subject: string | null, startedAt: number): RequestContext {
    const trace = traceContext(req.headers.traceparent);
    return {
      requestId: randomUUID(),
      traceId: trace.traceId,
      traceparent: trace.traceparent,
      orgId: principal.orgId,
      apiKeyId: principal.key?.id ?? null,
      subject,
      policyDecisions: null,
      pluginCalls: null,
      inboundProtocol,
      startedAt,
    };
  }

  /** Metrics and telemetry for a finished request. */
  finish(opts: { route: SnapshotRoute | null; request: ChatRequest | null; ctx: RequestContext; outcome: RunOutcome | null; status: number; errorClass: Parameters<Engine["record"]>[0]["errorClass"] }) {
    const { outcome, ctx } = opts;
    const m = this.metrics;
    m.requests.inc({ protocol: ctx.inboundProtocol, status: `${Math.floor(opts.status / 100)}xx` });
    m.duration.observe({ stream: String(opts.request?.stream ?? false) }, (Date.now() - ctx.startedAt) / 1000);
    if (outcome) {
      if (opts.request?.stream && outcome.ttftMs !== null) m.ttft.observe(outcome.ttftMs / 1000);
      for (const a of outcome.attempts) {
        m.attempts.inc({ agent: a.agentSlug, outcome: a.errorClass ?? "ok" });
        if (a.retry) m.retries.inc();
      }
      if (outcome.ok && outcome.failover) m.failovers.inc({ mid_stream: String(outcome.midStreamFailover) });
    }
    this.engine.record(opts);
  }

  private async flushLastUsed() {
    if (this.usedKeys.size === 0) return;
    const ids = [...this.usedKeys];
    this.usedKeys.clear();
    try {
      await this.opts.db.apiKey.updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: new Date() } });
    } catch {
      for (const id of ids) this.usedKeys.add(id); // Postgres away: try again next round
    }
  }

  async close() {
    clearInterval(this.lastUsedTimer);
    await this.flushLastUsed();
  }
}

/** Maps a failed run to the client's HTTP status and an OpenAI-shaped error. */
export function runError(outcome: RunOutcome, route: SnapshotRoute): HttpError {
  const e = outcome.error;
  const detail = e?.message ?? "unknown failure";
  switch (e?.errorClass) {
    case "no_candidates":
      return new HttpError(503, detail, "server_error", "no_healthy_agent");
    case "breaker_open":
      return new HttpError(503, detail, "server_error", "agents_ejected", null, { "retry-after": String(Math.ceil(route.breakerCooldownMs / 1000)) });
    case "timeout":
      return new HttpError(504, `No agent of route ${route.alias} answered in time: ${detail}`, "server_error", "upstream_timeout");
    case "aborted":
      return new HttpError(499, "The client closed the connection", "invalid_request_error", "client_closed");
    case "http_4xx": {
      const status = e.status ?? 400;
      if (status === 401 || status === 403) {
        return new HttpError(502, `The agent refused the gateway's credentials: ${detail}. Check the agent's credential in the console.`, "server_error", "upstream_auth_failed");
      }
      return new HttpError(400, `The agent rejected the request: ${detail}`, "invalid_request_error", "rejected_by_agent");
    }
    default:
      return new HttpError(502, `No agent of route ${route.alias} could answer (${outcome.attempts.length} attempt${outcome.attempts.length === 1 ? "" : "s"}): ${detail}`, "server_error", "upstream_error");
  }
}
