import { DiscoveryError } from "./errors";
import { safeFetch, shownUrl, type SafeFetchOptions, type SafeResponse } from "../net/safe-fetch";

export interface JsonRpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcReply {
  status: number;
  headers: Headers;
  /** The JSON-RPC response to our request, or null when the body held none. */
  message: { result?: unknown; error?: JsonRpcError } | null;
}

/**
 * POSTs one JSON-RPC request over safeFetch and reads its response from either a JSON body or an
 * SSE stream (Streamable HTTP allows both), stopping at the response so a stream left open does
 * not hold the caller. HTTP errors are returned, not thrown: callers judge what they mean.
 */
export async function postJsonRpc(
  url: string,
  request: { id: number | string; method: string; params?: unknown },
  opts: Omit<SafeFetchOptions, "method" | "body"> & { headers?: Record<string, string> },
): Promise<JsonRpcReply> {
  const res = await safeFetch(url, {
    ...opts,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...opts.headers },
    body: JSON.stringify({ jsonrpc: "2.0", ...request }),
  });
  const type = res.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  const message = type === "text/event-stream" ? await fromEventStream(res, request.id) : await fromJsonBody(res, request.id);
  return { status: res.status, headers: res.headers, message };
}

function pick(value: unknown, id: number | string): JsonRpcReply["message"] {
  const candidates = Array.isArray(value) ? value : [value];
  for (const c of candidates) {
    if (c && typeof c === "object" && ("result" in c || "error" in c)) {
      const m = c as { id?: unknown; result?: unknown; error?: unknown };
      if ("error" in m) {
        const error = m.error as Partial<JsonRpcError> | null;
        // Only a JSON-RPC error object counts (not a web framework's `{ "error": "not found" }`);
        // errors about a request the server could not read carry no id.
        if (!error || typeof error !== "object" || typeof error.code !== "number") continue;
        if (m.id !== id && m.id != null) continue;
        return { error: { code: error.code, message: String(error.message ?? ""), data: error.data } };
      }
      if (m.id !== id) continue;
      return { result: m.result };
    }
  }
  return null;
}

async function fromJsonBody(res: SafeResponse, id: number | string): Promise<JsonRpcReply["message"]> {
  const text = (await res.text()).trim();
  if (!text) return null;
  try {
    return pick(JSON.parse(text), id);
  } catch (cause) {
    if (!res.ok) return null;
    throw new DiscoveryError("not_json", `${shownUrl(res.url)} answered a JSON-RPC request with something that is not JSON. Check that the URL is the agent's endpoint.`, { cause });
  }
}

async function fromEventStream(res: SafeResponse, id: number | string): Promise<JsonRpcReply["message"]> {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const events = buffer.split(/\r?\n\r?\n|\r\r/);
      buffer = done ? "" : (events.pop() ?? "");
      for (const event of events) {
        const data = event
          .split(/\r?\n|\r/)
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (!data) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data);
        } catch {
          continue;
        }
        const message = pick(parsed, id);
        if (message) return message;
      }
      if (done) return null;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
