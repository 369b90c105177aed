/**
 * The one undici dispatcher every outbound call goes through: keep-alive connections per agent
 * origin, a bounded connection count and a connect timeout. Header and body timeouts are off here
 * on purpose: each call carries its own AbortSignal (attempt timeout, deadline, client leaving)
 * and streams have their own idle timer, which say more precisely what went wrong.
 */
import { Agent } from "undici";

export const UPSTREAM_CONNECTIONS_PER_ORIGIN = 128;
export const UPSTREAM_CONNECT_TIMEOUT_MS = 5_000;
/** How long an idle keep-alive socket is kept when the agent does not say (`Keep-Alive: timeout=`). */
export const UPSTREAM_KEEP_ALIVE_MS = 30_000;

let dispatcher: Agent | null = null;

/** Where the dispatcher sends a call: the URL's origin, and its path with the query. */
export interface DispatchTarget {
  origin: string;
  path: string;
}

// Agent endpoints and plugin services come from the snapshot and repeat on every call: parse each once.
const targets = new Map<string, DispatchTarget>();
const MAX_CACHED_TARGETS = 1_024;

/** An http(s) URL split for the dispatcher (cached); null when it is not a URL or not http(s). */
export function dispatchTarget(url: string): DispatchTarget | null {
  const cached = targets.get(url);
  if (cached) return cached;
  const parsed = URL.parse(url);
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) return null;
  const target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
  if (targets.size >= MAX_CACHED_TARGETS) targets.clear();
  targets.set(url, target);
  return target;
}

/** The shared dispatcher, created on first use (and again after closeUpstreams). */
export function upstreamDispatcher(): Agent {
  dispatcher ??= new Agent({
    connections: UPSTREAM_CONNECTIONS_PER_ORIGIN,
    keepAliveTimeout: UPSTREAM_KEEP_ALIVE_MS,
    keepAliveMaxTimeout: 10 * 60_000,
    connect: { timeout: UPSTREAM_CONNECT_TIMEOUT_MS },
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  return dispatcher;
}

/**
 * Closes every upstream connection. Graceful by default (calls in flight finish first);
 * `force` cuts them (their callers get an UpstreamError).
 */
export async function closeUpstreams(options: { force?: boolean } = {}): Promise<void> {
  const current = dispatcher;
  dispatcher = null;
  if (!current) return;
  if (options.force) await current.destroy();
  else await current.close();
}
