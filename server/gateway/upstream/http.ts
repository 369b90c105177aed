/**
 * What both outbound adapters share: sending the POST, reading bounded bodies, and turning every
 * failure (socket errors, aborts, HTTP statuses, garbage) into an UpstreamError with the right class.
 */
import type { Dispatcher } from "undici";
import { UpstreamError, type SnapshotAgent, type UpstreamCallOptions } from "../types";
import { dispatchTarget, upstreamDispatcher, type DispatchTarget } from "./pool";

/** Largest JSON answer, and largest stream in total, accepted from an agent. */
export const MAX_UPSTREAM_BYTES = 8 * 1024 * 1024;
/** How much of an error answer is read to find the agent's message. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_ERROR_MESSAGE_CHARS = 300;

export type UpstreamBody = Dispatcher.ResponseData["body"];

export interface UpstreamResponse {
  status: number;
  contentType: string;
  body: UpstreamBody;
  /** Content-Length as announced (NaN when absent: chunked). */
  contentLength: number;
  /** performance.now() when the headers arrived. */
  headersAt: number;
}

function targetOf(agent: SnapshotAgent, url: string): DispatchTarget {
  const target = dispatchTarget(url);
  if (target) return target;
  throw new UpstreamError(URL.canParse(url) ? `${agent.name} has a non-HTTP endpoint URL` : `${agent.name} has an invalid endpoint URL`, "connect", { retryable: true });
}

/** Headers every call carries: JSON body, what we accept, trace context and the credential. */
export function baseHeaders(opts: UpstreamCallOptions, accept: string): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", accept };
  if (opts.traceparent) headers.traceparent = opts.traceparent;
  const credential = opts.agent.credential;
  if (credential) headers[credential.header] = credential.value;
  return headers;
}

