import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { createSafeFetch, DISCOVERY_TIMEOUT_MS, parseAgentUrl, shownUrl } from "../net/safe-fetch";
import { credentialHeaderNames, credentialHeaders } from "./credential";
import { capDocument } from "./document";
import { DiscoveryError, HOST_LEVEL_CODES } from "./errors";
import { discoverStateless, NotStateless } from "./mcp-stateless";
import { CLIENT_INFO, MAX_TOOL_PAGES, MAX_TOOLS, toolSchema, toolToSkill, withoutToolSchemas, type McpTool } from "./mcp-tools";
import type { Credential, Discovery, NetworkPolicy } from "./types";

/**
 * MCP over Streamable HTTP. First the official SDK client (initialize handshake; it negotiates
 * 2025-11-25 or 2025-06-18 and older), every request through safe-fetch. If the server refuses the
 * handshake the way a server that only speaks the stateless 2026-07-28 revision does, ask it with
 * `server/discover` instead (mcp-stateless.ts, by hand: the SDK has no support for it).
 */
export async function discoverMcp(opts: { url: string; credential?: Credential | null; network: NetworkPolicy; timeoutMs?: number }): Promise<Discovery> {
  const url = parseAgentUrl(opts.url).href;
  const headers = credentialHeaders("MCP", opts.credential);
  const secretHeaders = credentialHeaderNames(opts.credential);
  try {
    return await viaSdk({ ...opts, url, headers, secretHeaders });
  } catch (e) {
    const legacy = e instanceof DiscoveryError ? e : toDiscoveryError(e, url, "initialize", opts.timeoutMs);
    if (HOST_LEVEL_CODES.has(legacy.code) || ["timeout", "too_large"].includes(legacy.code) || legacy.status === 401 || legacy.status === 403) throw legacy;
    try {
      return await discoverStateless({ url, headers, secretHeaders, network: opts.network, timeoutMs: opts.timeoutMs });
    } catch (modern) {
      if (modern instanceof NotStateless) throw legacy;
      throw modern;
    }
  }
}

