import { z } from "zod";
import { parseAgentUrl, resolveAllowed, safeFetch, shownUrl } from "../net/safe-fetch";
import { credentialHeaderNames, credentialHeaders } from "./credential";
import { capDocument } from "./document";
import { DiscoveryError, HOST_LEVEL_CODES } from "./errors";
import type { Credential, DiscoveredSkill, Discovery, NetworkPolicy } from "./types";
import { describeIssue } from "./zod-issues";

/**
 * A2A: reads the agent card. Cards come in two shapes: v1.0 lists `supportedInterfaces`
 * ({ url, protocolBinding, protocolVersion }); v0.3 has one `url` with a `preferredTransport`
 * and optional `additionalInterfaces` ({ url, transport }). Field names follow the types in
 * @a2a-js/sdk (AgentCard, and compat/v0_3's AgentCard). Validation is lenient where the wild is
 * (descriptions, tags), strict where HelixAgent needs the field (name, skills, where to send).
 */

const strings = z.array(z.string()).nullish();

const skillSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().nullish(),
  tags: strings,
  examples: strings,
  inputModes: strings,
  outputModes: strings,
});

const common = {
  name: z.string().min(1),
  description: z.string().nullish(),
  version: z.string().nullish(),
  provider: z.looseObject({ organization: z.string().nullish(), url: z.string().nullish() }).nullish(),
  capabilities: z.record(z.string(), z.unknown()).nullish(),
  defaultInputModes: strings,
  defaultOutputModes: strings,
  skills: z.array(skillSchema),
};

const v1Card = z.looseObject({
  ...common,
  supportedInterfaces: z
    .array(z.looseObject({ url: z.string().min(1), protocolBinding: z.string().min(1), protocolVersion: z.string().nullish(), tenant: z.string().nullish() }))
    .min(1),
});

const v03Card = z.looseObject({
  ...common,
  url: z.string().min(1),
  preferredTransport: z.string().nullish(),
  protocolVersion: z.string().nullish(),
  additionalInterfaces: z.array(z.looseObject({ url: z.string().min(1), transport: z.string().min(1) })).nullish(),
  supportsAuthenticatedExtendedCard: z.boolean().nullish(),
});

type V1Card = z.infer<typeof v1Card>;
type V03Card = z.infer<typeof v03Card>;

/** Where an agent card may be, in the order to try: the URL itself if it names a .json file, else the well-known paths. */
export function a2aCardCandidates(input: string | URL): URL[] {
  const url = parseAgentUrl(input);
  if (url.pathname.toLowerCase().endsWith(".json")) return [url];
  const base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const list = [`${base}/.well-known/agent-card.json`, `${base}/.well-known/agent.json`];
  if (url.pathname.replace(/\/+$/, "") !== "") list.push(`${url.origin}/.well-known/agent-card.json`, `${url.origin}/.well-known/agent.json`);
  return [...new Set(list)].map((u) => new URL(u));
}

/** Headers for reading a card: ask for v1.0, which dual-version servers (the SDK's legacyCompat) otherwise answer with v0.3. */
export function a2aCardHeaders(credential: Credential | null | undefined): Record<string, string> {
  return { accept: "application/json", "a2a-version": "1.0", ...credentialHeaders("A2A", credential) };
}

export async function discoverA2A(opts: { url: string; credential?: Credential | null; network: NetworkPolicy; timeoutMs?: number }): Promise<Discovery> {
  const candidates = a2aCardCandidates(opts.url);
  const headers = a2aCardHeaders(opts.credential);
  const tried: { url: URL; error: DiscoveryError }[] = [];

  for (const url of candidates) {
    try {
      const res = await safeFetch(url, { network: opts.network, headers, timeoutMs: opts.timeoutMs, secretHeaders: credentialHeaderNames(opts.credential) });
      if (!res.ok) {
        await res.discard();
        throw new DiscoveryError("http_error", `${shownUrl(res.url)} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`, { status: res.status });
      }
      const card = await res.json();
      return await fromCard(card, res.url, opts.network);
    } catch (e) {
      if (!(e instanceof DiscoveryError)) throw e;
      // A card that is there but wrong, or a host that cannot be reached or hangs, will not get better on another path.
      if (e.code === "invalid_document" || e.code === "unsupported" || e.code === "timeout" || HOST_LEVEL_CODES.has(e.code)) throw e;
      tried.push({ url, error: e });
    }
  }

  const first = tried[0]!.error;
  const auth = tried.find((t) => t.error.status === 401 || t.error.status === 403);
  const list = tried.map((t) => `${shownUrl(t.url)} (${t.error.status ? `answered ${t.error.status}` : t.error.code.replace("_", " ")})`).join(", ");
  if (auth) {
    throw new DiscoveryError(
      "http_error",
      `The agent card at ${shownUrl(auth.url)} needs authorization (answered ${auth.error.status}). Add or check the agent's credential.`,
      { status: auth.error.status },
    );
  }
  throw new DiscoveryError(
    first.code,
    `No A2A agent card found. Tried ${list}. Enter the agent card's URL (usually ending in /.well-known/agent-card.json) or the agent's base URL.`,
    { status: first.status, cause: first },
  );
}

