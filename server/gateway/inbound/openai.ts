/**
 * OpenAI-compatible endpoints: `POST /v1/chat/completions` (JSON, or SSE with `stream: true` ending
 * in `data: [DONE]`, `stream_options.include_usage` adding a usage chunk) and `GET /v1/models` (the
 * route aliases the key may use). Errors use OpenAI's shape, so stock clients surface them as-is.
 *
 * Streams start (status 200, first chunk) only when the first token is there: failures before it
 * are ordinary HTTP errors, failures after it are handled by mid-stream failover; if that too runs
 * out, the stream ends with an error event. The last chunk carries a `helix` object saying which
 * agent answered and whether failover happened.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { usableRoutes } from "../auth";
import { runError, type GatewayCore } from "../core";
import type { RequestContext, RunOutcome } from "../engine";
import { HttpError, parseJsonBody, readBody, sendError, sendJson } from "../http";
import { PluginCallLog, PluginRefusal, pluginsFor, pluginStream, runAfterResponse } from "../plugins";
import { maskAnswer, maskingStream, type AppliedPolicies } from "../policies";
import type { ChatMessage, ChatRequest, SnapshotRoute } from "../types";

const contentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();

const chatBody = z
  .object({
    model: z.string({ message: "model is required: the route alias to call" }).min(1, "model must not be empty").max(200),
    messages: z
      .array(
        z
          .object({
            role: z.enum(["system", "developer", "user", "assistant", "tool", "function"], {
              message: "role must be system, developer, user, assistant or tool",
            }),
            content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
            name: z.string().max(256).optional(),
          })
          .passthrough(),
        { message: "messages must be an array of {role, content} objects" },
      )
      .min(1, "messages must contain at least one message")
      .max(4096, "at most 4096 messages"),
    stream: z.boolean({ message: "stream must be true or false" }).nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    user: z.string().max(256, "user has at most 256 characters").nullish(),
  })
  .passthrough();

const KNOWN = new Set(["model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "user"]);

function partsText(content: string | { type: string; text?: string }[] | null | undefined): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let text = "";
  for (const part of content) if (part.type === "text" && part.text) text += text ? `\n${part.text}` : part.text;
  return text;
}

/** The normalized request for an OpenAI body; 400 with the offending field otherwise. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "The request body must be a JSON object with model and messages.", "invalid_request_error", "invalid_body");
  }
  const parsed = chatBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join(".") || null;
    throw new HttpError(400, `Invalid request: ${param ? `'${param}': ` : ""}${issue.message}`, "invalid_request_error", "invalid_value", param);
  }
  const b = parsed.data;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) if (!KNOWN.has(k)) extra[k] = v;
  const messages: ChatMessage[] = b.messages.map((m) => ({
    role: m.role === "function" ? "tool" : m.role,
    content: partsText(m.content as string | { type: string; text?: string }[] | null | undefined),
    ...(m.name ? { name: m.name } : {}),
  }));
  return {
    model: b.model,
    messages,
    stream: b.stream === true,
    includeUsage: b.stream_options?.include_usage === true,
    maxTokens: b.max_completion_tokens ?? b.max_tokens ?? undefined,
    user: b.user ?? undefined,
    extra,
  };
}

function helixHeaders(ctx: RequestContext, outcome: RunOutcome | null): Record<string, string> {
  const headers: Record<string, string> = { "x-helix-request-id": ctx.requestId, "x-helix-trace-id": ctx.traceId };
  if (outcome) {
    if (outcome.agent) headers["x-helix-agent"] = outcome.agent.slug;
    headers["x-helix-attempts"] = String(outcome.attempts.length);
    if (outcome.failover) headers["x-helix-failover"] = "1";
  }
  return headers;
}

/** The `helix` debug object: which agent answered, every attempt and its timings. */
export function debugInfo(ctx: RequestContext, route: SnapshotRoute, outcome: RunOutcome) {
  return {
    requestId: ctx.requestId,
    traceId: ctx.traceId,
    routeId: route.id,
    agentId: outcome.agent?.id ?? null,
    agentName: outcome.agent?.name ?? null,
    failover: outcome.failover,
    midStreamFailover: outcome.midStreamFailover,
    totalMs: Date.now() - ctx.startedAt,
    attempts: outcome.attempts.map((a) => ({
      agentId: a.agentId,
      agentName: a.agentName,
      protocol: a.protocol,
      status: a.status,
      errorClass: a.errorClass,
      error: a.error,
      latencyMs: a.latencyMs,
      ttftMs: a.ttftMs,
      retry: a.retry,
      failover: a.failover,
    })),
  };
}

