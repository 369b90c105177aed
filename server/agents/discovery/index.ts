import { DISCOVERY_TIMEOUT_MS, parseAgentUrl, shownUrl } from "../net/safe-fetch";
import { discoverA2A } from "./a2a";
import { DiscoveryError, HOST_LEVEL_CODES } from "./errors";
import { discoverMcp } from "./mcp";
import { discoverOpenAI } from "./openai";
import type { AgentProtocol, Credential, Discovery, NetworkPolicy } from "./types";

export { DiscoveryError, type DiscoveryErrorCode } from "./errors";
export { probeHealth, type ProbeResult } from "./probe";
export type { AgentProtocol, Credential, DiscoveredSkill, Discovery, NetworkPolicy } from "./types";

export interface DiscoverOptions {
  url: string;
  /** Omitted: try A2A, then MCP, then OpenAI, and take the first that answers. */
  protocol?: AgentProtocol;
  credential?: Credential | null;
  network: NetworkPolicy;
  /** Per request. Default 5 s. */
  timeoutMs?: number;
}

const PROTOCOLS: { protocol: AgentProtocol; label: string; run: (o: Omit<DiscoverOptions, "protocol">) => Promise<Discovery> }[] = [
  { protocol: "A2A", label: "A2A", run: discoverA2A },
  { protocol: "MCP", label: "MCP", run: discoverMcp },
  { protocol: "OPENAI", label: "OpenAI-compatible", run: discoverOpenAI },
];

/** Learns what the agent at `url` can do, from the agent itself. Throws DiscoveryError (BAD_REQUEST) with an actionable message. */
export async function discover(opts: DiscoverOptions): Promise<Discovery> {
  const url = parseAgentUrl(opts.url);
  const run = { url: url.href, credential: opts.credential ?? null, network: opts.network, timeoutMs: opts.timeoutMs ?? DISCOVERY_TIMEOUT_MS };

  const chosen = PROTOCOLS.find((p) => p.protocol === opts.protocol);
  if (chosen) return chosen.run(run);

  const tried: { label: string; error: DiscoveryError }[] = [];
  for (const p of PROTOCOLS) {
    try {
      return await p.run(run);
    } catch (e) {
      if (!(e instanceof DiscoveryError) || HOST_LEVEL_CODES.has(e.code)) throw e;
      tried.push({ label: p.label, error: e });
    }
  }
  // Something answered in a protocol's own terms but was unusable: that is the finding to report.
  const specific = tried.find((t) => t.error.code === "invalid_document" || t.error.code === "unsupported");
  if (specific) throw specific.error;
  throw new DiscoveryError(
    "unsupported",
    `${shownUrl(url)} did not answer as an A2A agent, an MCP server or an OpenAI-compatible API. ${tried
      .map((t) => `${t.label}: ${t.error.message.replace(/\.?$/, ".")}`)
      .join(" ")} Check the URL, add a credential if the agent needs one, or choose the protocol explicitly.`,
    { status: tried.find((t) => t.error.status)?.error.status ?? null },
  );
}
