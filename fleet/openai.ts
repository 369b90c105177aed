/**
 * OpenAI-compatible chat agent on plain node:http:
 *   GET  /v1/models               list of model ids (the health probe)
 *   GET  /v1/models/:id           one model
 *   POST /v1/chat/completions     JSON, or SSE with `stream: true` (ends `data: [DONE]`;
 *                                 `stream_options.include_usage` adds a final usage chunk)
 * Errors use OpenAI's shape: `{ error: { message, type, param, code } }`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { atlasReply, countTokens, novaReply, tokenChunks } from "./answers";
import { sleep } from "./behaviour";
import type { OpenAiAgentSpec } from "./catalog";
import { BodyError, bearerToken, readJson, requestPath, responseSignal, sendJson, type AgentContext, type AgentListener } from "./http";

/** A fixed creation time for the models, so listings are byte-for-byte stable. */
const MODEL_CREATED = 1_735_689_600;

const contentPart = z.object({ type: z.string(), text: z.string().optional() }).passthrough();

const chatMessage = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
    content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
    name: z.string().optional(),
  })
  .passthrough();

const chatRequest = z
  .object({
    model: z.string().min(1),
    messages: z.array(chatMessage).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
  })
  .passthrough();

type ChatRequest = z.infer<typeof chatRequest>;
type ChatMessage = z.infer<typeof chatMessage>;

interface OpenAiError {
  status: number;
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
}

function sendError(res: ServerResponse, e: OpenAiError): void {
  sendJson(res, e.status, { error: { message: e.message, type: e.type, param: e.param ?? null, code: e.code } });
}

function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join(" ");
  return "";
}

export interface ChatAnswer {
  content: string;
  chunks: string[];
  finishReason: "stop" | "length";
  promptTokens: number;
  completionTokens: number;
}

/** The deterministic completion for a request: content, stream chunks and usage. */
export function answerChat(spec: OpenAiAgentSpec, request: ChatRequest): ChatAnswer {
  const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
  const userText = lastUser ? messageText(lastUser) : "";
  const full = spec.responder === "nova" ? novaReply(request.model, userText) : atlasReply(request.model, userText);
  let chunks = tokenChunks(full);
  let finishReason: ChatAnswer["finishReason"] = "stop";
  const limit = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  if (limit !== undefined && chunks.length > limit) {
    chunks = chunks.slice(0, limit);
    const lastIndex = chunks.length - 1;
    chunks[lastIndex] = (chunks[lastIndex] ?? "").trimEnd();
    finishReason = "length";
  }
  const content = chunks.join("");
  return {
    content,
    chunks,
    finishReason,
    promptTokens: request.messages.reduce((sum, m) => sum + countTokens(messageText(m)), 0),
    completionTokens: chunks.length,
  };
}

export function createOpenAiAgent(spec: OpenAiAgentSpec, ctx: AgentContext): AgentListener {
  let completions = 0;
  const models = spec.models.map((id) => ({ id, object: "model", created: MODEL_CREATED, owned_by: "helix-fleet" }));

  async function listModels(res: ServerResponse, signal: AbortSignal): Promise<void> {
    if (!(await ctx.behaviour.admit("probe", signal))) return sendError(res, injectedFailure());
    sendJson(res, 200, { object: "list", data: models });
  }

  async function chatCompletions(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const parsed = chatRequest.safeParse(await readJson(req));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = issue?.path.join(".") || null;
      return sendError(res, {
        status: 400,
        type: "invalid_request_error",
        code: null,
        param,
        message: issue ? `Invalid request: ${param ? `'${param}' ` : ""}${issue.message}` : "Invalid request body.",
      });
    }
    const request = parsed.data;
    if (!spec.models.includes(request.model)) {
      return sendError(res, {
        status: 404,
        type: "invalid_request_error",
        code: "model_not_found",
        param: "model",
        message: `The model '${request.model}' does not exist. Available models: ${spec.models.join(", ")}.`,
      });
    }
    const streaming = request.stream === true;
    if (!(await ctx.behaviour.admit(streaming ? "stream" : "work", signal))) return sendError(res, injectedFailure());

    const answer = answerChat(spec, request);
    const id = `chatcmpl-${spec.id}-${++completions}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = {
      prompt_tokens: answer.promptTokens,
      completion_tokens: answer.completionTokens,
      total_tokens: answer.promptTokens + answer.completionTokens,
    };

    if (!streaming) {
      sendJson(res, 200, {
        id,
        object: "chat.completion",
        created,
        model: request.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: answer.content, refusal: null },
            logprobs: null,
            finish_reason: answer.finishReason,
          },
        ],
        usage,
        system_fingerprint: "fp_helix_fleet",
      });
      return;
    }

    const includeUsage = request.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created,
        model: request.model,
        system_fingerprint: "fp_helix_fleet",
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      })}\n\n`;

    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]));
    await sleep(ctx.behaviour.ttftMs, signal);
    const interval = ctx.behaviour.tokenIntervalMs();
    for (const [i, piece] of answer.chunks.entries()) {
      if (i > 0) await sleep(interval, signal);
      res.write(chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]));
    }
    res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: answer.finishReason }]));
    if (includeUsage) res.write(chunk([], { usage }));
    res.end("data: [DONE]\n\n");
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signal = responseSignal(res);
    const path = requestPath(req);
    if (spec.apiKey !== undefined && bearerToken(req) !== spec.apiKey) {
      const given = bearerToken(req);
      return sendError(res, {
        status: 401,
        type: "invalid_request_error",
        code: "invalid_api_key",
        message: given
          ? "Incorrect API key provided. You can find your API key in the agent's configuration."
          : "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer YOUR_KEY'.",
      });
    }
    if (path === "/v1/models" && req.method === "GET") return listModels(res, signal);
    const modelMatch = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (modelMatch && req.method === "GET") {
      const model = models.find((m) => m.id === decodeURIComponent(modelMatch[1] ?? ""));
      if (model) return sendJson(res, 200, model);
      return sendError(res, { status: 404, type: "invalid_request_error", code: "model_not_found", param: "model", message: "The model does not exist." });
    }
    if (path === "/v1/chat/completions") {
      if (req.method !== "POST") {
        return sendError(res, { status: 405, type: "invalid_request_error", code: "method_not_allowed", message: "Use POST." });
      }
      return chatCompletions(req, res, signal);
    }
    sendError(res, { status: 404, type: "invalid_request_error", code: "unknown_url", message: `Unknown request URL: ${req.method} ${path}.` });
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.destroyed) return; // client went away (or the agent was stopped) mid-answer
      if (error instanceof BodyError) {
        return sendError(res, { status: error.status, type: "invalid_request_error", code: null, message: error.message });
      }
      sendError(res, { status: 500, type: "server_error", code: "internal_error", message: "The agent failed to answer." });
    });
  };
}

function injectedFailure(): OpenAiError {
  return {
    status: 500,
    type: "server_error",
    code: "fleet_injected_failure",
    message: "The server had an error while processing your request (injected by the demo fleet's errorRate).",
  };
}