/** Validates a card read from `sourceUrl` and turns it into a Discovery. */
export async function fromCard(card: unknown, sourceUrl: string, network: NetworkPolicy): Promise<Discovery> {
  if (card === null || typeof card !== "object" || Array.isArray(card)) {
    throw new DiscoveryError("invalid_document", `${shownUrl(sourceUrl)} is not an agent card: it holds ${Array.isArray(card) ? "a list" : "a single value"}, not a JSON object.`);
  }
  const raw = card as Record<string, unknown>;
  const hasInterfaces = raw.supportedInterfaces != null;
  const hasUrl = raw.url != null;
  // As the SDK decides: a non-empty interface list makes a v1.0 card, even one that keeps a v0.3 `url`.
  const isV1 = hasInterfaces && (!hasUrl || (Array.isArray(raw.supportedInterfaces) && raw.supportedInterfaces.length > 0));
  if (!hasInterfaces && !hasUrl) {
    throw new DiscoveryError(
      "invalid_document",
      `The agent card at ${shownUrl(sourceUrl)} has neither "supportedInterfaces" (A2A 1.0) nor "url" (A2A 0.3), so HelixAgent cannot tell where to send messages.`,
    );
  }
  const parsed = isV1 ? v1Card.safeParse(raw) : v03Card.safeParse(raw);
  if (!parsed.success) {
    throw new DiscoveryError("invalid_document", `${describeIssue(parsed.error, raw, "the agent card", { skills: "Skill", supportedInterfaces: "Interface", additionalInterfaces: "Interface" })} (read from ${shownUrl(sourceUrl)})`);
  }
  const { endpoint, protocolVersion } = isV1 ? jsonRpcInterfaceV1(parsed.data as V1Card) : jsonRpcInterfaceV03(parsed.data as V03Card);
  const endpointUrl = await checkEndpoint(endpoint, sourceUrl, network);
  const c = parsed.data;

  return {
    protocol: "A2A",
    endpointUrl,
    sourceUrl,
    name: c.name,
    description: c.description || null,
    version: c.version || null,
    provider: c.provider?.organization || null,
    protocolVersion,
    capabilities: { ...(c.capabilities ?? {}) },
    skills: c.skills.map(
      (s): DiscoveredSkill => ({
        kind: "skill",
        key: s.id,
        name: s.name,
        description: s.description || null,
        tags: s.tags ?? [],
        inputModes: s.inputModes?.length ? s.inputModes : (c.defaultInputModes ?? []),
        outputModes: s.outputModes?.length ? s.outputModes : (c.defaultOutputModes ?? []),
        inputSchema: null,
        examples: s.examples ?? [],
      }),
    ),
    document: capDocument(card),
  };
}

const isJsonRpc = (binding: string | null | undefined) => (binding ?? "JSONRPC").toUpperCase() === "JSONRPC";

function jsonRpcInterfaceV1(card: V1Card): { endpoint: string; protocolVersion: string } {
  const jsonRpc = card.supportedInterfaces.filter((i) => isJsonRpc(i.protocolBinding));
  const chosen = jsonRpc.find((i) => i.protocolVersion === "1.0") ?? jsonRpc[0];
  if (!chosen) throw noJsonRpc(card.supportedInterfaces.map((i) => i.protocolBinding));
  return { endpoint: chosen.url, protocolVersion: chosen.protocolVersion || "1.0" };
}

function jsonRpcInterfaceV03(card: V03Card): { endpoint: string; protocolVersion: string } {
  const protocolVersion = card.protocolVersion || "0.3.0";
  if (isJsonRpc(card.preferredTransport)) return { endpoint: card.url, protocolVersion };
  const other = card.additionalInterfaces?.find((i) => isJsonRpc(i.transport));
  if (!other) throw noJsonRpc([card.preferredTransport ?? "", ...(card.additionalInterfaces ?? []).map((i) => i.transport)]);
  return { endpoint: other.url, protocolVersion };
}

function noJsonRpc(bindings: string[]): DiscoveryError {
  const offered = [...new Set(bindings.filter(Boolean))].join(", ");
  return new DiscoveryError(
    "unsupported",
    `The agent card offers only ${offered} interfaces; HelixAgent talks to A2A agents over JSON-RPC. Enable the agent's JSON-RPC interface and list it in its card.`,
  );
}

/**
 * The card says where traffic goes; that address must obey the same network rules as the card's.
 * A name that does not resolve from here is accepted (the gateway checks again on every call).
 */
async function checkEndpoint(endpoint: string, sourceUrl: string, network: NetworkPolicy): Promise<string> {
  let url: URL;
  try {
    url = parseAgentUrl(new URL(endpoint, sourceUrl));
  } catch (e) {
    throw new DiscoveryError("invalid_document", `The agent card's interface URL "${endpoint.slice(0, 200)}" cannot be used: ${(e as Error).message}`, { cause: e });
  }
  try {
    await resolveAllowed(url, network);
  } catch (e) {
    if (e instanceof DiscoveryError && e.code === "blocked_address") {
      throw new DiscoveryError("blocked_address", `The agent card sends messages to ${url.origin}, but ${lowerFirst(e.message)}`, { cause: e });
    }
  }
  return url.href;
}

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);
