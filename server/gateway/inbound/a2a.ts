/**
 * Each route as an A2A agent, at /a2a/<organization slug>/<route slug>:
 *   GET  …/.well-known/agent-card.json (and agent.json)   the route's card, public: v1.0-shaped with
 *        `A2A-Version: 1.0`, v0.3-shaped otherwise (the convention of @a2a-js/sdk and the fleet)
 *   POST …                                                 JSON-RPC with an API key of the organization:
 *        v1.0 SendMessage, SendStreamingMessage, GetTask, CancelTask and v0.3 message/send,
 *        message/stream, tasks/get, tasks/cancel (the version follows the method name)
 *
 * The SDK's JSON-RPC transport handlers read requests and write answers in either version; behind
 * them, RouteAgent turns a message's text into a ChatRequest for the route and lets the engine answer
 * it, whatever protocol the route's agents speak. Every message gets a task. A blocking send answers
 * it completed, the answer as an artifact and in its history; a stream sends the task, `working`, the
 * answer as appended artifact chunks as it arrives, and a final status. A failure before any text is
 * a JSON-RPC error (-32603, the gateway's message); after text, a final `failed` status.
 *
 * Tasks, and the turns of each conversation (contextId) so a follow-up message continues it, live in
 * this process's memory: bounded, least recently used out first, for an hour. A route's endpoint sees
 * only its own tasks. Telemetry gets one request row per message; GetTask and CancelTask add none.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  AgentCard,
  Role,
  SSE_HEADERS,
  TaskState,
  formatSSEErrorEvent,
  formatSSEEvent,
  type CancelTaskRequest,
  type GetTaskRequest,
  type Message,
  type Part,
  type SendMessageRequest,
  type StreamResponse,
  type Task,
} from "@a2a-js/sdk";
import { duplicateInterfacesForLegacy, isLegacyJsonRpcMethod, isV1JsonRpcMethod } from "@a2a-js/sdk/compat/v0_3";
import { LegacyJsonRpcTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import {
  A2A_ERROR_CODE,
  ExtendedAgentCardNotConfiguredError,
  PushNotificationNotSupportedError,
  RequestMalformedError,
  TaskNotCancelableError,
  TaskNotFoundError,
  UnsupportedOperationError,
} from "@a2a-js/sdk/errors";
import { JsonRpcTransportHandler, ServerCallContext, type A2ARequestHandler } from "@a2a-js/sdk/server";
import { usableRoutes, type Principal } from "../auth";
import { runError, type GatewayCore } from "../core";
import type { RequestContext, RunOutcome } from "../engine";
import { HttpError, readBody, sendJson } from "../http";
import { PluginRefusal } from "../plugins";
import { maskAnswer, maskingStream, PolicyDenied, type AppliedPolicies } from "../policies";
import type { ChatMessage, ChatRequest, Snapshot, SnapshotRoute } from "../types";

const CARD_FILES = new Set(["agent-card.json", "agent.json"]);
const MESSAGE_METHODS = new Set(["SendMessage", "SendStreamingMessage", "message/send", "message/stream"]);

const KEEP_MS = 60 * 60 * 1000;
const MAX_TASKS = 10_000;
const MAX_CONTEXTS = 10_000;
/** Characters of text kept in memory per store, whatever the count. */
const MAX_STORED_CHARS = 64 * 1024 * 1024;
/** A conversation keeps its last turns only. */
const MAX_CONTEXT_MESSAGES = 100;
const ANSWER_ARTIFACT = "answer";
const TERMINAL = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_REJECTED]);

// ---------------------------------------------------------------------------------------------
// Memory

/** Least recently used out first, bounded by count and by weight; entries expire `ttlMs` after their last write. */
class Lru<V> {
  private readonly entries = new Map<string, { value: V; weight: number; expiresAt: number }>();
  private weight = 0;

  constructor(private readonly limits: { count: number; weight: number; ttlMs: number }) {}

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) {
      this.weight -= entry.weight;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, weight: number, now = Date.now()): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.weight -= old.weight;
    }
    this.entries.set(key, { value, weight, expiresAt: now + this.limits.ttlMs });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.count && this.weight <= this.limits.weight) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }
}

