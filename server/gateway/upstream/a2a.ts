/**
 * Outbound adapter for A2A agents: JSON-RPC to the agent's endpoint, v1.0 (`SendMessage`,
 * `SendStreamingMessage`, ProtoJSON shapes, `A2A-Version: 1.0`) when the card declared 1.x and
 * v0.3 (`message/send`, `message/stream`, `kind`-tagged shapes) otherwise. The chat becomes one
 * user message; the answer is the task's artifact text (or the reply message's text).
 *
 * Task states, and what the gateway makes of them:
 *   completed, input-required     → the answer (an input-required task's question is its answer)
 *   failed, canceled               → http_5xx, retryable (the agent gave up; another try may not)
 *   rejected, auth-required        → http_4xx, not retryable (the agent refuses this request)
 *   submitted, working, unknown    → not final: streams wait for more, JSON answers poll GetTask
 * A2A reports no token usage: usage is null and the engine estimates.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { UpstreamError, type ChatMessage, type UpstreamCall, type UpstreamCallOptions, type UpstreamResult } from "../types";
import { baseHeaders, deliver, errorMessageOf, failure, isJson, isObject, postJson, protocolError, readJson, statusFailure, type UpstreamResponse } from "./http";
import { readSse } from "./sse";

type Json = Record<string, unknown>;

interface Methods {
  send: string;
  stream: string;
  get: string;
}

const V1: Methods = { send: "SendMessage", stream: "SendStreamingMessage", get: "GetTask" };
const V03: Methods = { send: "message/send", stream: "message/stream", get: "tasks/get" };

const POLL_FIRST_MS = 100;
const POLL_MAX_MS = 2_000;

let rpcId = 0;

function isV1(opts: UpstreamCallOptions): boolean {
  return opts.agent.protocolVersion?.startsWith("1") === true;
}

/**
 * The chat as one user message: a lone user message as is, anything else as a transcript. A
 * trailing assistant message is a partial answer the agent is asked to continue.
 */
export function a2aPrompt(messages: ChatMessage[]): string {
  const first = messages[0];
  if (messages.length === 1 && first?.role === "user") return first.content;
  const last = messages.at(-1);
  const partial = last?.role === "assistant" ? last : undefined;
  const turns = partial ? messages.slice(0, -1) : messages;
  const transcript = turns.map((m) => `${m.role}${m.name ? ` (${m.name})` : ""}: ${m.content}`).join("\n");
  if (!partial) return transcript;
  const ask = `Continue the assistant's answer exactly where it stops: ${partial.content}`;
  return transcript ? `${transcript}\n\n${ask}` : ask;
}

function rpcBody(method: string, params: unknown): string {
  rpcId = (rpcId + 1) % Number.MAX_SAFE_INTEGER;
  return JSON.stringify({ jsonrpc: "2.0", id: rpcId, method, params });
}

function sendParams(opts: UpstreamCallOptions, v1: boolean): Json {
  const text = a2aPrompt(opts.request.messages);
  const messageId = randomUUID();
  return v1
    ? { message: { messageId, role: "ROLE_USER", parts: [{ text }] } }
    : { message: { kind: "message", messageId, role: "user", parts: [{ kind: "text", text }] }, configuration: { blocking: true } };
}

function headersFor(opts: UpstreamCallOptions, v1: boolean, accept: string): Record<string, string> {
  const headers = baseHeaders(opts, accept);
  if (v1) headers["a2a-version"] = "1.0";
  return headers;
}

export const callA2a: UpstreamCall = async (opts) => {
  const startedAt = performance.now();
  try {
    const v1 = isV1(opts);
    const methods = v1 ? V1 : V03;
    const params = sendParams(opts, v1);
    const res = await postJson(
      opts,
      opts.agent.endpointUrl,
      headersFor(opts, v1, opts.stream ? "text/event-stream" : "application/json"),
      rpcBody(opts.stream ? methods.stream : methods.send, params),
    );
    if (res.status < 200 || res.status >= 300) throw await statusFailure(res, opts);
    // An error (or an agent that does not stream) answers a streaming call with plain JSON.
    if (opts.stream && !isJson(res.contentType)) return await readStream(res, opts, startedAt);
    const result = await untilFinal(rpcResult(await readJson(res, opts), res, opts), res, opts, methods, v1, startedAt);
    if (opts.stream && result.text) deliver(opts, result.text);
    return result;
  } catch (error) {
    throw failure(error, opts, "connect");
  }
};

