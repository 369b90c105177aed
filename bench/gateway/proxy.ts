/**
 * The bare reference reverse proxy: node:http in front of an undici Pool, with no logic at all. It
 * forwards method, path, headers and body, and streams the answer back as it arrives. Built on the
 * same HTTP stack as the gateway, it is the practical limit of a Node proxy on this machine: what
 * the gateway adds beyond it is the price of routing, key checks and telemetry.
 * Run as a child process: `BENCH_PROXY_UPSTREAM=http://… node --import tsx bench/gateway/proxy.ts`.
 */
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream/promises";
import { Pool } from "undici";
import { serveAsChild } from "./child";

// Connection-level headers belong to one hop; undici refuses most of them anyway.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host"]);

function forwardable(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function main() {
  const upstream = process.env.BENCH_PROXY_UPSTREAM;
  if (!upstream) throw new Error("BENCH_PROXY_UPSTREAM is not set");
  const pool = new Pool(upstream, { connections: 256, keepAliveTimeout: 60_000 });

  const server = createServer(async (req, res) => {
    try {
      const answer = await pool.request({
        method: req.method as "GET" | "POST",
        path: req.url ?? "/",
        headers: forwardable(req.headers) as Record<string, string>,
        body: req.method === "GET" || req.method === "HEAD" ? undefined : req,
      });
      res.writeHead(answer.statusCode, forwardable(answer.headers));
      await pipeline(answer.body, res);
    } catch {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/json" });
        res.end('{"error":{"message":"bad gateway"}}');
      } else {
        res.destroy();
      }
    }
  });
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    serveAsChild(`http://127.0.0.1:${port}`, async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    });
  });
}

main();
