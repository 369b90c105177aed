/** node:http helpers for the gateway: bounded body reading, JSON answers, OpenAI-shaped errors, trace context. */
import { randomFillSync } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Reads the whole body, refusing more than `limit` bytes with a 413 (and stopping to read). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume(); // drain and discard the rest; the answer says why
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new HttpError(400, `The request body could not be read: ${error.message}`, "invalid_request_error", "body_unreadable"));
    };
    const onAborted = () => {
      cleanup();
      reject(new HttpError(400, "The client closed the connection before sending the whole body", "invalid_request_error", "body_incomplete"));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `The request body is larger than ${limit} bytes. Send a shorter conversation.`, "invalid_request_error", "request_too_large");
}

/** Parses a JSON body; a body that is not JSON is a 400 that says so. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new HttpError(400, "The request has no body. Send a JSON object.", "invalid_request_error", "body_missing");
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new HttpError(
      400,
      `The request body is not valid JSON (${error instanceof Error ? error.message : "parse error"}). Send a JSON object with Content-Type: application/json.`,
      "invalid_request_error",
      "invalid_json",
    );
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const text = JSON.stringify(body);
  // Assigned rather than spread into a new object: spreading header objects is the slow path in V8.
  headers["content-type"] = "application/json; charset=utf-8";
  headers["content-length"] = Buffer.byteLength(text);
  res.writeHead(status, headers);
  res.end(text);
}

export function openAiErrorBody(e: { message: string; type: string; code: string | null; param?: string | null }) {
  return { error: { message: e.message, type: e.type, param: e.param ?? null, code: e.code } };
}

export function sendError(res: ServerResponse, error: HttpError, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { ...openAiErrorBody(error), ...extra }, Object.assign({}, headers, error.headers));
}

export interface TraceContext {
  traceId: string;
  /** traceparent to send upstream: the client's trace with a new span of ours. */
  traceparent: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Random bytes for trace and span ids, drawn from a pool refilled 8 KiB at a time (one syscall, not one per request). */
const pool = Buffer.allocUnsafe(8192);
let poolOffset = pool.length;

export function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString("hex", poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/** W3C trace context: continue the client's trace when it sent a valid traceparent, else start one. */
export function traceContext(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  const traceId = match && !/^0+$/.test(match[1]!) ? match[1]! : randomHex(16);
  const flags = match?.[3] ?? "01";
  return { traceId, traceparent: `00-${traceId}-${randomHex(8)}-${flags}` };
}

/** The bearer token (or x-api-key) of a request. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return match?.[1] ?? auth.trim();
  }
  const apiKey = req.headers["x-api-key"];
  return typeof apiKey === "string" && apiKey.trim() ? apiKey.trim() : undefined;
}
