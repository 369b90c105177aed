/**
 * The fleet's control API (JSON over node:http), and `startDemoFleet`, which starts the fleet with
 * the control API next to it (what `tsx fleet/main.ts` runs; callable in-process too).
 *
 *   GET   /agents              every agent: FleetAgentInfo + behaviour + running
 *   GET   /agents/:id          one agent
 *   PATCH /agents/:id          a Behaviour patch (zod-validated; 400 with a message on bad input)
 *   POST  /agents/:id/stop     close the agent's listener
 *   POST  /agents/:id/start    listen again on the same port
 *   POST  /plugins/…            the fleet's gateway plugin services (./plugins.ts)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { behaviourPatchSchema, formatIssues, type Behaviour } from "./behaviour";
import type { AgentSpec } from "./catalog";
import { BodyError, readJson, requestPath, sendJson } from "./http";
import { startFleet, type Fleet, type FleetAgentInfo } from "./index";
import { handlePluginRequest } from "./plugins";

export interface AgentStatus extends FleetAgentInfo {
  behaviour: Behaviour;
  running: boolean;
}

export interface ControlServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function agentStatus(fleet: Fleet, id: string): AgentStatus {
  return { ...fleet.get(id), behaviour: fleet.behaviour(id), running: fleet.isRunning(id) };
}

export async function startControlServer(fleet: Fleet, opts: { host?: string; port?: number } = {}): Promise<ControlServer> {
  const host = opts.host ?? "127.0.0.1";
  const known = new Set(fleet.agents.map((a) => a.id));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req);
    if (path.startsWith("/plugins/")) {
      const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
      if (await handlePluginRequest(req, res, path, query)) return;
    }
    if (path === "/agents" || path === "/") {
      if (req.method !== "GET") return sendJson(res, 405, { error: "Use GET." }, { allow: "GET" });
      return sendJson(res, 200, fleet.agents.map((a) => agentStatus(fleet, a.id)));
    }
    const match = /^\/agents\/([^/]+)(?:\/(stop|start))?$/.exec(path);
    if (!match) return sendJson(res, 404, { error: `Not found: ${req.method} ${path}` });
    const id = decodeURIComponent(match[1] ?? "");
    const action = match[2];
    if (!known.has(id)) return sendJson(res, 404, { error: `Unknown agent: ${id}` });

    if (action) {
      if (req.method !== "POST") return sendJson(res, 405, { error: "Use POST." }, { allow: "POST" });
      if (action === "stop") await fleet.stopAgent(id);
      else await fleet.startAgent(id);
      return sendJson(res, 200, agentStatus(fleet, id));
    }
    if (req.method === "GET") return sendJson(res, 200, agentStatus(fleet, id));
    if (req.method !== "PATCH") return sendJson(res, 405, { error: "Use GET or PATCH." }, { allow: "GET, PATCH" });

    const parsed = behaviourPatchSchema.safeParse(await readJson(req));
    if (!parsed.success) return sendJson(res, 400, { error: `Invalid behaviour patch: ${formatIssues(parsed.error)}` });
    const { down, ...rest } = parsed.data;
    try {
      fleet.configure(id, rest);
    } catch (error) {
      return sendJson(res, 400, { error: `Invalid behaviour patch: ${(error as Error).message}` });
    }
    if (down === true) await fleet.stopAgent(id);
    if (down === false) await fleet.startAgent(id);
    sendJson(res, 200, agentStatus(fleet, id));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyError) return sendJson(res, error.status, { error: error.message });
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface DemoFleet {
  fleet: Fleet;
  control: ControlServer;
  stop(): Promise<void>;
}

/**
 * Starts the fleet on basePort.. (default 4100) and the control API on basePort - 1 (a random
 * port when basePort is 0).
 */
export async function startDemoFleet(
  opts: { host?: string; basePort?: number; agents?: AgentSpec[]; seed?: number } = {},
): Promise<DemoFleet> {
  const basePort = opts.basePort ?? 4100;
  if (basePort !== 0 && (basePort < 2 || basePort > 65535)) throw new Error(`invalid base port: ${basePort}`);
  const fleet = await startFleet({ ...opts, basePort });
  let control: ControlServer;
  try {
    control = await startControlServer(fleet, { host: opts.host, port: basePort === 0 ? 0 : basePort - 1 });
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return {
    fleet,
    control,
    async stop() {
      await Promise.all([control.close(), fleet.stop()]);
    },
  };
}
