import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { Agent, request } from "undici";
import { DiscoveryError } from "../discovery/errors";
import type { NetworkPolicy } from "../discovery/types";
import { blockedReason, isIpLiteral } from "./ip-ranges";

/**
 * The only way discovery and health probes touch the network. Every request: checks the URL, resolves
 * the host and refuses blocked addresses before connecting, pins the connection to the vetted
 * addresses (so DNS cannot answer differently between check and connect), re-checks every redirect
 * hop, bounds the whole exchange (DNS, connect, headers, body) by one deadline and the body by a size
 * cap, and turns every failure into a DiscoveryError whose message says what to do.
 */

export const DISCOVERY_TIMEOUT_MS = 5_000;
export const PROBE_TIMEOUT_MS = 2_000;
export const MAX_RESPONSE_BYTES = 1024 * 1024;
export const MAX_REDIRECTS = 3;

const USER_AGENT = "HelixAgent-Discovery/1";
/** Dropped when a redirect leaves the origin: credentials must only go where they were meant for. */
const SECRET_HEADERS = ["authorization", "proxy-authorization", "cookie", "x-api-key"];
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export interface SafeFetchOptions {
  network: NetworkPolicy;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** One deadline for the whole exchange, redirects and body included. Default 5 s. */
  timeoutMs?: number;
  /** Larger bodies fail with `too_large` as soon as the cap is passed. Default 1 MiB. */
  maxBytes?: number;
  /** Redirects followed (each hop re-checked); 0 returns a redirect response as it is. Default 3. */
  maxRedirects?: number;
  /** Aborts the request; the promise or body then fails with the signal's reason, not a DiscoveryError. */
  signal?: AbortSignal;
  /** Further header names that carry secrets (dropped on a cross-origin redirect). */
  secretHeaders?: string[];
  /** Called with every DiscoveryError this request ends in, including ones raised while the body streams. */
  onError?: (error: DiscoveryError, request: { method: string; url: string }) => void;
}

/** A response whose body streams through the size cap and the deadline. */
export class SafeResponse {
  readonly redirected: boolean;

  constructor(
    /** The URL the response came from, after redirects. */
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly body: ReadableStream<Uint8Array>,
    redirected: boolean,
  ) {
    this.redirected = redirected;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** Reads the whole body (within the cap). */
  async bytes(): Promise<Uint8Array> {
    const reader = this.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
    const out = new Uint8Array(size);
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.byteLength;
    }
    return out;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  /** Parses the body as JSON, whatever the content type says; `not_json` when it is not. */
  async json(): Promise<unknown> {
    const text = await this.text();
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      const type = this.headers.get("content-type")?.split(";")[0]?.trim() || "no content type";
      const looksHtml = /^\s*</.test(text);
      throw new DiscoveryError(
        "not_json",
        `${shownUrl(this.url)} answered with ${looksHtml ? "an HTML page" : type} instead of JSON. Check that the URL points at the agent itself, not at a web page in front of it.`,
        { cause },
      );
    }
  }

  /** Releases the connection without reading the rest of the body. */
  async discard(): Promise<void> {
    await this.body.cancel().catch(() => undefined);
  }

  /** A standard Response (for SDKs that take a fetch function); the body keeps its cap and deadline. */
  toResponse(): Response {
    const body = NULL_BODY_STATUSES.has(this.status) ? null : this.body;
    if (!body) void this.discard();
    return new Response(body, { status: this.status, statusText: this.statusText, headers: this.headers });
  }
}

/** The URL as shown in messages: no query string (it may carry tokens), no fragment. */
export function shownUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return u.pathname === "/" ? u.origin : `${u.origin}${u.pathname}`;
  } catch {
    return String(url).slice(0, 200);
  }
}