/** A JSON-RPC error object: internal errors are worth retrying, the rest is the request's fault. */
function rpcFailure(opts: UpstreamCallOptions, error: unknown, status: number): UpstreamError {
  const code = isObject(error) && typeof error.code === "number" ? error.code : undefined;
  const detail = errorMessageOf({ error }, "");
  // -32603 internal error, -32000 generic server error, -32006 the agent's own answer was invalid.
  const serverSide = code === -32603 || code === -32000 || code === -32006;
  return new UpstreamError(
    `${opts.agent.name} answered JSON-RPC error${code === undefined ? "" : ` ${code}`}${detail ? `: ${detail}` : ""}`,
    serverSide ? "http_5xx" : "http_4xx",
    { status, retryable: serverSide },
  );
}

/** The `result` of a JSON-RPC response; its `error` as an UpstreamError. */
function rpcResult(body: unknown, res: UpstreamResponse, opts: UpstreamCallOptions): unknown {
  if (!isObject(body)) throw protocolError(opts, res, "a body that is not a JSON-RPC response");
  if (body.error !== undefined && body.error !== null) throw rpcFailure(opts, body.error, res.status);
  if (!("result" in body)) throw protocolError(opts, res, "a JSON-RPC response without a result");
  return body.result;
}

// ---------------------------------------------------------------------------------------------
// Shapes: v1.0 wraps results (`{ task }`, `{ statusUpdate }`, …), v0.3 tags them with `kind`.

type A2aEvent =
  | { kind: "task"; value: Json }
  | { kind: "message"; value: Json }
  | { kind: "status"; value: Json }
  | { kind: "artifact"; value: Json };

function eventOf(result: unknown): A2aEvent | null {
  if (!isObject(result)) return null;
  if (isObject(result.task)) return { kind: "task", value: result.task };
  if (isObject(result.message)) return { kind: "message", value: result.message };
  if (isObject(result.statusUpdate)) return { kind: "status", value: result.statusUpdate };
  if (isObject(result.artifactUpdate)) return { kind: "artifact", value: result.artifactUpdate };
  switch (result.kind) {
    case "task":
      return { kind: "task", value: result };
    case "message":
      return { kind: "message", value: result };
    case "status-update":
      return { kind: "status", value: result };
    case "artifact-update":
      return { kind: "artifact", value: result };
  }
  // Unwrapped and untagged: recognize by shape.
  if (isObject(result.artifact)) return { kind: "artifact", value: result };
  if (Array.isArray(result.parts) && result.role !== undefined) return { kind: "message", value: result };
  if (isObject(result.status) && typeof result.id === "string") return { kind: "task", value: result };
  if (isObject(result.status)) return { kind: "status", value: result };
  return null;
}

/** Text of a part list: text parts as they are, data parts as JSON; files are skipped. */
function partsText(parts: unknown): string {
  if (!Array.isArray(parts)) return "";
  let text = "";
  for (const part of parts as unknown[]) {
    if (!isObject(part)) continue;
    if (typeof part.text === "string") text += part.text;
    else if (part.data !== undefined && (part.kind === undefined || part.kind === "data")) text += JSON.stringify(part.data);
  }
  return text;
}

function statusOf(value: Json): Json | undefined {
  return isObject(value.status) ? value.status : undefined;
}

function statusMessageText(status: Json | undefined): string {
  return status && isObject(status.message) ? partsText(status.message.parts) : "";
}

/** The answer carried by a task: its artifacts, else its status message. */
function taskText(task: Json): string {
  const artifacts = Array.isArray(task.artifacts) ? (task.artifacts as unknown[]) : [];
  const text = artifacts
    .map((artifact) => (isObject(artifact) ? partsText(artifact.parts) : ""))
    .filter(Boolean)
    .join("\n");
  return text || statusMessageText(statusOf(task));
}

/** "TASK_STATE_INPUT_REQUIRED" and "input-required" alike → "input-required". */
function stateOf(status: Json | undefined): string {
  const state = status?.state;
  if (typeof state !== "string") return "unknown";
  const plain = state.startsWith("TASK_STATE_") ? state.slice("TASK_STATE_".length).replace(/_/g, "-") : state;
  const lower = plain.toLowerCase();
  return lower === "cancelled" ? "canceled" : lower;
}

