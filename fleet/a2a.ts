/**
 * A2A agent built on @a2a-js/sdk (v1.x, which implements A2A v1.0 with an opt-in v0.3 layer):
 *   GET  /.well-known/agent-card.json   the card (v0.3 shape by default, v1.0 with `A2A-Version: 1.0`)
 *   GET  /.well-known/agent.json        the same card at the pre-0.3 path
 *   POST /a2a/jsonrpc                   JSON-RPC: v1.0 `SendMessage`, `SendStreamingMessage`,
 *                                       `GetTask`, `CancelTask`, … and v0.3 `message/send`,
 *                                       `message/stream`, `tasks/get`, `tasks/cancel`, …
 * The SDK picks the v0.3 or v1.0 dispatcher from the `A2A-Version` header (absent = 0.3); this
 * agent sets that header from the method name first, so either method family works without it.
 */
import { randomUUID } from "node:crypto";
import { AsyncLocalStorage } from "node:async_hooks";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { AgentCard, Role, TaskState, type Message, type Part, type SecurityScheme, type Task } from "@a2a-js/sdk";
import { duplicateInterfacesForLegacy, isLegacyJsonRpcMethod, isV1JsonRpcMethod } from "@a2a-js/sdk/compat/v0_3";
import { legacyAgentCardRouter } from "@a2a-js/sdk/compat/v0_3/server/express";
import {
  AgentEvent,
  DefaultRequestHandler,
  InMemoryTaskStore,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from "@a2a-js/sdk/server";
import { UserBuilder, agentCardHandler, jsonRpcHandler } from "@a2a-js/sdk/server/express";
import { summarizerReply, tokenChunks, translatorReply, travelReply } from "./answers";
import { sleep } from "./behaviour";
import type { A2aAgentSpec } from "./catalog";
import { bearerToken, type AgentContext, type AgentListener } from "./http";

export const A2A_JSONRPC_PATH = "/a2a/jsonrpc";
export const AGENT_CARD_PATHS = ["/.well-known/agent-card.json", "/.well-known/agent.json"];

const STREAM_METHODS = new Set(["SendStreamingMessage", "message/stream"]);
const WORK_METHODS = new Set(["SendMessage", "message/send"]);

const RESPONDERS: Record<A2aAgentSpec["responder"], (text: string) => string> = {
  travel: travelReply,
  translator: translatorReply,
  summarizer: summarizerReply,
};

/** Per request: whether the caller streams (pace the answer) and when it has gone away. */
const requestScope = new AsyncLocalStorage<{ streaming: boolean; signal: AbortSignal }>();

function textPart(text: string): Part {
  return { content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" };
}

function agentMessage(text: string, taskId: string, contextId: string): Message {
  return {
    messageId: randomUUID(),
    contextId,
    taskId,
    role: Role.ROLE_AGENT,
    parts: [textPart(text)],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

function messageText(message: Message): string {
  return message.parts
    .map((part) => {
      const content = part.content;
      if (content?.$case === "text") return content.value;
      if (content?.$case === "data") return JSON.stringify(content.value);
      return "";
    })
    .filter(Boolean)
    .join("\n");
}

export function buildAgentCard(spec: A2aAgentSpec, origin: string): AgentCard {
  const bearer: Record<string, SecurityScheme> = spec.apiKey
    ? {
        bearer: {
          scheme: {
            $case: "httpAuthSecurityScheme",
            value: { description: "Bearer API key", scheme: "Bearer", bearerFormat: "" },
          },
        },
      }
    : {};
  return {
    name: spec.name,
    description: spec.description,
    supportedInterfaces: duplicateInterfacesForLegacy(
      [{ url: `${origin}${A2A_JSONRPC_PATH}`, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0" }],
      ["JSONRPC"],
    ),
    provider: { organization: "HelixAgent demo fleet", url: "https://example.com/helixagent/fleet" },
    version: spec.version ?? "1.0.0",
    documentationUrl: `${origin}/`,
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: bearer,
    securityRequirements: spec.apiKey ? [{ schemes: { bearer: { list: [] } } }] : [],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: spec.skills.map((skill) => ({
      id: skill.id,
      name: skill.name,
      description: skill.description,
      tags: skill.tags,
      examples: skill.examples,
      inputModes: skill.inputModes ?? ["text/plain"],
      outputModes: skill.outputModes ?? ["text/plain"],
      securityRequirements: [],
    })),
    signatures: [],
  };
}

/** Answers every message with a task: submitted → working → artifact "reply" → completed. */
class FleetExecutor implements AgentExecutor {
  /** Tasks being executed, so cancelTask can stop them mid-stream. */
  private readonly running = new Map<string, { contextId: string; abort: AbortController }>();

  constructor(
    private readonly spec: A2aAgentSpec,
    private readonly ctx: AgentContext,
  ) {}

  execute = async (request: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId } = request;
    const scope = requestScope.getStore();
    const abort = new AbortController();
    this.running.set(taskId, { contextId, abort });
    const signal = scope ? AbortSignal.any([scope.signal, abort.signal]) : abort.signal;
    const reply = RESPONDERS[this.spec.responder](messageText(request.userMessage));
    const status = (state: TaskState, message?: Message) => ({ state, message, timestamp: new Date().toISOString() });
    const publishStatus = (state: TaskState, message?: Message) =>
      bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: status(state, message), metadata: undefined }));
    const artifact = (text: string, append: boolean, lastChunk: boolean) =>
      AgentEvent.artifactUpdate({
        taskId,
        contextId,
        artifact: { artifactId: "reply", name: "reply", description: "", parts: [textPart(text)], metadata: undefined, extensions: [] },
        append,
        lastChunk,
        metadata: undefined,
      });

    try {
      const task: Task = request.task
        ? { ...request.task, status: status(TaskState.TASK_STATE_SUBMITTED) }
        : { id: taskId, contextId, status: status(TaskState.TASK_STATE_SUBMITTED), artifacts: [], history: [request.userMessage], metadata: undefined };
      bus.publish(AgentEvent.task(task));
      publishStatus(TaskState.TASK_STATE_WORKING);
      if (scope?.streaming) {
        await sleep(this.ctx.behaviour.ttftMs, signal);
        const chunks = tokenChunks(reply);
        const interval = this.ctx.behaviour.tokenIntervalMs();
        for (const [i, chunk] of chunks.entries()) {
          if (i > 0) await sleep(interval, signal);
          bus.publish(artifact(chunk, i > 0, i === chunks.length - 1));
        }
      } else {
        bus.publish(artifact(reply, false, true));
      }
      publishStatus(TaskState.TASK_STATE_COMPLETED, agentMessage(reply, taskId, contextId));
    } catch (error) {
      if (!signal.aborted) throw error;
      // Canceled (cancelTask already published the status) or the caller went away mid-stream.
      if (!abort.signal.aborted) publishStatus(TaskState.TASK_STATE_CANCELED);
    } finally {
      this.running.delete(taskId);
    }
  };

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const run = this.running.get(taskId);
    run?.abort.abort(new Error("canceled"));
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId: run?.contextId ?? "",
        status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: new Date().toISOString() },
        metadata: undefined,
      }),
    );
  };
}