interface StoredTask {
  task: Task;
  orgId: string;
  routeId: string;
  /** Aborts the task's run while it is in flight; null once it has finished. */
  abort: AbortController | null;
}

interface A2aMemory {
  tasks: Lru<StoredTask>;
  /** `${orgId} ${contextId}` → the conversation's earlier turns. */
  contexts: Lru<ChatMessage[]>;
}

const memories = new WeakMap<GatewayCore, A2aMemory>();

function memoryOf(core: GatewayCore): A2aMemory {
  let memory = memories.get(core);
  if (!memory) {
    memory = {
      tasks: new Lru({ count: MAX_TASKS, weight: MAX_STORED_CHARS, ttlMs: KEEP_MS }),
      contexts: new Lru({ count: MAX_CONTEXTS, weight: MAX_STORED_CHARS, ttlMs: KEEP_MS }),
    };
    memories.set(core, memory);
  }
  return memory;
}

function partsChars(parts: Part[]): number {
  let n = 0;
  for (const p of parts) if (p.content?.$case === "text") n += p.content.value.length;
  return n;
}

function taskWeight(task: Task): number {
  let n = 200;
  for (const m of task.history) n += partsChars(m.parts);
  for (const a of task.artifacts) n += partsChars(a.parts);
  return n + partsChars(task.status?.message?.parts ?? []);
}

// ---------------------------------------------------------------------------------------------
// Paths, routes and cards

const routeIndexes = new WeakMap<Snapshot, Map<string, SnapshotRoute>>();