/** Checks that `input` is an absolute http(s) URL without credentials; returns it without fragment. */
export function parseAgentUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    const text = String(input).trim().slice(0, 200);
    throw new DiscoveryError("invalid_url", `"${text}" is not a valid URL. Enter a full address such as https://agent.example.com.`, { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DiscoveryError("invalid_url", `Only http:// and https:// URLs can be used, not ${url.protocol}//. Enter the agent's web address.`);
  }
  if (url.username || url.password) {
    throw new DiscoveryError("invalid_url", "Remove the user name and password from the URL and enter them as the agent's credential instead.");
  }
  if (!url.hostname) {
    throw new DiscoveryError("invalid_url", `"${String(input).slice(0, 200)}" has no host name. Enter a full address such as https://agent.example.com.`);
  }
  url.hash = "";
  return url;
}

/**
 * Resolves the URL's host and checks every address it resolves to. Returns the vetted addresses.
 * Exported for callers that only need to vet an address without fetching (e.g. an advertised endpoint).
 */
export async function resolveAllowed(url: URL, network: NetworkPolicy, signal?: AbortSignal): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: LookupAddress[];
  if (isIpLiteral(host)) {
    addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  } else {
    try {
      addresses = await abortable(dnsLookup(host, { all: true, verbatim: true }), signal);
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw dnsError(host, cause);
    }
    if (addresses.length === 0) throw dnsError(host, null);
  }
  for (const { address } of addresses) {
    const blocked = blockedReason(address, network);
    if (!blocked) continue;
    const subject = isIpLiteral(host) ? address : `${host} resolves to ${address}, which`;
    const message =
      blocked.blocked === "always"
        ? `${subject} is a ${blocked.range} address. HelixAgent never connects to such addresses, because cloud metadata services and other machine-local endpoints live there. Use the agent's own address instead.`
        : `${subject} is a ${blocked.range} network address, and this organization does not allow agents on private networks. An admin can allow private networks in the organization's settings, or use the agent's public address.`;
    throw new DiscoveryError("blocked_address", message);
  }
  return addresses;
}

/** Fetches `input` under the rules above. Throws DiscoveryError for every network-side failure. */
export async function safeFetch(input: string | URL, opts: SafeFetchOptions): Promise<SafeResponse> {
  const timeoutMs = opts.timeoutMs ?? DISCOVERY_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? MAX_RESPONSE_BYTES;
  const maxRedirects = opts.maxRedirects ?? MAX_REDIRECTS;
  const secretHeaders = new Set([...SECRET_HEADERS, ...(opts.secretHeaders ?? []).map((h) => h.toLowerCase())]);

  const controller = new AbortController();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onOuterAbort = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let agent: Agent | null = null;
  let method = (opts.method ?? "GET").toUpperCase();

  const release = (failed: boolean) => {
    clearTimeout(deadline);
    opts.signal?.removeEventListener("abort", onOuterAbort);
    const a = agent;
    agent = null;
    if (a) void (failed ? a.destroy() : a.close()).catch(() => undefined);
  };
  /** Turns whatever went wrong into the error the caller sees, and reports it. */
  const fail = (cause: unknown, url: URL): unknown => {
    if (opts.signal?.aborted && !timedOut) return opts.signal.reason ?? cause;
    const error = timedOut ? timeoutError(url, timeoutMs, cause) : toDiscoveryError(cause, url, timeoutMs);
    opts.onError?.(error, { method, url: url.href });
    return error;
  };

  let url: URL;
  try {
    url = parseAgentUrl(input);
  } catch (e) {
    release(true);
    throw fail(e, new URL("http://invalid"));
  }
  if (opts.signal?.aborted) {
    release(true);
    throw opts.signal.reason;
  }

  let body = opts.body;
  let headers: Record<string, string> = { "user-agent": USER_AGENT, ...lowerKeys(opts.headers ?? {}) };

  try {
    for (let hop = 0; ; hop++) {
      const addresses = await resolveAllowed(url, opts.network, controller.signal);
      agent = pinnedAgent(addresses, timeoutMs);
      const res = await request(url, { dispatcher: agent, method, headers, body, signal: controller.signal });
      // Destroying an undici body emits an error; readers see failures through the stream below.
      res.body.on("error", () => undefined);
      const location = res.headers.location;
      const target = REDIRECT_STATUSES.has(res.statusCode) && typeof location === "string" ? location : null;

      if (target !== null && maxRedirects > 0) {
        res.body.destroy();
        const closing = agent;
        agent = null;
        void closing.close().catch(() => undefined);
        if (hop >= maxRedirects) {
          throw new DiscoveryError("http_error", `${shownUrl(url)} redirected more than ${maxRedirects} times. Enter the final address of the agent instead.`, {
            status: res.statusCode,
          });
        }
        let next: URL;
        try {
          next = parseAgentUrl(new URL(target, url));
        } catch (e) {
          throw new DiscoveryError("invalid_url", `${shownUrl(url)} redirected to an address HelixAgent will not follow: ${(e as Error).message}`, { cause: e });
        }
        if (next.origin !== url.origin) {
          headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !secretHeaders.has(name)));
        }
        // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without a body.
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === "POST")) {
          if (method !== "HEAD") method = "GET";
          body = undefined;
          delete headers["content-type"];
          delete headers["content-length"];
        }
        url = next;
        continue;
      }

      const responseHeaders = toHeaders(res.headers);
      const declared = Number(responseHeaders.get("content-length") ?? "NaN");
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.body.destroy();
        throw tooLarge(url, maxBytes);
      }
      const finalUrl = url;
      const stream = cappedStream(res.body, maxBytes, {
        tooLarge: () => tooLarge(finalUrl, maxBytes),
        onDone: () => release(false),
        onError: (e) => {
          release(true);
          return fail(e, finalUrl);
        },
      });
      return new SafeResponse(url.href, res.statusCode, res.statusText ?? "", responseHeaders, stream, hop > 0);
    }
  } catch (e) {
    release(true);
    throw fail(e, url);
  }
}

