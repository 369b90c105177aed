/**
 * Gateway plugins installed from the marketplace, on the request path. Each enabled install of a
 * gateway plugin is in the snapshot with its manifest's service URL, hook points and time budget,
 * the install's configuration (secrets decrypted) and fail mode, and the routes it applies to.
 *
 * A hook call is a JSON POST to the service; the service answers with what to do:
 *
 *   before_request  {hook, installId, config, request: {route, model, messages, maxTokens, stream, subject}}
 *                   → {"action":"allow"} | {"action":"deny","message"} | {"action":"rewrite","messages":[…]}
 *   after_response  {…, response: {text}} → allow | deny | {"action":"rewrite","text"}      (JSON answers)
 *   stream_chunk    {…, chunk: {index, text}} → allow | deny | {"action":"rewrite","text"} (each streamed piece)
 *
 * A call that does not answer within the manifest's timeoutMs, fails, or answers with anything
 * else is a failure: fail-open installs let the request through unchanged, fail-closed installs
 * refuse it (502). Nothing a plugin does can crash the gateway. Every call is summed up per
 * install and hook in the request's telemetry row (calls, time, results).
 */
import { z } from "zod";
import type { Dispatcher } from "undici";
import { HttpError } from "./http";
import { dispatchTarget, upstreamDispatcher } from "./upstream/pool";
import type { PrismaClient } from "@/server/generated/prisma/client";
import { gatewayPluginManifest } from "@/server/marketplace/manifest";
import { unsealSecrets } from "@/server/marketplace/installs/secrets";
import type { ChatMessage, ChatRequest, Snapshot, SnapshotRoute } from "./types";

export type HookPoint = "before_request" | "after_response" | "stream_chunk";

export interface SnapshotPlugin {
  installId: string;
  orgId: string;
  /** The listing's name and the installed version, for messages and telemetry. */
  name: string;
  version: string;
  serviceUrl: string;
  hooks: ReadonlySet<HookPoint>;
  timeoutMs: number;
  failMode: "open" | "closed";
  /** Routes it applies to; null = every route of the organization. */
  routeIds: ReadonlySet<string> | null;
  config: Record<string, unknown>;
  /** Why the install cannot be called (e.g. its secrets do not decrypt); every call then fails. */
  unusable?: string;
}

/** The largest answer read from a plugin service. */
const MAX_PLUGIN_RESPONSE_BYTES = 1024 * 1024;
const MAX_MESSAGE = 500;

const rewrittenMessage = z.object({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.string().max(1_000_000),
  name: z.string().max(256).optional(),
});

const verdictSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("allow") }),
  z.object({ action: z.literal("deny"), message: z.string().optional() }),
  z.object({ action: z.literal("rewrite"), messages: z.array(rewrittenMessage).min(1).max(4096).optional(), text: z.string().max(10_000_000).optional() }),
]);
type Verdict = z.infer<typeof verdictSchema>;

export type CallResult = "allow" | "deny" | "rewrite" | "timeout" | "error" | "invalid";

/** One install's calls of one hook during a request, as the telemetry row keeps them. */
export interface PluginCallSummary {
  installId: string;
  plugin: string;
  hook: HookPoint;
  calls: number;
  totalMs: number;
  maxMs: number;
  results: Partial<Record<CallResult, number>>;
  /** The last failure's reason, when there was one. */
  error?: string;
}

