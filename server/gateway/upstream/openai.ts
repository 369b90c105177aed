/**
 * Outbound adapter for OpenAI-compatible agents: POST {endpointUrl}/chat/completions, as JSON or
 * as an SSE stream. Streams always ask for usage so telemetry gets real token counts. Chunks are
 * checked by hand (no schema library per chunk): this is the gateway's hot path.
 */
import { UpstreamError, type UpstreamCall, type UpstreamCallOptions, type UpstreamResult, type UpstreamUsage } from "../types";
import { baseHeaders, deliver, failure, isJson, isObject, postJson, protocolError, readJson, statusFailure, type UpstreamResponse } from "./http";
import { readSse } from "./sse";

type FinishReason = UpstreamResult["finishReason"];

// The base URL of an agent rarely changes: remember where its completions live.
const completionUrls = new Map<string, string>();

function completionsUrl(endpointUrl: string): string {
  let url = completionUrls.get(endpointUrl);
  if (url === undefined) {
    url = `${endpointUrl.replace(/\/+$/, "")}/chat/completions`;
    if (completionUrls.size >= 1_024) completionUrls.clear();
    completionUrls.set(endpointUrl, url);
  }
  return url;
}

/** The normalized request turned back into an OpenAI body. Our fields win over `extra`. */
export function openAiBody(opts: UpstreamCallOptions): string {
  const { request, agent } = opts;
  return JSON.stringify({
    ...request.extra,
    model: opts.model ?? agent.models[0] ?? request.model,
    messages: request.messages,
    stream: opts.stream,
    stream_options: opts.stream ? { include_usage: true } : undefined,
    max_tokens: request.maxTokens,
    user: request.user,
  });
}

export const callOpenAi: UpstreamCall = async (opts) => {
  const startedAt = performance.now();
  try {
    const headers = baseHeaders(opts, opts.stream ? "text/event-stream" : "application/json");
    const res = await postJson(opts, completionsUrl(opts.agent.endpointUrl), headers, openAiBody(opts));
    if (res.status < 200 || res.status >= 300) throw await statusFailure(res, opts);
    // Some servers ignore `stream: true` and answer JSON: take it as a single delta.
    if (opts.stream && !isJson(res.contentType)) return await readStream(res, opts, startedAt);
    const result = completion(await readJson(res, opts), res, opts);
    result.ttftMs = res.headersAt - startedAt;
    if (opts.stream && result.text) deliver(opts, result.text);
    return result;
  } catch (error) {
    throw failure(error, opts, "connect");
  }
};

function finishReasonOf(value: unknown): FinishReason | null {
  switch (value) {
    case "stop":
    case "length":
    case "content_filter":
    case "tool_calls":
      return value;
    case "function_call":
      return "tool_calls";
    case null:
    case undefined:
      return null;
    default:
      return "stop";
  }
}

function usageOf(value: unknown): UpstreamUsage | null {
  if (!isObject(value)) return null;
  const { prompt_tokens: prompt, completion_tokens: completion } = value;
  if (typeof prompt !== "number" || typeof completion !== "number") return null;
  return { promptTokens: prompt, completionTokens: completion };
}

/** A `chat.completion` JSON answer. */
function completion(body: unknown, res: UpstreamResponse, opts: UpstreamCallOptions): UpstreamResult {
  const choice = isObject(body) && Array.isArray(body.choices) ? (body.choices[0] as unknown) : undefined;
  const message = isObject(choice) ? choice.message : undefined;
  if (!isObject(body) || !isObject(choice) || !isObject(message)) {
    throw protocolError(opts, res, "a body that is not a chat completion");
  }
  const content = message.content;
  if (content !== null && content !== undefined && typeof content !== "string") {
    throw protocolError(opts, res, "a chat completion whose content is not text");
  }
  return {
    text: content ?? "",
    finishReason: finishReasonOf(choice.finish_reason) ?? "stop",
    usage: usageOf(body.usage),
    ttftMs: 0,
    upstreamId: typeof body.id === "string" ? body.id : undefined,
  };
}

/** A `chat.completion.chunk` SSE stream ending with `data: [DONE]`. */
async function readStream(res: UpstreamResponse, opts: UpstreamCallOptions, startedAt: number): Promise<UpstreamResult> {
  let text = "";
  let ttftMs = -1;
  let finishReason: FinishReason | null = null;
  let usage: UpstreamUsage | null = null;
  let upstreamId: string | undefined;

  const outcome = await readSse(res, opts, { idleTimeoutMs: opts.idleTimeoutMs }, (data) => {
    if (data === "[DONE]") return true;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw protocolError(opts, res, "a stream event that is not JSON");
    }
    if (!isObject(chunk)) throw protocolError(opts, res, "a stream event that is not a chunk");
    if (chunk.error !== undefined) {
      const detail = isObject(chunk.error) && typeof chunk.error.message === "string" ? `: ${chunk.error.message.slice(0, 300)}` : "";
      throw new UpstreamError(`${opts.agent.name} reported an error mid-stream${detail}`, "stream_broken", {
        status: res.status,
        retryable: true,
      });
    }
    if (upstreamId === undefined && typeof chunk.id === "string") upstreamId = chunk.id;
    const { choices } = chunk;
    if (Array.isArray(choices)) {
      for (const choice of choices as unknown[]) {
        if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
        const delta = choice.delta;
        const content = isObject(delta) ? delta.content : undefined;
        if (typeof content === "string" && content.length > 0) {
          if (ttftMs < 0) ttftMs = performance.now() - startedAt;
          text += content;
          deliver(opts, content);
        }
        finishReason = finishReasonOf(choice.finish_reason) ?? finishReason;
      }
    } else if (choices !== undefined && choices !== null) {
      throw protocolError(opts, res, "a stream chunk whose choices are not a list");
    }
    if (chunk.usage !== undefined && chunk.usage !== null) usage = usageOf(chunk.usage) ?? usage;
    return false;
  });

  // A finish_reason without [DONE] is a complete answer from a lax server; anything else is cut.
  if (!outcome.complete && finishReason === null) {
    if (outcome.events === 0) throw protocolError(opts, res, "a stream without any event");
    throw new UpstreamError(
      `${opts.agent.name} ended its stream before the answer was complete${text ? "" : " (no content yet)"}`,
      "stream_broken",
      { status: res.status, retryable: true },
    );
  }
  return {
    text,
    finishReason: finishReason ?? "stop",
    usage,
    ttftMs: ttftMs < 0 ? performance.now() - startedAt : ttftMs,
    upstreamId,
  };
}