/** A fetch function for SDKs (MCP's transport): every call goes through safeFetch with these options. */
export function createSafeFetch(defaults: Omit<SafeFetchOptions, "method" | "headers" | "body" | "signal" | "maxRedirects">) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    if (init?.body != null && typeof init.body !== "string") {
      throw new TypeError("safe fetch only sends string bodies");
    }
    const res = await safeFetch(url, {
      ...defaults,
      method: init?.method ?? "GET",
      headers,
      body: init?.body ?? undefined,
      signal: init?.signal ?? undefined,
      // "manual": the caller follows redirects itself, each one again through this function.
      maxRedirects: init?.redirect === "manual" || init?.redirect === "error" ? 0 : undefined,
    });
    return res.toResponse();
  };
}

function pinnedAgent(addresses: LookupAddress[], timeoutMs: number): Agent {
  // Node asks for one address, or for all of them when it tries IPv4 and IPv6 in turn (autoSelectFamily).
  const lookup = ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as LookupFunction;
  return new Agent({ connect: { lookup, timeout: timeoutMs }, connections: 1, pipelining: 0 });
}

function cappedStream(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): void },
  maxBytes: number,
  hooks: { tooLarge: () => DiscoveryError; onDone: () => void; onError: (e: unknown) => unknown },
): ReadableStream<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  let received = 0;
  let settled = false;
  const settle = () => {
    const first = !settled;
    settled = true;
    return first;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await iterator.next();
        if (done) {
          if (settle()) hooks.onDone();
          controller.close();
          return;
        }
        received += value.byteLength;
        if (received > maxBytes) throw new CapExceeded();
        controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      } catch (e) {
        body.destroy();
        const error = settle() ? hooks.onError(e instanceof CapExceeded ? hooks.tooLarge() : e) : e;
        controller.error(error);
      }
    },
    cancel() {
      body.destroy();
      if (settle()) hooks.onDone();
    },
  });
}