async function viaSdk(opts: { url: string; headers: Record<string, string>; secretHeaders: string[]; network: NetworkPolicy; timeoutMs?: number }): Promise<Discovery> {
  const timeout = opts.timeoutMs ?? DISCOVERY_TIMEOUT_MS;
  // The SDK wraps transport failures into its own errors; keep ours to report the real cause.
  let failures: DiscoveryError[] = [];
  const fetch = createSafeFetch({
    network: opts.network,
    timeoutMs: timeout,
    secretHeaders: opts.secretHeaders,
    onError: (error, request) => {
      if (request.method === "POST") failures.push(error);
    },
  });
  const transport = new StreamableHTTPClientTransport(new URL(opts.url), { fetch, requestInit: { headers: opts.headers } });
  const client = new Client(CLIENT_INFO, { capabilities: {} });

  let stage = "initialize";
  try {
    await client.connect(transport, { timeout });
    stage = "tools/list";
    const tools: McpTool[] = [];
    let cursor: string | undefined;
    let truncated = false;
    for (let page = 0; ; page++) {
      if (page >= MAX_TOOL_PAGES || tools.length >= MAX_TOOLS) {
        truncated = true;
        break;
      }
      failures = [];
      const result = await client.listTools(cursor ? { cursor } : undefined, { timeout });
      for (const t of result.tools) {
        const parsed = toolSchema.safeParse(t);
        if (parsed.success) tools.push(parsed.data);
      }
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    const kept = tools.slice(0, MAX_TOOLS);

    const serverInfo = client.getServerVersion();
    const capabilities = client.getServerCapabilities() ?? {};
    const protocolVersion = transport.protocolVersion ?? null;
    const document = {
      protocolVersion,
      serverInfo,
      capabilities,
      instructions: client.getInstructions() ?? null,
      tools: kept,
      ...(truncated || kept.length < tools.length ? { toolsTruncated: true } : {}),
    };
    return {
      protocol: "MCP",
      endpointUrl: opts.url,
      sourceUrl: opts.url,
      name: serverInfo?.name ?? null,
      description: (serverInfo as { description?: string } | undefined)?.description || null,
      version: serverInfo?.version || null,
      provider: null,
      protocolVersion,
      capabilities: { ...capabilities },
      skills: kept.map(toolToSkill),
      document: capDocument(document, { shrink: withoutToolSchemas }),
    };
  } catch (e) {
    throw failures.at(-1) ?? toDiscoveryError(e, opts.url, stage, timeout);
  } finally {
    // Polite to stateful servers: end the session rather than leave it to expire.
    if (transport.sessionId) await transport.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }
}

/** What an SDK error means for the person registering the agent. */
function toDiscoveryError(e: unknown, url: string, stage: string, timeoutMs = DISCOVERY_TIMEOUT_MS): DiscoveryError {
  if (e instanceof DiscoveryError) return e;
  const where = shownUrl(url);
  if (e instanceof StreamableHTTPError) {
    const status = e.code ?? -1;
    if (status > 0) {
      const detail = serverSays(e.message);
      const hint =
        status === 401 || status === 403
          ? " Add or check the agent's credential."
          : status === 404 || status === 405
            ? " Check that the URL is the server's MCP endpoint (it often ends in /mcp)."
            : "";
      return new DiscoveryError("http_error", `${where} answered ${status} to the MCP ${stage} request${detail ? ` ("${detail}")` : ""}.${hint}`, { status, cause: e });
    }
    return new DiscoveryError("not_json", `${where} answered the MCP ${stage} request with neither JSON nor an event stream. Check that the URL is the server's MCP endpoint.`, { cause: e });
  }
  if (e instanceof McpError) {
    if (e.code === ErrorCode.RequestTimeout) {
      return new DiscoveryError("timeout", `The MCP server at ${where} did not answer ${stage} within ${timeoutMs / 1000} s. Is it running and not overloaded?`, { cause: e });
    }
    if (e.code === ErrorCode.ConnectionClosed) {
      return new DiscoveryError("unreachable", `The connection to the MCP server at ${where} closed during ${stage}. Is the server running and reachable from the HelixAgent server?`, { cause: e });
    }
    if (e.code === ErrorCode.MethodNotFound) {
      return new DiscoveryError("unsupported", `The MCP server at ${where} does not implement ${stage}.`, { cause: e });
    }
    return new DiscoveryError("unsupported", `The MCP server at ${where} refused ${stage}: ${e.message.replace(/^MCP error -?\d+: /, "").slice(0, 200)}.`, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  if (/protocol version is not supported/i.test(message)) {
    return new DiscoveryError(
      "unsupported",
      `The MCP server at ${where} answered with a protocol version HelixAgent does not speak (${message.split(": ").pop()}). HelixAgent speaks 2025-06-18, 2025-11-25 and 2026-07-28.`,
      { cause: e },
    );
  }
  if (e instanceof SyntaxError) {
    return new DiscoveryError("not_json", `${where} answered the MCP ${stage} request with a body that is not JSON. Check that the URL is the server's MCP endpoint.`, { cause: e });
  }
  return new DiscoveryError("invalid_document", `The MCP server at ${where} answered ${stage} with something that is not valid MCP: ${message.slice(0, 200)}`, { cause: e });
}

/** The server's own words from an SDK error text ("Error POSTing to endpoint: …"), when short and readable. */
function serverSays(message: string): string | null {
  const text = message.replace(/^(Streamable HTTP error: )?(Error POSTing to endpoint:)?\s*/, "").trim();
  if (!text) return null;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const said = typeof body.error === "object" ? body.error?.message : (body.error ?? body.message);
    return typeof said === "string" ? said.slice(0, 160) : null;
  } catch {
    return text.length <= 160 && !text.includes("<") ? text.replace(/\s+/g, " ") : null;
  }
}