/** The enabled route published at /a2a/<orgSlug>/<slug>. */
function publishedRoute(snapshot: Snapshot, orgSlug: string, slug: string): SnapshotRoute | undefined {
  let index = routeIndexes.get(snapshot);
  if (!index) {
    index = new Map();
    for (const route of snapshot.routesById.values()) index.set(`${route.orgSlug}/${route.slug}`, route);
    routeIndexes.set(snapshot, index);
  }
  return index.get(`${orgSlug}/${slug}`);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function isA2aPath(p: string): boolean {
  return p.startsWith("/a2a/");
}

function routePath(route: SnapshotRoute): string {
  return `/a2a/${encodeURIComponent(route.orgSlug)}/${encodeURIComponent(route.slug)}`;
}

/** http://<Host> as the client reached us (https when a proxy in front says so). */
function originOf(req: IncomingMessage): string {
  const forwarded = req.headers["x-forwarded-proto"];
  const scheme = typeof forwarded === "string" && forwarded.split(",")[0]!.trim() === "https" ? "https" : "http";
  const host = req.headers.host;
  if (host && /^[A-Za-z0-9.\-:[\]]+$/.test(host)) return `${scheme}://${host}`;
  const { localAddress, localPort } = req.socket;
  return `${scheme}://${localAddress?.includes(":") ? `[${localAddress}]` : localAddress}:${localPort}`;
}

function textPart(text: string): Part {
  return { content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" };
}

/** The route's card in the SDK's (v1.0) model. */
export function routeCard(route: SnapshotRoute, origin: string): AgentCard {
  const url = `${origin}${routePath(route)}`;
  const description = route.description ?? `HelixAgent route ${route.alias}`;
  return {
    name: route.name,
    description,
    supportedInterfaces: duplicateInterfacesForLegacy([{ url, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0" }], ["JSONRPC"]),
    provider: { organization: "HelixAgent", url: origin },
    version: String(route.version),
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {
      bearer: {
        scheme: {
          $case: "httpAuthSecurityScheme",
          value: { description: "A HelixAgent API key of the route's organization (hx_…)", scheme: "Bearer", bearerFormat: "" },
        },
      },
    },
    securityRequirements: [{ schemes: { bearer: { list: [] } } }],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [
      {
        id: route.alias,
        name: route.name,
        description,
        tags: route.requiredSkill ? ["chat", route.requiredSkill] : ["chat"],
        examples: [],
        inputModes: ["text/plain"],
        outputModes: ["text/plain"],
        securityRequirements: [],
      },
    ],
    signatures: [],
  };
}

/** The v0.3 form of a card, by the SDK's own translator (reachable through its v0.3 transport only). */
async function legacyCardJson(card: AgentCard): Promise<unknown> {
  const source = { getAuthenticatedExtendedAgentCard: async () => card } as Pick<A2ARequestHandler, "getAuthenticatedExtendedAgentCard">;
  const answer = await new LegacyJsonRpcTransportHandler(source as A2ARequestHandler).handle(
    { jsonrpc: "2.0", id: 0, method: "agent/getAuthenticatedExtendedCard" },
    new ServerCallContext(),
  );
  if (!("result" in answer)) throw new Error("the SDK could not translate the agent card to v0.3");
  return answer.result;
}

function wantsV1(req: IncomingMessage): boolean {
  const version = req.headers["a2a-version"];
  return typeof version === "string" && /^\s*1(\.|\s*$)/.test(version);
}

async function sendCard(core: GatewayCore, req: IncomingMessage, res: ServerResponse, orgSlug: string, slug: string): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new HttpError(405, "Use GET for the agent card.", "invalid_request_error", "method_not_allowed", null, { allow: "GET, HEAD" });
  }
  if (!core.opts.config.ready) {
    throw new HttpError(503, "The gateway is starting and has not loaded its configuration yet. Retry in a moment.", "server_error", "not_ready", null, { "retry-after": "1" });
  }
  const route = publishedRoute(core.snapshot, orgSlug, slug);
  if (!route) throw new HttpError(404, `No route is published at /a2a/${orgSlug}/${slug}.`, "invalid_request_error", "route_not_found");
  const card = routeCard(route, originOf(req));
  const body = wantsV1(req) ? AgentCard.toJSON(card) : await legacyCardJson(card);
  sendJson(res, 200, body, { vary: "A2A-Version", "cache-control": "no-cache" });
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC

type RpcId = string | number | null;

function sendRpcError(res: ServerResponse, status: number, id: RpcId, code: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { jsonrpc: "2.0", id, error: { code, message } }, headers);
}

/** A failure the gateway answers with a JSON-RPC error on an HTTP status of its own (auth, route, size, agents). */
function sendHttpFailure(res: ServerResponse, id: RpcId, error: HttpError, headers: Record<string, string> = {}): void {
  const code = error.status >= 500 ? A2A_ERROR_CODE.INTERNAL_ERROR : A2A_ERROR_CODE.INVALID_REQUEST;
  sendRpcError(res, error.status, id, code, error.message, { ...headers, ...error.headers });
}

function isRpcId(id: unknown): id is RpcId {
  return id === null || typeof id === "string" || (typeof id === "number" && Number.isInteger(id));
}

/** A run that failed before the client got any text: -32603 with the gateway's message. */
class RunFailure extends Error {
  constructor(readonly error: HttpError) {
    super(error.message);
    this.name = "RunFailure";
  }
}

function textOf(parts: Part[]): string {
  const texts: string[] = [];
  for (const part of parts) if (part.content?.$case === "text" && part.content.value) texts.push(part.content.value);
  return texts.join("\n");
}

function agentMessage(text: string, taskId: string, contextId: string): Message {
  return { messageId: randomUUID(), contextId, taskId, role: Role.ROLE_AGENT, parts: [textPart(text)], metadata: undefined, extensions: [], referenceTaskIds: [] };
}

function setStatus(task: Task, state: TaskState, message?: Message): void {
  task.status = { state, message, timestamp: new Date().toISOString() };
}

/** A copy for the client; `historyLength` as A2A defines it (absent: all, 0: none, n: the last n). */
function view(task: Task, historyLength?: number): Task {
  const copy = structuredClone(task);
  if (historyLength !== undefined && historyLength >= 0) copy.history = historyLength === 0 ? [] : copy.history.slice(-historyLength);
  return copy;
}

const stateName = (state: TaskState | undefined) => (TaskState[state ?? TaskState.TASK_STATE_UNSPECIFIED] ?? "TASK_STATE_UNSPECIFIED").slice("TASK_STATE_".length).toLowerCase();

/** Pushes from callbacks, pulled by an async generator; ends normally or with an error. */
class EventQueue<T> {
  private readonly items: T[] = [];
  private done = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;

  push(item: T): void {
    this.items.push(item);
    this.notify();
  }

  end(failure: unknown = null): void {
    this.done = true;
    this.failure = failure;
    this.notify();
  }

  private notify() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  async *drain(): AsyncGenerator<T, void, undefined> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.done) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

interface RouteAgentOptions {
  core: GatewayCore;
  route: SnapshotRoute;
  card: AgentCard;
  ctx: RequestContext;
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal;
  req: IncomingMessage;
  principal: Principal;
}

/**
 * The A2A request handler for one JSON-RPC request to one route (the SDK's transports call it with
 * v1.0-shaped params and turn what it returns into either version).
 */
class RouteAgent implements A2ARequestHandler {
  /** The HTTP status and headers for a run that failed before any text. */
  failure: HttpError | null = null;
  private recorded = false;
  /** A run was started: it records the request's telemetry itself when it ends. */
  private running = false;
  private readonly memory: A2aMemory;
  /** What the organization's policies made of this request's message. */
  private policies: AppliedPolicies | null = null;

  constructor(private readonly o: RouteAgentOptions) {
    this.memory = memoryOf(o.core);
  }

  /** Telemetry for the request, once. */
  record(status: number, errorClass: Parameters<GatewayCore["finish"]>[0]["errorClass"], request: ChatRequest | null = null, outcome: RunOutcome | null = null): void {
    if (this.recorded) return;
    this.recorded = true;
    this.o.core.finish({ route: this.o.route, request, ctx: this.o.ctx, outcome, status, errorClass });
  }

  /** Telemetry for a message request that ended before a run (a bad message, or a bug of ours). */
  recordUnlessRunning(status: number): void {
    if (!this.running) this.record(status, status >= 500 ? null : "client_error");
  }

  async getAgentCard(): Promise<AgentCard> {
    return this.o.card;
  }

  async sendMessage(params: SendMessageRequest): Promise<Task> {
    const { stored, request } = await this.begin(params, false);
    const historyLength = params.configuration?.historyLength;
    if (params.configuration?.returnImmediately) {
      // The client polls GetTask: the run is not tied to this request's connection.
      void this.execute(stored, request, { detached: true });
      return view(stored.task, historyLength);
    }
    const error = await this.execute(stored, request, {});
    if (error) {
      this.failure = error;
      throw new RunFailure(error);
    }
    return view(stored.task, historyLength);
  }

  async *sendMessageStream(params: SendMessageRequest): AsyncGenerator<StreamResponse, void, undefined> {
    const { stored, request } = await this.begin(params, true);
    const { id: taskId, contextId } = stored.task;
    const queue = new EventQueue<StreamResponse>();
    const status = (state: TaskState, message?: Message): StreamResponse => ({
      payload: { $case: "statusUpdate", value: { taskId, contextId, status: { state, message, timestamp: new Date().toISOString() }, metadata: undefined } },
    });
    queue.push({ payload: { $case: "task", value: view(stored.task) } });
    queue.push(status(TaskState.TASK_STATE_WORKING));
    let chunks = 0;
    const onDelta = (text: string) => {
      queue.push({
        payload: {
          $case: "artifactUpdate",
          value: {
            taskId,
            contextId,
            artifact: { artifactId: ANSWER_ARTIFACT, name: ANSWER_ARTIFACT, description: "", parts: [textPart(text)], metadata: undefined, extensions: [] },
            append: chunks++ > 0,
            lastChunk: false,
            metadata: undefined,
          },
        },
      });
    };
    void this.execute(stored, request, { onDelta }).then((error) => {
      const final = stored.task.status!;
      if (error === null) queue.push(status(final.state, final.message)); // completed, or canceled by CancelTask
      else if (error.status === 499) return queue.end(); // nobody is listening any more
      else if (chunks === 0) return queue.end(new RunFailure(error));
      else queue.push(status(TaskState.TASK_STATE_FAILED, final.message));
      queue.end();
    });
    yield* queue.drain();
  }

  async getTask(params: GetTaskRequest): Promise<Task> {
    return view(this.stored(params.id).task, params.historyLength);
  }

  async cancelTask(params: CancelTaskRequest): Promise<Task> {
    const stored = this.stored(params.id);
    const state = stored.task.status?.state;
    if (stored.abort === null || (state !== undefined && TERMINAL.has(state))) {
      throw new TaskNotCancelableError({ message: `Task ${params.id} is ${stateName(state)} and can no longer be canceled.` });
    }
    setStatus(stored.task, TaskState.TASK_STATE_CANCELED, agentMessage("Canceled at the client's request.", stored.task.id, stored.task.contextId));
    stored.abort.abort(new Error("task canceled"));
    return view(stored.task);
  }

  listTasks(): Promise<never> {
    throw new UnsupportedOperationError({ message: "ListTasks is not offered by HelixAgent routes: keep the ids SendMessage answers and use GetTask." });
  }

  createTaskPushNotificationConfig(): Promise<never> {
    throw pushUnsupported();
  }

  getTaskPushNotificationConfig(): Promise<never> {
    throw pushUnsupported();
  }

  listTaskPushNotificationConfigs(): Promise<never> {
    throw pushUnsupported();
  }

  deleteTaskPushNotificationConfig(): Promise<never> {
    throw pushUnsupported();
  }

  resubscribe(): AsyncGenerator<StreamResponse, void, undefined> {
    throw new UnsupportedOperationError({ message: "Resubscribing to a task is not offered by HelixAgent routes: use GetTask." });
  }

  getAuthenticatedExtendedAgentCard(): Promise<never> {
    throw new ExtendedAgentCardNotConfiguredError({ message: "HelixAgent routes have no extended agent card: the public card is complete." });
  }

  /** A task of this route; another route's or organization's task is not found. */
  private stored(id: string): StoredTask {
    const stored = id ? this.memory.tasks.get(id) : undefined;
    if (!stored || stored.routeId !== this.o.route.id || stored.orgId !== this.o.route.orgId) {
      throw new TaskNotFoundError({ message: `Task ${id || "(no id)"} was not found: the gateway keeps a route's tasks for an hour after their last change.` });
    }
    return stored;
  }

  /** Checks the message and creates its task and ChatRequest. */
  private async begin(params: SendMessageRequest, stream: boolean): Promise<{ stored: StoredTask; request: ChatRequest }> {
    const message = params.message;
    if (!message) {
      throw new RequestMalformedError({ message: "params.message is required: the message for the route's agents, with at least one text part." });
    }
    const text = textOf(message.parts);
    if (!text.trim()) {
      throw new RequestMalformedError({
        message: "The message has no text: send at least one text part (HelixAgent routes answer text; file and data parts are not forwarded).",
      });
    }
    if (message.taskId) {
      const earlier = this.stored(message.taskId);
      throw new RequestMalformedError({
        message: `Task ${message.taskId} is ${stateName(earlier.task.status?.state)} and takes no further messages: send a new message with contextId ${earlier.task.contextId} to continue the conversation.`,
      });
    }
    const { route } = this.o;
    const contextId = message.contextId || randomUUID();
    const turns = this.memory.contexts.get(contextKey(route.orgId, contextId)) ?? [];
    const taskId = randomUUID();
    const userMessage: Message = { ...structuredClone(message), taskId, contextId, parts: message.parts.filter((p) => p.content?.$case === "text").map((p) => structuredClone(p)) };
    const task: Task = { id: taskId, contextId, status: undefined, artifacts: [], history: [userMessage], metadata: undefined };
    setStatus(task, TaskState.TASK_STATE_SUBMITTED);
    let request: ChatRequest = { model: route.alias, messages: [...turns, { role: "user", content: text }], stream, includeUsage: false, extra: {} };
    try {
      this.policies = this.o.core.applyPolicies(this.o.req, this.o.principal, route, request, this.o.ctx);
    } catch (error) {
      if (!(error instanceof PolicyDenied)) throw error;
      // Refused before any task exists: the client gets the policy's reason with status 403.
      this.failure = error;
      throw new RunFailure(error);
    }
    if (this.policies) request = this.policies.request;
    try {
      request = await this.o.core.runPluginsBefore(route, request, this.o.ctx, this.o.clientSignal);
    } catch (error) {
      if (!(error instanceof PluginRefusal)) throw error;
      // As a policy refusal: no task exists yet, the client gets the plugin's reason and status.
      this.failure = error;
      throw new RunFailure(error);
    }
    const stored: StoredTask = { task, orgId: route.orgId, routeId: route.id, abort: new AbortController() };
    this.memory.tasks.set(taskId, stored, taskWeight(task));
    return { stored, request };
  }

  /**
   * Runs the engine for a task and settles everything after it: the task's state, artifact and
   * history, the conversation's turns, and the request's telemetry. Resolves with the error of a
   * failed run (null when it completed or CancelTask canceled it); never rejects.
   */
  private async execute(stored: StoredTask, request: ChatRequest, opts: { onDelta?: (text: string) => void; detached?: boolean }): Promise<HttpError | null> {
    const { core, route, ctx } = this.o;
    const { task } = stored;
    const abort = stored.abort!;
    this.running = true;
    setStatus(task, TaskState.TASK_STATE_WORKING);
    const clientSignal = opts.detached ? abort.signal : AbortSignal.any([this.o.clientSignal, abort.signal]);
    let outcome: RunOutcome;
    const answerDetector = this.policies?.answerDetector ?? null;
    const masked = opts.onDelta ? maskingStream(answerDetector, opts.onDelta) : null;
    try {
      outcome = await core.engine.run({ snapshot: core.snapshot, route, request, ctx, clientSignal, onDelta: masked?.onDelta, allowedAgents: this.policies?.allowedAgents ?? null });
      masked?.flush();
      outcome.text = maskAnswer(answerDetector, outcome.text);
    } catch (error) {
      stored.abort = null;
      const failure = new HttpError(500, `The gateway failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`, "server_error", "internal_error");
      setStatus(task, TaskState.TASK_STATE_FAILED, agentMessage(failure.message, task.id, task.contextId));
      this.memory.tasks.set(task.id, stored, taskWeight(task));
      this.record(500, null, request, null);
      return failure;
    }
    stored.abort = null;
    if (outcome.text) task.artifacts = [{ artifactId: ANSWER_ARTIFACT, name: ANSWER_ARTIFACT, description: "", parts: [textPart(outcome.text)], metadata: undefined, extensions: [] }];
    task.metadata = {
      helix: { requestId: ctx.requestId, traceId: ctx.traceId, agent: outcome.agent?.slug ?? null, attempts: outcome.attempts.length, failover: outcome.failover },
    };
    const streamed = opts.onDelta !== undefined && outcome.text.length > 0;
    let error: HttpError | null = null;
    if (task.status?.state === TaskState.TASK_STATE_CANCELED) {
      // CancelTask already set the state; the client got (or gets) the task, not an error.
      this.record(200, outcome.ok ? null : "aborted", request, outcome);
    } else if (outcome.ok) {
      const answer = agentMessage(outcome.text, task.id, task.contextId);
      task.history.push(answer);
      setStatus(task, TaskState.TASK_STATE_COMPLETED);
      this.remember(task.contextId, request, outcome.text);
      this.record(200, null, request, outcome);
    } else {
      error = runError(outcome, route);
      const gone = error.status === 499;
      setStatus(task, gone ? TaskState.TASK_STATE_CANCELED : TaskState.TASK_STATE_FAILED, agentMessage(error.message, task.id, task.contextId));
      // A stream the client already read text from was answered 200, as on the OpenAI endpoint.
      this.record(streamed ? 200 : error.status, outcome.error?.errorClass ?? null, request, outcome);
    }
    this.memory.tasks.set(task.id, stored, taskWeight(task));
    return error;
  }

  /** Adds a finished exchange to its conversation. */
  private remember(contextId: string, request: ChatRequest, answer: string): void {
    const reply: ChatMessage = { role: "assistant", content: answer };
    const messages = [...request.messages, reply].slice(-MAX_CONTEXT_MESSAGES);
    let chars = 0;
    for (const m of messages) chars += m.content.length;
    this.memory.contexts.set(contextKey(this.o.route.orgId, contextId), messages, chars + 100);
  }
}

function contextKey(orgId: string, contextId: string): string {
  return `${orgId} ${contextId}`;
}

function pushUnsupported() {
  return new PushNotificationNotSupportedError({ message: "HelixAgent routes do not send push notifications: stream with SendStreamingMessage or poll GetTask." });
}

function isStream(answer: unknown): answer is AsyncGenerator<unknown, void, undefined> {
  return typeof answer === "object" && answer !== null && Symbol.asyncIterator in answer;
}

async function handleRpc(core: GatewayCore, req: IncomingMessage, res: ServerResponse, clientSignal: AbortSignal, orgSlug: string, slug: string): Promise<void> {
  if (req.method !== "POST") {
    sendRpcError(res, 405, null, A2A_ERROR_CODE.INVALID_REQUEST, `Use POST for JSON-RPC. The agent card is at ${req.url?.replace(/\/?(\?.*)?$/, "")}/.well-known/agent-card.json.`, { allow: "POST" });
    return;
  }
  const startedAt = Date.now();
  let principal;
  try {
    principal = core.authorize(req, startedAt);
  } catch (error) {
    if (error instanceof HttpError) return sendHttpFailure(res, null, error);
    throw error;
  }
  const subjectHeader = req.headers["x-helix-subject"];
  const ctx = core.newContext(req, principal, "a2a", typeof subjectHeader === "string" ? subjectHeader.slice(0, 256) : null, startedAt);
  const helixHeaders = { "x-helix-request-id": ctx.requestId, "x-helix-trace-id": ctx.traceId };

  // Everything up to the method is a client error recorded like the OpenAI endpoint's.
  let route: SnapshotRoute | null = null;
  let id: RpcId = null;
  const refuse = (status: number, code: number, message: string) => {
    core.finish({ route, request: null, ctx, outcome: null, status, errorClass: "client_error" });
    sendRpcError(res, status, id, code, message, helixHeaders);
  };
  let body: unknown;
  try {
    const found = publishedRoute(core.snapshot, orgSlug, slug);
    if (!found || found.orgId !== principal.orgId) {
      const usable = usableRoutes(principal, core.snapshot).map(routePath);
      throw new HttpError(
        404,
        `No route is published at /a2a/${orgSlug}/${slug} for this key. ${usable.length ? `Routes this key may use: ${usable.slice(0, 20).join(", ")}.` : "This key may not use any route yet: create one under Routes in the console."}`,
        "invalid_request_error",
        "route_not_found",
      );
    }
    // The key's scopes and the route's header conditions, as for the OpenAI endpoint.
    route = core.resolveRoute(principal, found.alias, req, "route");
    const raw = await readBody(req, core.opts.maxBodyBytes);
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch (error) {
      return refuse(200, A2A_ERROR_CODE.PARSE_ERROR, `The body is not valid JSON (${error instanceof Error ? error.message : "parse error"}). Send one JSON-RPC 2.0 request object.`);
    }
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    core.finish({ route, request: null, ctx, outcome: null, status: error.status, errorClass: "client_error" });
    return sendHttpFailure(res, null, error, helixHeaders);
  }

  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return refuse(200, A2A_ERROR_CODE.INVALID_REQUEST, "The body must be one JSON-RPC 2.0 request object ({jsonrpc, id, method, params}); batches are not supported.");
  }
  const rpc = body as Record<string, unknown>;
  if (isRpcId(rpc.id)) id = rpc.id;
  else if (rpc.id !== undefined) return refuse(200, A2A_ERROR_CODE.INVALID_REQUEST, "id must be a string, an integer or null.");
  if (rpc.jsonrpc !== "2.0") return refuse(200, A2A_ERROR_CODE.INVALID_REQUEST, 'jsonrpc must be "2.0".');
  const method = rpc.method;
  if (typeof method !== "string" || !method) return refuse(200, A2A_ERROR_CODE.INVALID_REQUEST, "method is required, e.g. SendMessage (A2A v1.0) or message/send (v0.3).");
  // Known A2A methods a route does not offer (ListTasks, push notifications, …) are answered by RouteAgent.
  if (!isV1JsonRpcMethod(method) && !isLegacyJsonRpcMethod(method)) {
    return refuse(
      200,
      A2A_ERROR_CODE.METHOD_NOT_FOUND,
      `Unknown method '${method.slice(0, 100)}'. Routes answer SendMessage, SendStreamingMessage, GetTask and CancelTask (A2A v1.0) and message/send, message/stream, tasks/get and tasks/cancel (v0.3).`,
    );
  }

  const legacy = isLegacyJsonRpcMethod(method);
  const isMessage = MESSAGE_METHODS.has(method);
  const agent = new RouteAgent({ core, route: route!, card: routeCard(route!, originOf(req)), ctx, clientSignal, req, principal });
  const context = new ServerCallContext({ requestedVersion: legacy ? "0.3" : "1.0" });
  const transport = legacy ? new LegacyJsonRpcTransportHandler(agent) : new JsonRpcTransportHandler(agent);
  const toRpcError = legacy ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError : JsonRpcTransportHandler.mapToJSONRPCError;
  // Protocol errors travel on HTTP 200 as the SDK's servers send them; a run's failure keeps its status.
  const statusOf = () => (agent.failure ? agent.failure.status : 200);
  // Without a failed run, an internal error from the SDK's handler means params it could not read
  // (e.g. `parts: [null]`): that is the client's to fix, so say so instead of echoing a TypeError.
  const clientFault = (error: { code?: number; message?: string }, original?: unknown) =>
    !agent.failure && !(original instanceof RunFailure) && error.code === A2A_ERROR_CODE.INTERNAL_ERROR
      ? { code: A2A_ERROR_CODE.INVALID_PARAMS, message: `Invalid params for ${method.slice(0, 100)}: they do not have the shape the A2A specification gives for this method.` }
      : error;

  const answer = await transport.handle(rpc, context);
  if (!isStream(answer)) {
    if (answer.error) (answer as { error: unknown }).error = clientFault(answer.error as { code?: number; message?: string });
    const status = answer.error ? statusOf() : 200;
    if (isMessage) agent.recordUnlessRunning(status);
    if (status === 499 || res.destroyed) return;
    sendJson(res, status, answer, { ...helixHeaders, ...(agent.failure?.headers ?? {}) });
    return;
  }

  const iterator = answer[Symbol.asyncIterator]();
  let first: IteratorResult<unknown, void>;
  try {
    first = await iterator.next();
  } catch (error) {
    // The message was refused before the task started: one JSON-RPC error, as for JSON.
    const rpcError = clientFault(toRpcError(error) as { code?: number; message?: string }, error);
    const status = statusOf();
    agent.recordUnlessRunning(status);
    sendJson(res, status, { jsonrpc: "2.0", id, error: rpcError }, helixHeaders);
    return;
  }
  res.writeHead(200, { ...helixHeaders, ...Object.fromEntries(Object.entries(SSE_HEADERS).map(([k, v]) => [k.toLowerCase(), v])) });
  try {
    for (let next = first; !next.done; next = await iterator.next()) {
      if (res.destroyed) {
        void iterator.return(undefined); // the run goes on until the engine sees the client is gone
        break;
      }
      res.write(formatSSEEvent(next.value));
    }
  } catch (error) {
    if (!res.destroyed) res.write(formatSSEErrorEvent({ jsonrpc: "2.0", id, error: clientFault(toRpcError(error) as { code?: number; message?: string }, error) }));
  }
  res.end();
}

export async function handleA2a(core: GatewayCore, req: IncomingMessage, res: ServerResponse, signal: AbortSignal, p: string): Promise<void> {
  const segments = p.split("/").slice(2).map(decode); // after "" and "a2a"
  const [orgSlug, slug, ...rest] = segments;
  if (orgSlug && slug && slug !== ".well-known") {
    if (rest.length === 0 || (rest.length === 1 && rest[0] === "")) return handleRpc(core, req, res, signal, orgSlug, slug);
    if (rest.length === 2 && rest[0] === ".well-known" && CARD_FILES.has(rest[1]!)) return sendCard(core, req, res, orgSlug, slug);
  }
  const hint =
    slug === ".well-known"
      ? ` Agent cards are per route, at /a2a/${orgSlug}/<route>/.well-known/agent-card.json; A2A clients resolve the card relative to the URL they are given, so give them the route's URL with a trailing slash (/a2a/${orgSlug}/<route>/).`
      : " Routes are published at /a2a/<organization>/<route> (JSON-RPC) with their card at /a2a/<organization>/<route>/.well-known/agent-card.json.";
  throw new HttpError(404, `Unknown A2A URL ${p.slice(0, 200)}.${hint}`, "invalid_request_error", "unknown_url");
}