/** POSTs `body` and resolves at the response headers; failures before them are classified here. */
export async function postJson(
  opts: UpstreamCallOptions,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<UpstreamResponse> {
  const { origin, path } = targetOf(opts.agent, url);
  if (opts.signal.aborted) throw failure(opts.signal.reason, opts, "connect");
  try {
    const res = await upstreamDispatcher().request({ origin, path, method: "POST", headers, body, signal: opts.signal });
    const type = res.headers["content-type"];
    const length = res.headers["content-length"];
    return {
      status: res.statusCode,
      contentType: (Array.isArray(type) ? type[0] : type) ?? "",
      contentLength: typeof length === "string" ? Number(length) : NaN,
      body: res.body,
      headersAt: performance.now(),
    };
  } catch (error) {
    throw failure(error, opts, "connect");
  }
}

/** Hands a piece of answer text to the caller; a failing consumer ends the call as "aborted". */
export function deliver(opts: UpstreamCallOptions, text: string): void {
  if (!opts.onDelta) return;
  try {
    opts.onDelta(text);
  } catch (error) {
    throw new UpstreamError(`the consumer of ${opts.agent.name}'s stream failed`, "aborted", { retryable: false, cause: error });
  }
}

export function protocolError(opts: UpstreamCallOptions, res: UpstreamResponse, what: string): UpstreamError {
  return new UpstreamError(`${opts.agent.name} answered ${what}`, "protocol", { status: res.status, retryable: true });
}

export function isJson(contentType: string): boolean {
  return contentType.includes("json");
}

/**
 * Reads the whole body, failing with "protocol" beyond `limit` bytes (checked against
 * Content-Length first, so an announced oversize body is not read at all).
 */
export async function readBody(res: UpstreamResponse, opts: UpstreamCallOptions, limit = MAX_UPSTREAM_BYTES): Promise<Buffer> {
  const { body } = res;
  const tooLarge = () =>
    new UpstreamError(`${opts.agent.name} answered more than ${limit} bytes`, "protocol", { status: res.status, retryable: true });
  if (res.contentLength > limit) {
    body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(); // leaving the loop destroys the body
      chunks.push(chunk);
    }
  } catch (error) {
    throw failure(error, opts, "body", res.status);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

/** Reads and parses a JSON body; garbage or oversize → "protocol". */
export async function readJson(res: UpstreamResponse, opts: UpstreamCallOptions): Promise<unknown> {
  const buffer = await readBody(res, opts);
  try {
    return JSON.parse(buffer.toString("utf8"));
  } catch (error) {
    throw new UpstreamError(`${opts.agent.name} answered something that is not JSON`, "protocol", {
      status: res.status,
      retryable: true,
      cause: error,
    });
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The agent's own words from an error body (OpenAI `error.message`, JSON-RPC `error.message`, …). */
export function errorMessageOf(parsed: unknown, raw: string): string {
  let message: unknown;
  if (isObject(parsed)) {
    const error = parsed.error;
    message = isObject(error) ? error.message : typeof error === "string" ? error : (parsed.message ?? parsed.detail);
  }
  const text = typeof message === "string" && message.trim() ? message.trim() : raw.trim();
  return text.length > MAX_ERROR_MESSAGE_CHARS ? `${text.slice(0, MAX_ERROR_MESSAGE_CHARS)}…` : text;
}

/** The error class an HTTP status stands for. */
export function statusClass(status: number): { errorClass: UpstreamError["errorClass"]; retryable: boolean } {
  if (status === 429) return { errorClass: "http_429", retryable: true };
  if (status >= 500) return { errorClass: "http_5xx", retryable: true };
  if (status >= 400) return { errorClass: "http_4xx", retryable: false };
  return { errorClass: "protocol", retryable: true };
}

/** Consumes a non-2xx answer (up to a small limit): an UpstreamError carrying the agent's message. */
export async function statusFailure(res: UpstreamResponse, opts: UpstreamCallOptions): Promise<UpstreamError> {
  let raw = "";
  try {
    raw = await readPrefix(res.body, MAX_ERROR_BODY_BYTES);
  } catch (error) {
    if (opts.signal.aborted) return failure(error, opts, "connect");
    // The status says enough; a broken error body does not change the class.
  }
  let parsed: unknown;
  try {
    parsed = raw ? JSON.parse(raw) : undefined;
  } catch {
    parsed = undefined;
  }
  const detail = errorMessageOf(parsed, raw);
  const { errorClass, retryable } = statusClass(res.status);
  return new UpstreamError(`${opts.agent.name} answered HTTP ${res.status}${detail ? `: ${detail}` : ""}`, errorClass, {
    status: res.status,
    retryable,
  });
}

/** Up to `limit` bytes of the body as text; the rest is discarded (the socket is then closed). */
async function readPrefix(body: UpstreamBody, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks, Math.min(size, limit)).toString("utf8");
}

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; isErrorLike(e) && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

function isErrorLike(value: unknown): value is { code?: unknown; cause?: unknown; message?: unknown; name?: unknown } {
  return typeof value === "object" && value !== null;
}

function isTimeoutReason(reason: unknown): boolean {
  return isErrorLike(reason) && reason.name === "TimeoutError";
}

/**
 * Classifies any failure. `phase` says where it happened: before the response ("connect"), while
 * reading a JSON answer ("body") or after a stream had started ("stream").
 */
export function failure(
  error: unknown,
  opts: Pick<UpstreamCallOptions, "agent" | "signal">,
  phase: "connect" | "body" | "stream",
  status?: number,
): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const name = opts.agent.name;
  if (opts.signal.aborted) {
    return isTimeoutReason(opts.signal.reason)
      ? new UpstreamError(`${name} did not answer in time`, "timeout", { status, retryable: true, cause: error })
      : new UpstreamError(`the call to ${name} was aborted`, "aborted", { status, retryable: false, cause: error });
  }
  const code = codeOf(error);
  const detail = code ?? (isErrorLike(error) && typeof error.message === "string" ? error.message : String(error));
  if (code?.startsWith("HPE_") || (isErrorLike(error) && error.name === "HTTPParserError")) {
    return new UpstreamError(`${name} answered invalid HTTP (${detail})`, "protocol", { status, retryable: true, cause: error });
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new UpstreamError(`${name} did not answer in time (${detail})`, "timeout", { status, retryable: true, cause: error });
  }
  if (phase === "stream") {
    return new UpstreamError(`${name} broke off its stream (${detail})`, "stream_broken", { status, retryable: true, cause: error });
  }
  // Refused, reset, DNS, connect timeout, or a socket that died under a JSON answer: the attempt
  // got nothing usable, so another attempt (here or elsewhere) is worth it.
  const what = phase === "connect" ? "could not reach" : "lost the connection to";
  return new UpstreamError(`${what} ${name} (${detail})`, "connect", { status, retryable: true, cause: error });
}
