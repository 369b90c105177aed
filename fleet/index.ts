/**
 * The demo agent fleet: real local HTTP agents (OpenAI-compatible chat, A2A, MCP) with
 * deterministic answers and configurable latency, errors and downtime.
 *
 *   const fleet = await startFleet({ basePort: 0 });   // random ports; the default is 4100..4106
 *   fleet.get("calc-tools").url  // http://127.0.0.1:<port>/mcp
 *   fleet.configure("atlas-chat", { errorRate: 1 });
 *   await fleet.stopAgent("translator"); await fleet.startAgent("translator");
 *   await fleet.stop();
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createA2aAgent } from "./a2a";
import { BehaviourController, DEFAULT_BEHAVIOUR, hashString, type Behaviour } from "./behaviour";
import { DEFAULT_FLEET, type AgentSpec, type FleetProtocol } from "./catalog";
import type { AgentContext, AgentListener } from "./http";
import { createMcpAgent, MCP_PATH, TOOLSETS } from "./mcp";
import { createOpenAiAgent } from "./openai";

export type { Behaviour } from "./behaviour";
export { DEFAULT_BEHAVIOUR, behaviourPatchSchema, behaviourSchema } from "./behaviour";
export type { AgentSpec, A2aAgentSpec, FleetProtocol, McpAgentSpec, OpenAiAgentSpec, SkillSpec } from "./catalog";
export { DEFAULT_FLEET } from "./catalog";

export interface FleetAgentInfo {
  id: string;
  protocol: FleetProtocol;
  name: string;
  description: string;
  /**
   * What a user pastes to register the agent. OpenAI: the base URL ending in /v1. A2A: the agent's
   * base URL (card at /.well-known/agent-card.json). MCP: the Streamable HTTP endpoint (…/mcp).
   */
  url: string;
  port: number;
  skills: string[];
}

export interface FleetOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Agent i listens on basePort + i (default 4100, like the CLI); 0 = a random free port per agent (tests). */
  basePort?: number;
  /** The agents to start (default DEFAULT_FLEET). */
  agents?: AgentSpec[];
  /** Mixed into every agent's PRNG seed, for reproducible runs with different draws. */
  seed?: number;
  /** Applied on top of every agent's own behaviour (e.g. zero latency in tests). */
  behaviour?: Partial<Behaviour>;
}

export interface Fleet {
  agents: FleetAgentInfo[];
  /** Stops every agent and waits until all listeners are closed. */
  stop(): Promise<void>;
  /** Closes one agent's listener and drops its open connections (connection refused after). */
  stopAgent(id: string): Promise<void>;
  /** Listens again on the same port. */
  startAgent(id: string): Promise<void>;
  /** Changes an agent's behaviour at run time; `down` stops or starts its listener. Throws on invalid values. */
  configure(id: string, patch: Partial<Behaviour>): void;
  get(id: string): FleetAgentInfo;
  /** The agent's current behaviour (`down` reflects whether it is listening). */
  behaviour(id: string): Behaviour;
  isRunning(id: string): boolean;
}

function displayHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function agentUrl(spec: AgentSpec, origin: string): string {
  if (spec.protocol === "OPENAI") return `${origin}/v1`;
  if (spec.protocol === "MCP") return `${origin}${MCP_PATH}`;
  return origin;
}

function skillNames(spec: AgentSpec): string[] {
  if (spec.protocol === "MCP") return TOOLSETS[spec.toolset].map((tool) => tool.name);
  return spec.skills.map((skill) => skill.name);
}

function buildListener(spec: AgentSpec, ctx: AgentContext): AgentListener {
  switch (spec.protocol) {
    case "OPENAI":
      return createOpenAiAgent(spec, ctx);
    case "A2A":
      return createA2aAgent(spec, ctx);
    case "MCP":
      return createMcpAgent(spec, ctx);
  }
}

