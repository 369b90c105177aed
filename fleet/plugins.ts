/**
 * Gateway plugin services of the demo fleet, served by its control API under /plugins/… (the
 * gateway POSTs hook calls there; see "Gateway plugins" in the README for the protocol):
 *
 *   POST /plugins/keyword-blocker   before_request: deny a request whose messages mention one of
 *                                   config.keywords (comma-separated or a list, case-insensitive);
 *                                   after_response / stream_chunk: rewrite the keywords to [blocked]
 *   POST /plugins/prompt-prefix     before_request: rewrite — a system message config.prefix first
 *   POST /plugins/faulty?mode=…     a plugin that misbehaves on purpose, for fail-open / fail-closed:
 *                                   hang (never answers), error (500), garbage (200, not JSON),
 *                                   invalid (200, JSON of the wrong shape), slow&ms=N (allow after N ms)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { readJson, sendJson } from "./http";

const message = z.object({ role: z.string(), content: z.string() }).passthrough();

/** What the gateway sends (only the fields these plugins read; the rest passes). */
const hookCall = z
  .object({
    hook: z.enum(["before_request", "after_response", "stream_chunk"]),
    config: z.record(z.string(), z.unknown()).default({}),
    request: z.object({ messages: z.array(message).default([]) }).passthrough(),
    response: z.object({ text: z.string() }).optional(),
    chunk: z.object({ text: z.string() }).optional(),
  })
  .passthrough();
type HookCall = z.infer<typeof hookCall>;

function keywordsOf(config: Record<string, unknown>): string[] {
  const raw = config.keywords;
  const list = Array.isArray(raw) ? raw.filter((k): k is string => typeof k === "string") : typeof raw === "string" ? raw.split(",") : [];
  return list.map((k) => k.trim().toLowerCase()).filter((k) => k.length > 0);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function keywordBlocker(call: HookCall): unknown {
  const keywords = keywordsOf(call.config);
  if (keywords.length === 0) return { action: "allow" };
  if (call.hook === "before_request") {
    const text = call.request.messages.map((m) => m.content.toLowerCase()).join("\n");
    const hit = keywords.find((k) => text.includes(k));
    if (!hit) return { action: "allow" };
    const configured = typeof call.config.message === "string" && call.config.message.trim() ? call.config.message.trim() : "This request mentions a blocked keyword.";
    return { action: "deny", message: `${configured} (keyword: "${hit}")` };
  }
  const text = call.hook === "after_response" ? call.response?.text : call.chunk?.text;
  if (text === undefined) return { action: "allow" };
  const pattern = new RegExp(keywords.map(escapeRegExp).join("|"), "gi");
  const rewritten = text.replace(pattern, "[blocked]");
  return rewritten === text ? { action: "allow" } : { action: "rewrite", text: rewritten };
}

function promptPrefix(call: HookCall): unknown {
  const prefix = typeof call.config.prefix === "string" ? call.config.prefix.trim() : "";
  if (call.hook !== "before_request" || !prefix) return { action: "allow" };
  return { action: "rewrite", messages: [{ role: "system", content: prefix }, ...call.request.messages] };
}

/** Answers /plugins/… paths; returns false for any other path. */
export async function handlePluginRequest(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean> {
  const name = /^\/plugins\/([a-z-]+)$/.exec(path)?.[1];
  if (!name) return false;
  if (req.method !== "POST") {
    sendJson(res, 405, { error: "Use POST." }, { allow: "POST" });
    return true;
  }
  const parsed = hookCall.safeParse(await readJson(req));
  if (!parsed.success) {
    sendJson(res, 400, { error: `Not a hook call: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`.trim() });
    return true;
  }
  switch (name) {
    case "keyword-blocker":
      sendJson(res, 200, keywordBlocker(parsed.data));
      return true;
    case "prompt-prefix":
      sendJson(res, 200, promptPrefix(parsed.data));
      return true;
    case "faulty":
      await faulty(res, query);
      return true;
    default:
      sendJson(res, 404, { error: `Unknown plugin: ${name}` });
      return true;
  }
}

async function faulty(res: ServerResponse, query: URLSearchParams): Promise<void> {
  const mode = query.get("mode") ?? "error";
  switch (mode) {
    case "hang":
      // Never answers; the gateway's time budget has to end the call. Closed when the caller goes.
      await new Promise<void>((resolve) => res.once("close", () => resolve()));
      return;
    case "garbage":
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{ this is not json");
      return;
    case "invalid":
      sendJson(res, 200, { action: "explode", why: 42 });
      return;
    case "slow": {
      const ms = Math.min(Math.max(Number(query.get("ms")) || 100, 0), 30_000);
      await new Promise((resolve) => setTimeout(resolve, ms));
      sendJson(res, 200, { action: "allow" });
      return;
    }
    default:
      sendJson(res, 500, { error: "the faulty plugin failed, as asked" });
  }
}
