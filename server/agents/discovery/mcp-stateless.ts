import { z } from "zod";
import { shownUrl } from "../net/safe-fetch";
import { capDocument } from "./document";
import { DiscoveryError } from "./errors";
import { postJsonRpc, type JsonRpcError } from "./jsonrpc";
import { CLIENT_INFO, MAX_TOOL_PAGES, MAX_TOOLS, toolSchema, toolToSkill, withoutToolSchemas, type McpTool } from "./mcp-tools";
import type { Discovery, NetworkPolicy } from "./types";
import { describeIssue } from "./zod-issues";

/**
 * MCP's stateless revision 2026-07-28, by hand: @modelcontextprotocol/sdk 1.32 knows only the
 * initialize handshake (2024-11-05 … 2025-11-25) and has no `server/discover`. A 2026-07-28
 * request carries its version and capabilities in `_meta` and mirrors the version and method in
 * the `MCP-Protocol-Version` and `Mcp-Method` headers; there is no session.
 */

export const STATELESS_PROTOCOL_VERSION = "2026-07-28";
/** JSON-RPC errors only a 2026-07-28 server sends: header mismatch, missing client capability, unsupported version. */
const MODERN_ERRORS = new Set([-32020, -32021, -32022]);

/** The server did not answer like a 2026-07-28 server; the caller reports its earlier finding instead. */
export class NotStateless extends Error {}

interface CallOptions {
  url: string;
  headers: Record<string, string>;
  network: NetworkPolicy;
  timeoutMs?: number;
  secretHeaders?: string[];
}

const discoverResult = z.looseObject({
  supportedVersions: z.array(z.string()).nullish(),
  capabilities: z.record(z.string(), z.unknown()).nullish(),
  instructions: z.string().nullish(),
  serverInfo: z.looseObject({ name: z.string(), version: z.string().nullish(), description: z.string().nullish() }).nullish(),
  _meta: z.record(z.string(), z.unknown()).nullish(),
});

const serverInfoSchema = z.looseObject({ name: z.string(), version: z.string().nullish(), description: z.string().nullish() });

const listToolsResult = z.looseObject({ tools: z.array(toolSchema), nextCursor: z.string().nullish() });

let nextId = 1;

function requestMeta() {
  return {
    "io.modelcontextprotocol/protocolVersion": STATELESS_PROTOCOL_VERSION,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": CLIENT_INFO,
  };
}

/** One stateless request. Returns the result, or the JSON-RPC error with the HTTP status it came with. */
export async function statelessCall(
  method: string,
  params: Record<string, unknown>,
  opts: CallOptions,
): Promise<{ result: unknown; error?: undefined; status: number } | { result?: undefined; error: JsonRpcError | null; status: number }> {
  const reply = await postJsonRpc(
    opts.url,
    { id: nextId++, method, params: { ...params, _meta: requestMeta() } },
    {
      network: opts.network,
      timeoutMs: opts.timeoutMs,
      secretHeaders: opts.secretHeaders,
      headers: { ...opts.headers, "mcp-protocol-version": STATELESS_PROTOCOL_VERSION, "mcp-method": method },
    },
  );
  if (reply.message && "result" in reply.message && reply.status < 400) return { result: reply.message.result, status: reply.status };
  return { error: reply.message?.error ?? null, status: reply.status };
}

function modernFailure(method: string, url: string, error: JsonRpcError): DiscoveryError {
  if (error.code === -32022) {
    const supported = (error.data as { supported?: unknown } | undefined)?.supported;
    const list = Array.isArray(supported) ? supported.join(", ") : "other versions";
    return new DiscoveryError(
      "unsupported",
      `The MCP server at ${shownUrl(url)} speaks protocol versions ${list}; HelixAgent speaks 2025-06-18, 2025-11-25 and 2026-07-28. Update the server or its MCP SDK.`,
    );
  }
  return new DiscoveryError("unsupported", `The MCP server at ${shownUrl(url)} refused ${method}: ${error.message.slice(0, 200)} (JSON-RPC error ${error.code}).`);
}

/**
 * Discovers a server that only speaks 2026-07-28: `server/discover`, then `tools/list` page by page.
 * Throws NotStateless when `server/discover` gets no answer a 2026-07-28 server would give.
 */
export async function discoverStateless(opts: CallOptions): Promise<Discovery> {
  let discovered: Awaited<ReturnType<typeof statelessCall>>;
  try {
    discovered = await statelessCall("server/discover", {}, opts);
  } catch (e) {
    // No readable answer at all: nothing says this is a 2026-07-28 server.
    if (e instanceof DiscoveryError) throw new NotStateless(e.message);
    throw e;
  }
  if (discovered.error !== undefined || discovered.result === undefined) {
    if (discovered.error && MODERN_ERRORS.has(discovered.error.code)) throw modernFailure("server/discover", opts.url, discovered.error);
    throw new NotStateless(`server/discover answered ${discovered.status}`);
  }
  const info = discoverResult.safeParse(discovered.result);
  if (!info.success) {
    throw new DiscoveryError("invalid_document", `${describeIssue(info.error, discovered.result, "the MCP server's server/discover answer")} (from ${shownUrl(opts.url)})`);
  }
  const versions = info.data.supportedVersions;
  if (versions && !versions.includes(STATELESS_PROTOCOL_VERSION)) {
    throw modernFailure("server/discover", opts.url, { code: -32022, message: "", data: { supported: versions } });
  }
  // serverInfo moved into the result's _meta in the final 2026-07-28 schema; drafts had it at the top.
  const metaInfo = serverInfoSchema.safeParse(info.data._meta?.["io.modelcontextprotocol/serverInfo"]);
  const serverInfo = info.data.serverInfo ?? (metaInfo.success ? metaInfo.data : null);

  const { tools, truncated } = await listAllTools(opts);
  const document = {
    protocolVersion: STATELESS_PROTOCOL_VERSION,
    discover: discovered.result,
    tools,
    ...(truncated ? { toolsTruncated: true } : {}),
  };
  return {
    protocol: "MCP",
    endpointUrl: opts.url,
    sourceUrl: opts.url,
    name: serverInfo?.name ?? null,
    description: serverInfo?.description || null,
    version: serverInfo?.version || null,
    provider: null,
    protocolVersion: STATELESS_PROTOCOL_VERSION,
    capabilities: { ...(info.data.capabilities ?? {}) },
    skills: tools.map(toolToSkill),
    document: capDocument(document, { shrink: withoutToolSchemas }),
  };
}

async function listAllTools(opts: CallOptions): Promise<{ tools: McpTool[]; truncated: boolean }> {
  const tools: McpTool[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const reply = await statelessCall("tools/list", cursor ? { cursor } : {}, opts);
    if (reply.error !== undefined) {
      if (reply.error) throw modernFailure("tools/list", opts.url, reply.error);
      throw new DiscoveryError("http_error", `${shownUrl(opts.url)} answered ${reply.status} to tools/list without a JSON-RPC response.`, { status: reply.status });
    }
    const parsed = listToolsResult.safeParse(reply.result);
    if (!parsed.success) {
      throw new DiscoveryError("invalid_document", `${describeIssue(parsed.error, reply.result, "the MCP server's tool list", { tools: "Tool" })} (from ${shownUrl(opts.url)})`);
    }
    tools.push(...parsed.data.tools);
    cursor = parsed.data.nextCursor;
    if (!cursor) return { tools, truncated: false };
    if (tools.length >= MAX_TOOLS) break;
  }
  return { tools: tools.slice(0, MAX_TOOLS), truncated: true };
}