/** One agent: its listener, port and behaviour. The request handler survives stop/start. */
class AgentRuntime {
  readonly behaviour: BehaviourController;
  info!: FleetAgentInfo;
  private live: { server: Server; sockets: Set<Socket> } | undefined;
  private listener: AgentListener | undefined;
  private port: number;
  /** Serializes start/stop so configure({down}) and explicit calls cannot interleave. */
  private transition: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: AgentSpec,
    private readonly host: string,
    port: number,
    seed: number,
    override: Partial<Behaviour>,
  ) {
    this.port = port;
    const { down: _down, ...initial } = { ...DEFAULT_BEHAVIOUR, ...spec.behaviour, ...override };
    this.behaviour = new BehaviourController(initial, (spec.seed ?? hashString(spec.id)) ^ seed);
  }

  get running(): boolean {
    return this.live !== undefined;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.listen());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.close());
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.transition.then(step);
    this.transition = next.catch(() => undefined);
    return next;
  }

  private async listen(): Promise<void> {
    if (this.live) return;
    const sockets = new Set<Socket>();
    const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
      if (this.listener) this.listener(req, res);
      else {
        res.writeHead(503, { "retry-after": "1" });
        res.end();
      }
    });
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(new Error(`${this.spec.id}: cannot listen on ${this.host}:${this.port}: ${error.message}`));
      server.once("error", onError);
      server.listen(this.port, this.host, () => {
        server.off("error", onError);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    const origin = `http://${displayHost(this.host)}:${this.port}`;
    if (!this.listener) {
      this.info = {
        id: this.spec.id,
        protocol: this.spec.protocol,
        name: this.spec.name,
        description: this.spec.description,
        url: agentUrl(this.spec, origin),
        port: this.port,
        skills: skillNames(this.spec),
      };
      this.listener = buildListener(this.spec, { origin, behaviour: this.behaviour });
    }
    this.live = { server, sockets };
    this.behaviour.update({ down: false });
  }

  private async close(): Promise<void> {
    this.behaviour.update({ down: true });
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    const closed = new Promise<void>((resolve) => live.server.close(() => resolve()));
    live.server.closeAllConnections();
    for (const socket of live.sockets) socket.destroy();
    await closed;
  }
}

export async function startFleet(opts: FleetOptions = {}): Promise<Fleet> {
  const host = opts.host ?? "127.0.0.1";
  const specs = opts.agents ?? DEFAULT_FLEET;
  const basePort = opts.basePort ?? 4100;
  if (!Number.isInteger(basePort) || basePort < 0 || basePort + specs.length - 1 > 65535) {
    throw new Error(`invalid base port: ${basePort}`);
  }
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.id)) throw new Error(`duplicate agent id: ${spec.id}`);
    seen.add(spec.id);
  }
  const runtimes = specs.map((spec, i) => new AgentRuntime(spec, host, basePort === 0 ? 0 : basePort + i, opts.seed ?? 0, opts.behaviour ?? {}));
  const byId = new Map(runtimes.map((r) => [r.spec.id, r]));

  const started = await Promise.allSettled(runtimes.map((r) => r.start()));
  const failure = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) {
    await Promise.allSettled(runtimes.map((r) => r.stop()));
    throw failure.reason;
  }

  const runtime = (id: string): AgentRuntime => {
    const found = byId.get(id);
    if (!found) throw new Error(`unknown agent: ${id}`);
    return found;
  };

  return {
    agents: runtimes.map((r) => r.info),
    async stop() {
      await Promise.all(runtimes.map((r) => r.stop()));
    },
    stopAgent: (id) => runtime(id).stop(),
    startAgent: (id) => runtime(id).start(),
    configure(id, patch) {
      const r = runtime(id);
      r.behaviour.update(patch);
      const { down } = patch;
      if (down === true) void r.stop().catch((error: unknown) => console.error(`fleet: stopping ${id} failed:`, error));
      if (down === false) void r.start().catch((error: unknown) => console.error(`fleet: starting ${id} failed:`, error));
    },
    get: (id) => runtime(id).info,
    behaviour: (id) => runtime(id).behaviour.behaviour,
    isRunning: (id) => runtime(id).running,
  };
}
