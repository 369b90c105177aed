/** Small node:http helpers shared by the agents and the control API. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BehaviourController } from "./behaviour";

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Reads the whole body as text (at most MAX_BODY_BYTES). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyError("request body too large", 413);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads and parses a JSON body; an empty body is `undefined`. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError("request body is not valid JSON", 400);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** An AbortSignal that fires when the client goes away before the response is finished. */
export function responseSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort(new Error("client disconnected"));
  });
  return controller.signal;
}

/** The bearer token of a request, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

/** The path part of a request URL, without the query string or a trailing slash. */
export function requestPath(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const path = url.split("?", 1)[0] ?? "/";
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/** What a protocol module gets to build an agent's request listener. */
export interface AgentContext {
  /** The agent's origin, e.g. http://127.0.0.1:4102 (no trailing slash). */
  origin: string;
  behaviour: BehaviourController;
}

export type AgentListener = (req: IncomingMessage, res: ServerResponse) => void;