/** true = the answer is final; false = not yet; throws for a final state that is a failure. */
function isFinal(opts: UpstreamCallOptions, state: string, status: Json | undefined, httpStatus: number): boolean {
  switch (state) {
    case "completed":
    case "input-required":
      return true;
    case "failed":
    case "canceled":
    case "rejected":
    case "auth-required": {
      const retryable = state === "failed" || state === "canceled";
      const said = statusMessageText(status);
      const detail = said.length > 300 ? `${said.slice(0, 300)}…` : said;
      throw new UpstreamError(`${opts.agent.name}'s task ended ${state}${detail ? `: ${detail}` : ""}`, retryable ? "http_5xx" : "http_4xx", {
        status: httpStatus,
        retryable,
      });
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON answers

function answer(text: string, upstreamId: unknown): UpstreamResult {
  return { text, finishReason: "stop", usage: null, ttftMs: 0, upstreamId: typeof upstreamId === "string" && upstreamId ? upstreamId : undefined };
}

/**
 * The final answer from a SendMessage result, polling GetTask while the task is not final; ttftMs
 * runs to the response that carried the answer.
 */
async function untilFinal(
  result: unknown,
  res: UpstreamResponse,
  opts: UpstreamCallOptions,
  methods: Methods,
  v1: boolean,
  startedAt: number,
): Promise<UpstreamResult> {
  for (let delay = POLL_FIRST_MS; ; delay = Math.min(delay * 2, POLL_MAX_MS)) {
    const event = eventOf(result);
    if (event?.kind === "message") return { ...answer(partsText(event.value.parts), event.value.taskId), ttftMs: res.headersAt - startedAt };
    if (event?.kind !== "task") throw protocolError(opts, res, "a result that is neither a task nor a message");
    const task = event.value;
    const status = statusOf(task);
    if (isFinal(opts, stateOf(status), status, res.status)) return { ...answer(taskText(task), task.id), ttftMs: res.headersAt - startedAt };
    if (typeof task.id !== "string" || !task.id) throw protocolError(opts, res, "an unfinished task without an id");

    await sleep(delay, undefined, { signal: opts.signal });
    res = await postJson(opts, opts.agent.endpointUrl, headersFor(opts, v1, "application/json"), rpcBody(methods.get, { id: task.id }));
    if (res.status < 200 || res.status >= 300) throw await statusFailure(res, opts);
    result = rpcResult(await readJson(res, opts), res, opts);
    // GetTask answers the task itself, not a `{ task }` wrapper.
    if (isObject(result) && !isObject(result.task) && result.kind === undefined) result = { task: result };
  }
}

// ---------------------------------------------------------------------------------------------
// Streams

async function readStream(res: UpstreamResponse, opts: UpstreamCallOptions, startedAt: number): Promise<UpstreamResult> {
  let text = "";
  let ttftMs = -1;
  let taskId: unknown;
  let lastArtifactId: unknown;

  const emit = (piece: string) => {
    if (!piece) return;
    if (ttftMs < 0) ttftMs = performance.now() - startedAt;
    text += piece;
    deliver(opts, piece);
  };

  const outcome = await readSse(res, opts, { idleTimeoutMs: opts.idleTimeoutMs }, (data) => {
    let response: unknown;
    try {
      response = JSON.parse(data);
    } catch {
      throw protocolError(opts, res, "a stream event that is not JSON");
    }
    const event = eventOf(rpcResult(response, res, opts));
    if (!event) return false; // an event kind we do not know: skip it
    const value = event.value;
    taskId ??= event.kind === "task" ? value.id : value.taskId;
    switch (event.kind) {
      case "artifact": {
        const artifact = isObject(value.artifact) ? value.artifact : undefined;
        const piece = partsText(artifact?.parts);
        if (!piece) return false;
        // Chunks of one artifact append; a second artifact starts on a new line.
        const id = artifact?.artifactId;
        emit(text && lastArtifactId !== undefined && id !== lastArtifactId ? `\n${piece}` : piece);
        lastArtifactId = id;
        return false;
      }
      case "message":
        if (!text) emit(partsText(value.parts));
        return true;
      case "task": {
        const status = statusOf(value);
        if (!isFinal(opts, stateOf(status), status, res.status)) return false;
        if (!text) emit(taskText(value));
        return true;
      }
      case "status": {
        const status = statusOf(value);
        // v0.3 marks the last event `final`; v1.0 streams end at a final state.
        if (!isFinal(opts, stateOf(status), status, res.status) && value.final !== true) return false;
        if (!text) emit(statusMessageText(status));
        return true;
      }
    }
  });

  if (!outcome.complete) {
    if (outcome.events === 0) throw protocolError(opts, res, "a stream without any event");
    throw new UpstreamError(
      `${opts.agent.name} ended its stream before the task was final${text ? "" : " (no content yet)"}`,
      "stream_broken",
      { status: res.status, retryable: true },
    );
  }
  return { ...answer(text, taskId), ttftMs: ttftMs < 0 ? performance.now() - startedAt : ttftMs };
}