/** Every enabled gateway plugin install, by organization, in install order. */
export async function loadPlugins(db: PrismaClient, warn: (message: string) => void): Promise<Map<string, SnapshotPlugin[]>> {
  const rows = await db.install.findMany({
    where: { enabled: true, listing: { kind: "GATEWAY_PLUGIN" } },
    select: { id: true, orgId: true, config: true, secrets: true, routeIds: true, failMode: true, listing: { select: { name: true } }, version: { select: { version: true, manifest: true } } },
    orderBy: [{ orgId: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  const byOrg = new Map<string, SnapshotPlugin[]>();
  for (const row of rows) {
    const manifest = gatewayPluginManifest.safeParse(row.version.manifest);
    if (!manifest.success) {
      warn(`plugin install ${row.id} (${row.listing.name} ${row.version.version}) is skipped: its manifest no longer validates`);
      continue;
    }
    let secrets: Record<string, string> = {};
    let unusable: string | undefined;
    try {
      secrets = unsealSecrets(row.id, row.secrets);
    } catch (error) {
      unusable = "has secrets this gateway cannot decrypt (was HELIX_ENCRYPTION_KEY changed? configure the install again)";
      warn(`plugin install ${row.id} (${row.listing.name}) ${unusable}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const m = manifest.data;
    const plugin: SnapshotPlugin = {
      installId: row.id,
      orgId: row.orgId,
      name: row.listing.name,
      version: row.version.version,
      serviceUrl: m.serviceUrl,
      hooks: new Set(m.hooks),
      timeoutMs: m.timeoutMs,
      failMode: row.failMode === "CLOSED" ? "closed" : row.failMode === "OPEN" ? "open" : m.failMode,
      routeIds: row.routeIds.length ? new Set(row.routeIds) : null,
      config: { ...((row.config ?? {}) as Record<string, unknown>), ...secrets },
      ...(unusable ? { unusable } : {}),
    };
    const list = byOrg.get(row.orgId) ?? [];
    list.push(plugin);
    byOrg.set(row.orgId, list);
  }
  return byOrg;
}

/** The plugins of an organization that apply to a route and implement a hook. */
export function pluginsFor(snapshot: Snapshot, route: SnapshotRoute, hook: HookPoint): SnapshotPlugin[] {
  const all = snapshot.plugins.get(route.orgId);
  if (!all) return [];
  return all.filter((p) => p.hooks.has(hook) && (p.routeIds === null || p.routeIds.has(route.id)));
}

/** A request a plugin refused, or one a fail-closed plugin could not vouch for. */
export class PluginRefusal extends HttpError {}

/** Records the calls of one request, summed per install and hook. */
export class PluginCallLog {
  private readonly byKey = new Map<string, PluginCallSummary>();

  note(plugin: SnapshotPlugin, hook: HookPoint, ms: number, result: CallResult, error?: string): void {
    const key = `${plugin.installId}:${hook}`;
    let s = this.byKey.get(key);
    if (!s) this.byKey.set(key, (s = { installId: plugin.installId, plugin: plugin.name, hook, calls: 0, totalMs: 0, maxMs: 0, results: {} }));
    s.calls++;
    s.totalMs = Math.round((s.totalMs + ms) * 1000) / 1000;
    s.maxMs = Math.max(s.maxMs, Math.round(ms * 1000) / 1000);
    s.results[result] = (s.results[result] ?? 0) + 1;
    if (error) s.error = error.slice(0, 300);
  }

  get empty(): boolean {
    return this.byKey.size === 0;
  }

  summaries(): PluginCallSummary[] {
    return [...this.byKey.values()];
  }
}

/** An answer past MAX_PLUGIN_RESPONSE_BYTES: read no further. */
class TooLarge extends Error {}

/** Reads a plugin's answer, up to MAX_PLUGIN_RESPONSE_BYTES (checked against Content-Length first). */
async function readCapped(body: Dispatcher.ResponseData["body"], contentLength: string | string[] | undefined): Promise<string> {
  if (typeof contentLength === "string" && Number(contentLength) > MAX_PLUGIN_RESPONSE_BYTES) {
    body.destroy();
    throw new TooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_PLUGIN_RESPONSE_BYTES) {
      body.destroy();
      throw new TooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Calls one hook of one plugin. Never throws: a failure comes back as `{ failed }` with the reason,
 * and the caller applies the install's fail mode. The call goes through the gateway's upstream
 * connection pool (keep-alive per origin), as calls to agents do; redirects are not followed.
 */
export async function callHook(
  plugin: SnapshotPlugin,
  hook: HookPoint,
  payload: Record<string, unknown>,
  log: PluginCallLog,
  signal?: AbortSignal,
): Promise<{ verdict: Verdict } | { failed: string }> {
  if (plugin.unusable) {
    log.note(plugin, hook, 0, "error", plugin.unusable);
    return { failed: plugin.unusable };
  }
  const started = performance.now();
  const budget = AbortSignal.timeout(plugin.timeoutMs);
  const abort = signal ? AbortSignal.any([budget, signal]) : budget;
  let result: CallResult = "error";
  let reason: string | undefined;
  try {
    const target = dispatchTarget(plugin.serviceUrl);
    if (!target) throw new Error("its service URL is not an http(s) URL");
    const { origin, path } = target;
    const response = await upstreamDispatcher().request({
      origin,
      path,
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-helix-hook": hook, "x-helix-install": plugin.installId },
      body: JSON.stringify({ hook, installId: plugin.installId, config: plugin.config, ...payload }),
      signal: abort,
    });
    const text = await readCapped(response.body, response.headers["content-length"]);
    if (response.statusCode < 200 || response.statusCode > 299) {
      reason = `answered HTTP ${response.statusCode}`;
      return { failed: reason };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      result = "invalid";
      reason = "answered with something that is not JSON";
      return { failed: reason };
    }
    const parsed = verdictSchema.safeParse(json);
    if (!parsed.success || (parsed.data.action === "rewrite" && (hook === "before_request" ? !parsed.data.messages : parsed.data.text === undefined))) {
      result = "invalid";
      reason = `answered with JSON that is not a verdict (expected {"action":"allow"|"deny"|"rewrite", …} for ${hook})`;
      return { failed: reason };
    }
    result = parsed.data.action;
    return { verdict: parsed.data };
  } catch (error) {
    if (error instanceof TooLarge) {
      result = "invalid";
      reason = `answered with more than ${MAX_PLUGIN_RESPONSE_BYTES} bytes`;
    } else if (budget.aborted) {
      result = "timeout";
      reason = `did not answer within ${plugin.timeoutMs} ms`;
    } else if (signal?.aborted) {
      reason = "the client went away";
    } else {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      reason = `could not be reached (${cause instanceof Error ? cause.message : String(cause)})`;
    }
    return { failed: reason };
  } finally {
    log.note(plugin, hook, performance.now() - started, result, reason);
  }
}

function refusedBy(plugin: SnapshotPlugin, message: string | undefined): PluginRefusal {
  const said = (message ?? "").trim().slice(0, MAX_MESSAGE);
  return new PluginRefusal(403, said ? `Refused by the gateway plugin "${plugin.name}": ${said}` : `Refused by the gateway plugin "${plugin.name}".`, "permission_error", "plugin_denied");
}

function failedClosed(plugin: SnapshotPlugin, hook: HookPoint, reason: string): PluginRefusal {
  return new PluginRefusal(
    502,
    `The gateway plugin "${plugin.name}" ${reason} during ${hook} and is set to fail closed, so the request was refused. Check the plugin's service, or set the install to fail open.`,
    "server_error",
    "plugin_failed",
  );
}

function requestView(route: SnapshotRoute, request: ChatRequest, subject: string | null) {
  return { route: route.alias, model: request.model, messages: request.messages, maxTokens: request.maxTokens ?? null, stream: request.stream, subject };
}

/** Runs before_request hooks in install order; returns the (possibly rewritten) request or throws PluginRefusal. */
export async function runBeforeRequest(opts: {
  plugins: readonly SnapshotPlugin[];
  route: SnapshotRoute;
  request: ChatRequest;
  subject: string | null;
  log: PluginCallLog;
  signal?: AbortSignal;
}): Promise<ChatRequest> {
  let request = opts.request;
  for (const plugin of opts.plugins) {
    const outcome = await callHook(plugin, "before_request", { request: requestView(opts.route, request, opts.subject) }, opts.log, opts.signal);
    if ("failed" in outcome) {
      if (plugin.failMode === "closed") throw failedClosed(plugin, "before_request", outcome.failed);
      continue;
    }
    const v = outcome.verdict;
    if (v.action === "deny") throw refusedBy(plugin, v.message);
    if (v.action === "rewrite" && v.messages) {
      request = { ...request, messages: v.messages.map((m): ChatMessage => ({ role: m.role, content: m.content, ...(m.name ? { name: m.name } : {}) })) };
    }
  }
  return request;
}

/** Runs after_response hooks over a whole answer; returns the (possibly rewritten) text or throws PluginRefusal. */
export async function runAfterResponse(opts: {
  plugins: readonly SnapshotPlugin[];
  route: SnapshotRoute;
  request: ChatRequest;
  subject: string | null;
  text: string;
  log: PluginCallLog;
  signal?: AbortSignal;
}): Promise<string> {
  let text = opts.text;
  for (const plugin of opts.plugins) {
    const outcome = await callHook(plugin, "after_response", { request: requestView(opts.route, opts.request, opts.subject), response: { text } }, opts.log, opts.signal);
    if ("failed" in outcome) {
      if (plugin.failMode === "closed") throw failedClosed(plugin, "after_response", outcome.failed);
      continue;
    }
    const v = outcome.verdict;
    if (v.action === "deny") throw refusedBy(plugin, v.message);
    if (v.action === "rewrite" && v.text !== undefined) text = v.text;
  }
  return text;
}

/**
 * Passes streamed text through stream_chunk hooks, one piece at a time and in order: `push` queues
 * a piece, `drain` waits until every queued piece is written. After a refusal (or a fail-closed
 * failure) nothing more is written and `drain` throws it.
 */
export function pluginStream(opts: {
  plugins: readonly SnapshotPlugin[];
  route: SnapshotRoute;
  request: ChatRequest;
  subject: string | null;
  log: PluginCallLog;
  write: (text: string) => void;
  signal?: AbortSignal;
}): { push: (text: string) => void; drain: () => Promise<void> } {
  let queue = Promise.resolve();
  let refusal: PluginRefusal | null = null;
  let index = 0;
  const request = { route: opts.route.alias, model: opts.request.model, subject: opts.subject };
  const process = async (piece: string, at: number) => {
    let text = piece;
    for (const plugin of opts.plugins) {
      if (refusal) return;
      const outcome = await callHook(plugin, "stream_chunk", { request, chunk: { index: at, text } }, opts.log, opts.signal);
      if ("failed" in outcome) {
        if (plugin.failMode === "closed") refusal = failedClosed(plugin, "stream_chunk", outcome.failed);
        continue;
      }
      const v = outcome.verdict;
      if (v.action === "deny") refusal = refusedBy(plugin, v.message);
      else if (v.action === "rewrite" && v.text !== undefined) text = v.text;
    }
    if (!refusal && text) opts.write(text);
  };
  return {
    push(text: string) {
      if (!text || refusal) return;
      const at = index++;
      queue = queue.then(() => process(text, at));
    },
    async drain() {
      await queue;
      if (refusal) throw refusal;
    },
  };
}
