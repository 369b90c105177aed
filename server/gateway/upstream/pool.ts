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
