/**
 * The gateway process: a plain node:http server in front of the engine. It loads the config
 * snapshot, listens for changes, and serves
 *   GET  /healthz                       the process is alive
 *   GET  /readyz                        a config snapshot is loaded (503 before)
 *   GET  /metrics                       Prometheus text format
 *   POST /v1/chat/completions, GET /v1/models          OpenAI-compatible
 *   /a2a/<org>/<route>/… (agent card, JSON-RPC)       each route as an A2A agent
 * Slow clients are cut off by header and request timeouts; bodies are capped; any error a client
 * can cause is a 4xx in the protocol's error shape, and an unexpected one is a 500 that is logged,
 * never a crash.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/server/generated/prisma/client";
import { ConfigStore } from "./config-store";
import { GatewayCore } from "./core";
import { Engine, type TelemetrySink } from "./engine";
import { HttpError, sendError, sendJson } from "./http";
import { handleA2a, isA2aPath } from "./inbound/a2a";
import { handleFeedback } from "./inbound/feedback";
import { handleChatCompletions, handleModels } from "./inbound/openai";
import { createMetrics } from "./metrics";
import { TelemetryWriter } from "./telemetry";
import { closeUpstreams } from "./upstream";

export interface GatewayOptions {
  databaseUrl: string;
  /** 0 = a free port. */
  port?: number;
  host?: string;
  /** Where telemetry is spooled while Postgres is unreachable. */
  spoolDir: string;
  /** Verifies the console's "try it" tokens (AUTH_SECRET). */
  authSecret?: string;
  /** Record telemetry (default true). */
  telemetry?: boolean;
  /** Request body limit (default 1 MiB). */
  maxBodyBytes?: number;
  /** Wait for the first config snapshot before resolving (default true). */
  waitForConfig?: boolean;
  log?: (message: string) => void;
}

export interface Gateway {
  url: string;
  port: number;
  server: Server;
  core: GatewayCore;
  config: ConfigStore;
  telemetry: TelemetryWriter | null;
  close(): Promise<void>;
}

function path(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

function methodNotAllowed(allowed: string): HttpError {
  return new HttpError(405, `Use ${allowed} for this endpoint.`, "invalid_request_error", "method_not_allowed", null, { allow: allowed });
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const log = opts.log ?? ((m: string) => console.log(`gateway: ${m}`));
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: opts.databaseUrl, max: 4, connectionTimeoutMillis: 5_000 }) });
  const config = new ConfigStore({ databaseUrl: opts.databaseUrl, db, log });
  const telemetry = opts.telemetry === false ? null : new TelemetryWriter({
          connectionString: opts.databaseUrl,
          spoolDir: opts.spoolDir,
          // Back within 5 s of Postgres returning: the spool is replayed, then writes go direct again.
          retryMaxMs: 5_000,
          onError: (e) => log(`telemetry: ${e.message}`),
        });
  const sink: TelemetrySink = telemetry ?? { record() {} };
  const engine = new Engine({ telemetry: sink });
  const metrics = createMetrics({
    snapshotLoadedAt: () => config.current.loadedAt,
    snapshotReloads: () => config.reloads,
    listening: () => config.listening,
    breakers: () => Object.fromEntries(Object.entries(engine.breakers.snapshot(Date.now())).map(([agent, b]) => [agent, b.state])),
    telemetry: () => (telemetry ? (telemetry.stats() as unknown as Record<string, number | string | null>) : {}),
  });
  const core = new GatewayCore({ config, engine, metrics, db, authSecret: opts.authSecret, maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024 });

  async function route(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const p = path(req);
    if (p === "/v1/chat/completions" || p === "/chat/completions") {
      if (req.method !== "POST") throw methodNotAllowed("POST");
      return handleChatCompletions(core, req, res, signal);
    }
    if (p === "/v1/models" || p === "/models") {
      if (req.method !== "GET") throw methodNotAllowed("GET");
      return handleModels(core, req, res);
    }
    if (isA2aPath(p)) return handleA2a(core, req, res, signal, p);
    if (p === "/v1/feedback" || p === "/feedback") return handleFeedback(core, req, res);
    if (p === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (p === "/readyz") {
      return config.ready
        ? sendJson(res, 200, { status: "ready", configLoadedAt: new Date(config.current.loadedAt).toISOString(), listening: config.listening })
        : sendJson(res, 503, { status: "starting", error: config.lastError });
    }
    if (p === "/metrics") {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(text);
      return;
    }
    throw new HttpError(404, `Unknown request URL: ${req.method} ${p.slice(0, 200)}. The gateway serves POST /v1/chat/completions, GET /v1/models, POST /v1/feedback and /a2a/<organization>/<route>.`, "invalid_request_error", "unknown_url");
  }

  const server = createServer(
    {
      // Slow-loris: headers within 10 s, the whole request within 30 s; idle keep-alive 5 s.
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      // Node checks those two timeouts on this interval (30 s by default, which would let a slow
      // client hold a connection three times longer than configured).
      connectionsCheckingInterval: 1_000,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 32 * 1024,
    },
    (req, res) => {
      const controller = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) controller.abort(new Error("client disconnected"));
      });
      route(req, res, controller.signal).catch((error: unknown) => {
        if (res.destroyed) return;
        if (error instanceof HttpError) return sendError(res, error);
        log(`unexpected error on ${req.method} ${path(req)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (res.headersSent) return void res.end();
        sendError(res, new HttpError(500, "The gateway failed unexpectedly; the error was logged.", "server_error", "internal_error"));
      });
    },
  );
  server.on("clientError", (error, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = (error as { code?: string }).code === "HPE_HEADER_OVERFLOW" ? 431 : (error as { code?: string }).code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    const body = JSON.stringify({ error: { message: status === 408 ? "The request was not received in time." : "The request is not valid HTTP.", type: "invalid_request_error", param: null, code: null } });
    socket.end(`HTTP/1.1 ${status} ${status === 408 ? "Request Timeout" : status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });

  await telemetry?.start();
  const configReady = config.start();
  if (opts.waitForConfig !== false) await configReady;
  else configReady.catch(() => {});

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 8080, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port: address.port,
    server,
    core,
    config,
    telemetry,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
        });
        await core.close();
        await config.close();
        await telemetry?.close();
        await closeUpstreams();
        await db.$disconnect();
      })();
      return closing;
    },
  };
}