export async function handleModels(core: GatewayCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const principal = core.authorize(req);
  // The same scope check as the chat endpoint (sorted by alias).
  const data = usableRoutes(principal, core.snapshot).map((route) => ({
    id: route.alias,
    object: "model",
    created: 0,
    owned_by: "helixagent",
    name: route.name,
    description: route.description,
  }));
  sendJson(res, 200, { object: "list", data });
}

export async function handleChatCompletions(core: GatewayCore, req: IncomingMessage, res: ServerResponse, clientSignal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  const principal = core.authorize(req, startedAt);
  const debug = req.headers["x-helix-debug"] === "1";
  const subjectHeader = req.headers["x-helix-subject"];
  // A minimal context exists from here on, so client errors are recorded against the organization too.
  let ctx = core.newContext(req, principal, "openai", typeof subjectHeader === "string" ? subjectHeader.slice(0, 256) : null, startedAt);
  let route: SnapshotRoute | null = null;
  let request: ChatRequest | null = null;
  let policies: AppliedPolicies | null = null;
  try {
    request = parseChatRequest(parseJsonBody(await readBody(req, core.opts.maxBodyBytes)));
    if (request.user && ctx.subject === null) ctx = { ...ctx, subject: request.user };
    route = core.resolveRoute(principal, request.model, req);
    policies = core.applyPolicies(req, principal, route, request, ctx);
    if (policies) request = policies.request;
    request = await core.runPluginsBefore(route, request, ctx, clientSignal);
  } catch (error) {
    if (error instanceof HttpError) {
      core.finish({ route, request, ctx, outcome: null, status: error.status, errorClass: "client_error" });
      sendError(res, error, {}, helixHeaders(ctx, null));
      return;
    }
    throw error;
  }

  const id = `chatcmpl-${ctx.requestId.replaceAll("-", "")}`;
  const created = Math.floor(startedAt / 1000);
  const model = request.model;

  const allowedAgents = policies?.allowedAgents ?? null;
  const answerDetector = policies?.answerDetector ?? null;

  if (!request.stream) {
    const outcome = await core.engine.run({ snapshot: core.snapshot, route, request, ctx, clientSignal, allowedAgents });
    outcome.text = maskAnswer(answerDetector, outcome.text);
    const afterPlugins = outcome.ok ? pluginsFor(core.snapshot, route, "after_response") : [];
    if (afterPlugins.length) {
      ctx.pluginCalls ??= new PluginCallLog();
      try {
        const rewritten = await runAfterResponse({ plugins: afterPlugins, route, request, subject: ctx.subject, text: outcome.text, log: ctx.pluginCalls, signal: clientSignal });
        // A plugin's rewrite is masked too: policies have the last word on what leaves.
        if (rewritten !== outcome.text) outcome.text = maskAnswer(answerDetector, rewritten);
      } catch (error) {
        if (!(error instanceof PluginRefusal)) throw error;
        core.finish({ route, request, ctx, outcome, status: error.status, errorClass: "client_error" });
        sendError(res, error, debug ? { helix: debugInfo(ctx, route, outcome) } : {}, helixHeaders(ctx, outcome));
        return;
      }
    }
    if (!outcome.ok) {
      const error = runError(outcome, route);
      core.finish({ route, request, ctx, outcome, status: error.status, errorClass: outcome.error?.errorClass ?? null });
      if (error.status !== 499) sendError(res, error, debug ? { helix: debugInfo(ctx, route, outcome) } : {}, helixHeaders(ctx, outcome));
      return;
    }
    const body = {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message: { role: "assistant", content: outcome.text, refusal: null }, logprobs: null, finish_reason: outcome.finishReason }],
      usage: {
        prompt_tokens: outcome.usage.promptTokens,
        completion_tokens: outcome.usage.completionTokens,
        total_tokens: outcome.usage.promptTokens + outcome.usage.completionTokens,
      },
      ...(debug ? { helix: debugInfo(ctx, route, outcome) } : {}),
    };
    core.finish({ route, request, ctx, outcome, status: 200, errorClass: null });
    sendJson(res, 200, body, helixHeaders(ctx, outcome));
    return;
  }

  // Streaming.
  const prefix = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"choices":[`;
  const usageNull = request.includeUsage ? `,"usage":null` : "";
  let started = false;
  const start = () => {
    started = true;
    res.writeHead(200, {
      ...helixHeaders(ctx, null),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    });
    res.write(`${prefix}{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`);
  };
  const write = (text: string) => {
    if (!started) start();
    res.write(`${prefix}{"index":0,"delta":{"content":${JSON.stringify(text)}},"logprobs":null,"finish_reason":null}]${usageNull}}\n\n`);
  };
  // Gateway plugins with a stream_chunk hook see each piece (after masking) before the client does.
  const chunkPlugins = pluginsFor(core.snapshot, route, "stream_chunk");
  if (chunkPlugins.length) ctx.pluginCalls ??= new PluginCallLog();
  const plugged = chunkPlugins.length ? pluginStream({ plugins: chunkPlugins, route, request, subject: ctx.subject, log: ctx.pluginCalls!, write, signal: clientSignal }) : null;
  // PII the policies mask is masked across chunk boundaries: the masker holds back only what could
  // still turn out to be part of one, and flushes it at the end.
  const masked = maskingStream(answerDetector, plugged ? plugged.push : write);
  const outcome = await core.engine.run({ snapshot: core.snapshot, route, request, ctx, clientSignal, onDelta: masked.onDelta, allowedAgents });
  if (!res.destroyed && (outcome.ok || started)) masked.flush();
  if (plugged) {
    try {
      await plugged.drain();
    } catch (error) {
      if (!(error instanceof PluginRefusal)) throw error;
      core.finish({ route, request, ctx, outcome, status: started ? 200 : error.status, errorClass: "client_error" });
      if (res.destroyed) return;
      if (!started) {
        sendError(res, error, {}, helixHeaders(ctx, outcome));
        return;
      }
      res.write(`data: ${JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: error.code } })}\n\n`);
      res.end("data: [DONE]\n\n");
      return;
    }
  }

  if (!outcome.ok) {
    const error = runError(outcome, route);
    core.finish({ route, request, ctx, outcome, status: started ? 200 : error.status, errorClass: outcome.error?.errorClass ?? null });
    if (error.status === 499 || res.destroyed) return;
    if (!started) {
      sendError(res, error, debug ? { helix: debugInfo(ctx, route, outcome) } : {}, helixHeaders(ctx, outcome));
      return;
    }
    // The stream had started and no agent could finish it: say so in the stream, as OpenAI does.
    res.write(`data: ${JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: error.code }, helix: debugInfo(ctx, route, outcome) })}\n\n`);
    res.end("data: [DONE]\n\n");
    return;
  }
  if (!started) start(); // an empty answer still gets a well-formed stream
  const helix = debugInfo(ctx, route, outcome);
  const finish = {
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: outcome.finishReason }],
    ...(request.includeUsage ? { usage: null } : {}),
    helix: { agent: outcome.agent?.slug ?? null, attempts: outcome.attempts.length, failover: outcome.failover, midStreamFailover: outcome.midStreamFailover, ...(debug ? helix : {}) },
  };
  let tail = `data: ${JSON.stringify(finish)}\n\n`;
  if (request.includeUsage) {
    const usage = {
      prompt_tokens: outcome.usage.promptTokens,
      completion_tokens: outcome.usage.completionTokens,
      total_tokens: outcome.usage.promptTokens + outcome.usage.completionTokens,
    };
    tail += `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage })}\n\n`;
  }
  core.finish({ route, request, ctx, outcome, status: 200, errorClass: null });
  res.end(`${tail}data: [DONE]\n\n`);
}
