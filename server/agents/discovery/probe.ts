import { DomainError } from "@/server/errors/domain-error";
import { PROBE_TIMEOUT_MS, parseAgentUrl, safeFetch, shownUrl } from "../net/safe-fetch";
import { a2aCardHeaders } from "./a2a";
import { credentialHeaderNames, credentialHeaders } from "./credential";
import { DiscoveryError } from "./errors";
import { postJsonRpc } from "./jsonrpc";
import { statelessCall } from "./mcp-stateless";
import { CLIENT_INFO } from "./mcp-tools";
import type { AgentProtocol, Credential, NetworkPolicy } from "./types";

export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  statusCode: number | null;
  error: string | null;
}

interface ProbeOptions {
  protocol: AgentProtocol;
  endpointUrl: string;
  credential?: Credential | null;
  network: NetworkPolicy;
  timeoutMs?: number;
}

type Outcome = Omit<ProbeResult, "latencyMs">;

/**
 * Is the agent up? One cheap, protocol-appropriate request (OpenAI `GET /models`, A2A its card, MCP
 * `initialize`, or `server/discover` for a 2026-07-28 server), timed. Network failures and bad
 * answers come back as `ok: false` with a readable error; only programming errors throw.
 */
export async function probeHealth(opts: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  let outcome: Outcome;
  try {
    const o = { ...opts, timeoutMs };
    outcome = opts.protocol === "OPENAI" ? await probeOpenAI(o) : opts.protocol === "A2A" ? await probeA2A(o) : await probeMcp(o);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    outcome = { ok: false, statusCode: e instanceof DiscoveryError ? e.status : null, error: e.message };
  }
  return { ...outcome, latencyMs: Math.max(0, Math.round(performance.now() - started)) };
}

const answered = (url: string, status: number, statusText = "") => `${shownUrl(url)} answered ${status}${statusText ? ` ${statusText}` : ""}`;

async function probeOpenAI(opts: ProbeOptions & { timeoutMs: number }): Promise<Outcome> {
  const url = `${parseAgentUrl(opts.endpointUrl).href.replace(/\/+$/, "")}/models`;
  const res = await safeFetch(url, {
    network: opts.network,
    timeoutMs: opts.timeoutMs,
    headers: { accept: "application/json", ...credentialHeaders("OPENAI", opts.credential) },
    secretHeaders: credentialHeaderNames(opts.credential),
  });
  await res.discard();
  return { ok: res.ok, statusCode: res.status, error: res.ok ? null : answered(url, res.status, res.statusText) };
}

/** Where the card of the agent at `endpointUrl` is likely: the origin's well-known path first, where agents usually serve it. */
function probeCardUrls(endpointUrl: string): string[] {
  const url = parseAgentUrl(endpointUrl);
  if (url.pathname.toLowerCase().endsWith(".json")) return [url.href];
  const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const list = [`${url.origin}/.well-known/agent-card.json`, `${base}/.well-known/agent-card.json`, `${url.origin}/.well-known/agent.json`, `${base}/.well-known/agent.json`];
  return [...new Set(list)];
}

async function probeA2A(opts: ProbeOptions & { timeoutMs: number }): Promise<Outcome> {
  const candidates = probeCardUrls(opts.endpointUrl);
  let last: Outcome = { ok: false, statusCode: null, error: "no agent card URL to probe" };
  for (const url of candidates) {
    const res = await safeFetch(url, {
      network: opts.network,
      timeoutMs: opts.timeoutMs,
      headers: a2aCardHeaders(opts.credential),
      secretHeaders: credentialHeaderNames(opts.credential),
    });
    await res.discard();
    if (res.ok) return { ok: true, statusCode: res.status, error: null };
    last = { ok: false, statusCode: res.status, error: answered(url, res.status, res.statusText) };
    // Only "not here" is worth another path; any other answer is the agent's state.
    if (res.status !== 404) return last;
  }
  return last;
}

async function probeMcp(opts: ProbeOptions & { timeoutMs: number }): Promise<Outcome> {
  const url = parseAgentUrl(opts.endpointUrl).href;
  const headers = credentialHeaders("MCP", opts.credential);
  const secretHeaders = credentialHeaderNames(opts.credential);
  const common = { network: opts.network, timeoutMs: opts.timeoutMs, secretHeaders };
  const reply = await postJsonRpc(
    url,
    { id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: CLIENT_INFO } },
    { ...common, headers },
  );
  const sessionId = reply.headers.get("mcp-session-id");
  if (sessionId) void endSession(url, sessionId, { ...common, headers });
  if (reply.message && "result" in reply.message && reply.status < 400) return { ok: true, statusCode: reply.status, error: null };

  // A server that speaks only 2026-07-28 refuses initialize; it answers server/discover.
  const modern = await statelessCall("server/discover", {}, { ...common, url, headers });
  if (modern.error === undefined) return { ok: true, statusCode: modern.status, error: null };

  const error = reply.message?.error;
  const detail = error ? `: ${error.message.slice(0, 160)} (JSON-RPC error ${error.code})` : "";
  return { ok: false, statusCode: reply.status, error: `${answered(url, reply.status)} to initialize${detail}` };
}

/** Probes must not pile up sessions on stateful MCP servers. */
async function endSession(url: string, sessionId: string, opts: { network: NetworkPolicy; timeoutMs: number; headers: Record<string, string>; secretHeaders: string[] }) {
  try {
    const res = await safeFetch(url, { ...opts, method: "DELETE", headers: { ...opts.headers, "mcp-session-id": sessionId } });
    await res.discard();
  } catch {
    // The session expires on its own; a failed goodbye is no health signal.
  }
}