function rpcError(id: unknown, code: number, message: string) {
  return { jsonrpc: "2.0", id: typeof id === "string" || typeof id === "number" ? id : null, error: { code, message } };
}

function bodyOf(req: express.Request): { method?: unknown; id?: unknown } {
  return typeof req.body === "object" && req.body !== null ? (req.body as { method?: unknown; id?: unknown }) : {};
}

export function createA2aAgent(spec: A2aAgentSpec, ctx: AgentContext): AgentListener {
  const card = buildAgentCard(spec, ctx.origin);
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), new FleetExecutor(spec, ctx));
  const app = express();
  app.disable("x-powered-by");

  const probe: RequestHandler = (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    ctx.behaviour.admit("probe").then(
      (ok) => (ok ? next() : res.status(500).json({ error: "injected failure (demo fleet errorRate)" })),
      next,
    );
  };
  // v0.3 card for requests without `A2A-Version` (or 0.3); the v1.0 card otherwise. The SDK's
  // v1.0 handler serializes its in-memory card with JSON.stringify, which writes oneof fields
  // (securitySchemes) as {"$case", "value"}; we serve the ProtoJSON form (AgentCard.toJSON) on top
  // of the in-memory card instead, which keeps the empty lists and fixes the oneofs.
  const wireCard = { ...card, ...(AgentCard.toJSON(card) as object) } as AgentCard;
  const legacyCard = legacyAgentCardRouter({ agentCardProvider: requestHandler, cache: { maxAge: 0 } });
  const v1Card = agentCardHandler({ agentCardProvider: async () => wireCard, cache: { maxAge: 0 } });
  const varyOnVersion: RequestHandler = (_req, res, next) => {
    res.append("Vary", "A2A-Version");
    next();
  };
  for (const path of AGENT_CARD_PATHS) app.use(path, probe, legacyCard, varyOnVersion, v1Card);

  const auth: RequestHandler = (req, res, next) => {
    if (spec.apiKey === undefined || bearerToken(req) === spec.apiKey) return next();
    res.setHeader("www-authenticate", 'Bearer realm="a2a"');
    res.status(401).json(rpcError(bodyOf(req).id, -32600, "Unauthorized: missing or invalid bearer token."));
  };

  /** The method name decides the protocol version, whatever the A2A-Version header says. */
  const versionFromMethod: RequestHandler = (req, _res, next) => {
    const { method } = bodyOf(req);
    if (isLegacyJsonRpcMethod(method)) req.headers["a2a-version"] = "0.3";
    else if (isV1JsonRpcMethod(method)) req.headers["a2a-version"] = "1.0";
    next();
  };

  const behaviour: RequestHandler = (req, res, next) => {
    if (req.method !== "POST") return next();
    const { method, id } = bodyOf(req);
    const name = typeof method === "string" ? method : "";
    const kind = STREAM_METHODS.has(name) ? "stream" : WORK_METHODS.has(name) ? "work" : "probe";
    const controller = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) controller.abort(new Error("client disconnected"));
    });
    ctx.behaviour.admit(kind, controller.signal).then((ok) => {
      if (!ok) {
        res.status(500).json(rpcError(id, -32603, "Internal error (injected by the demo fleet's errorRate)."));
        return;
      }
      requestScope.run({ streaming: kind === "stream", signal: controller.signal }, () => next());
    }, next);
  };

  const parseJson = express.json({ limit: "1mb" });
  const badJson: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (error instanceof SyntaxError) return res.status(200).json(rpcError(null, -32700, "Invalid JSON payload."));
    next(error);
  };

  app.use(
    A2A_JSONRPC_PATH,
    auth,
    parseJson,
    badJson,
    versionFromMethod,
    behaviour,
    jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication, legacyCompat: { enabled: true } }),
  );

  app.get("/", (_req, res) => {
    res.json({ name: spec.name, protocol: "A2A", agentCard: `${ctx.origin}${AGENT_CARD_PATHS[0]}`, jsonRpc: `${ctx.origin}${A2A_JSONRPC_PATH}` });
  });
  app.use((req, res) => {
    res.status(404).json({ error: `Not found: ${req.method} ${req.path}` });
  });

  return (req, res) => {
    app(req, res);
  };
}