class CapExceeded extends Error {}

function tooLarge(url: URL, maxBytes: number): DiscoveryError {
  return new DiscoveryError(
    "too_large",
    `The response from ${shownUrl(url)} is larger than ${formatBytes(maxBytes)}, so HelixAgent stopped reading it. Check that the URL points at the agent's discovery document, not at a large file.`,
  );
}

function timeoutError(url: URL, timeoutMs: number, cause: unknown): DiscoveryError {
  return new DiscoveryError(
    "timeout",
    `${url.origin} did not answer within ${formatSeconds(timeoutMs)}. Is the agent running and not overloaded, and does no firewall silently drop the connection?`,
    { cause },
  );
}

function dnsError(host: string, cause: unknown): DiscoveryError {
  const code = errorCode(cause);
  const message =
    code === "EAI_AGAIN"
      ? `Could not look up ${host}: the DNS server did not answer. Try again in a moment; if it keeps failing, check the HelixAgent server's DNS settings.`
      : `Could not find ${host}: no such host name. Check the spelling, and that the name resolves from the HelixAgent server (not only from your computer).`;
  return new DiscoveryError("dns", message, { cause });
}

const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/;

/** Maps undici and Node errors to DiscoveryError codes. */
export function toDiscoveryError(cause: unknown, url: URL, timeoutMs: number): DiscoveryError {
  if (cause instanceof DiscoveryError) return cause;
  const code = errorCode(cause);
  const where = url.origin;
  const unreachable = (what: string, hint = "Is the agent running and reachable from the HelixAgent server?") =>
    new DiscoveryError("unreachable", `Could not reach ${where}: ${what}. ${hint}`, { cause });

  switch (code) {
    case "ECONNREFUSED":
      return unreachable("connection refused");
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return unreachable("the connection was closed before the agent answered");
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EHOSTDOWN":
    case "ENETDOWN":
      return unreachable("no network route to the host", "Check the address, and the network between the HelixAgent server and the agent.");
    case "EADDRNOTAVAIL":
      return unreachable("the address is not available from this server", "Check the address.");
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NODATA":
    case "EAI_NONAME":
    case "ENODATA":
      return dnsError(url.hostname, cause);
    case "UND_ERR_CONNECT_TIMEOUT":
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
    case "ETIMEDOUT":
      return timeoutError(url, timeoutMs, cause);
    case "UND_ERR_RES_CONTENT_LENGTH_MISMATCH":
      return unreachable("the response was cut short");
    case "UND_ERR_INVALID_ARG":
      return new DiscoveryError("invalid_url", `Could not send the request to ${where}: ${(cause as Error).message}. Check the URL and the credential's header name and value.`, { cause });
  }
  if (code && TLS_CODE.test(code)) {
    const detail = (cause as Error).message || code;
    if (/WRONG_VERSION_NUMBER|wrong version number|packet length too long/i.test(`${code} ${detail}`)) {
      return new DiscoveryError("tls", `${where} does not speak TLS on this port. Did you mean http:// instead of https://, or another port?`, { cause });
    }
    return new DiscoveryError(
      "tls",
      `The secure connection to ${where} failed (${detail}). The agent needs a valid certificate from a trusted authority for its host name; if it has none, use its http:// address on a trusted network.`,
      { cause },
    );
  }
  if (code?.startsWith("HPE_")) return unreachable("the answer was not valid HTTP", "Check the port, and whether the agent expects https:// instead of http:// (or the reverse).");
  if (cause instanceof Error && cause.name === "AbortError") return timeoutError(url, timeoutMs, cause);
  const detail = cause instanceof Error ? cause.message : String(cause);
  return unreachable(detail || "unknown network error");
}

function errorCode(e: unknown): string | undefined {
  for (let cur = e, depth = 0; cur && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, v);
      } catch {
        // A header value the Fetch API refuses is not one discovery needs.
      }
    }
  }
  return headers;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
