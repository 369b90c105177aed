import { Environment, type ParseResult } from "@marcbachmann/cel-js";

/**
 * Policy conditions are CEL (Common Expression Language) expressions, evaluated by
 * @marcbachmann/cel-js: a maintained, dependency-free implementation with a type checker. CEL was
 * chosen over Cedar because our conditions are predicates over one request (and one candidate
 * agent), not principal/action/resource permits; CEL is non-Turing-complete (every expression
 * terminates in time linear in its size), type-checks against a declared schema so a typo is
 * refused when the policy is saved, and evaluates in well under a microsecond per policy in the
 * gateway's hot path.
 */

/** What a condition can read about the request. Field types are CEL types. */
export const REQUEST_FIELDS = {
  routeId: "string",
  routeAlias: "string",
  /** The route's data classification labels. */
  routeLabels: "list<string>",
  /** The route's labels plus those the client sent in x-helix-data-labels. */
  labels: "list<string>",
  /** PII kinds found in the request text (EMAIL, PHONE, CARD, IBAN, SSN, IP, or an organization's own). */
  pii: "list<string>",
  model: "string",
  stream: "bool",
  /** The data subject (OpenAI `user` or x-helix-subject), "" when none. */
  subject: "string",
  keyId: "string",
  keyName: "string",
  /** openai or a2a: how the client called the gateway. */
  protocol: "string",
  /** Request headers, lower-case names. */
  headers: "map<string, string>",
  /** Hour of day (UTC, 0–23) and weekday (0 = Sunday). */
  hour: "int",
  weekday: "int",
} as const;

/** What an agent condition can read about a candidate agent. */
export const AGENT_FIELDS = {
  id: "string",
  name: "string",
  slug: "string",
  region: "string",
  provider: "string",
  tags: "list<string>",
  protocol: "string",
} as const;

/** Longest condition accepted, in characters; CEL's own limits bound the syntax tree. */
export const MAX_CONDITION_LENGTH = 4000;
const LIMITS = { maxAstNodes: 1000, maxDepth: 32, maxListElements: 200, maxMapEntries: 100, maxCallArguments: 16 };

const requestEnv = new Environment({ limits: LIMITS }).registerVariable({ name: "request", schema: { ...REQUEST_FIELDS } });
const agentEnv = new Environment({ limits: LIMITS })
  .registerVariable({ name: "request", schema: { ...REQUEST_FIELDS } })
  .registerVariable({ name: "agent", schema: { ...AGENT_FIELDS } });

export type ConditionKind = "condition" | "agentCondition";

export interface ConditionError {
  message: string;
  /** Character offsets of the offending part of the expression. */
  start: number;
  end: number;
}

function env(kind: ConditionKind) {
  return kind === "condition" ? requestEnv : agentEnv;
}

/** 1-based line and column of an offset, for messages people can act on. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function describe(expression: string, error: unknown): ConditionError {
  const e = error as { summary?: string; message?: string; range?: { start: number; end: number } };
  const start = Math.max(0, Math.min(e.range?.start ?? 0, expression.length));
  const end = Math.max(start, Math.min(e.range?.end ?? start, expression.length));
  let summary = (e.summary ?? e.message ?? "Invalid expression").split("\n")[0]!.trim();
  const unknownAgent = /Unknown variable: agent/i.test(summary);
  if (unknownAgent) summary = "`agent` is only available in the agent condition of a restrict-routing policy";
  const at = lineColumn(expression, start);
  return { message: `${summary} (line ${at.line}, column ${at.column})`, start, end };
}

/**
 * Parses and type-checks a condition. Conditions must be boolean; a request condition may only
 * read `request`, an agent condition `request` and `agent`.
 */
export function checkCondition(expression: string, kind: ConditionKind): { ok: true } | { ok: false; error: ConditionError } {
  if (expression.trim() === "") return { ok: false, error: { message: "Write a condition, e.g. \"EU\" in request.labels (or true to always apply)", start: 0, end: 0 } };
  if (expression.length > MAX_CONDITION_LENGTH) {
    return { ok: false, error: { message: `A condition has at most ${MAX_CONDITION_LENGTH} characters (this one has ${expression.length})`, start: MAX_CONDITION_LENGTH, end: expression.length } };
  }
  let result;
  try {
    result = env(kind).check(expression);
  } catch (error) {
    return { ok: false, error: describe(expression, error) };
  }
  if (!result.valid) return { ok: false, error: describe(expression, result.error) };
  if (result.type !== "bool" && result.type !== "dyn") {
    return { ok: false, error: { message: `A condition must be true or false, but this one is a ${result.type}`, start: 0, end: expression.length } };
  }
  return { ok: true };
}

/** A checked condition, ready to evaluate against contexts built by `requestContext`/`agentContext`. */
export type CompiledCondition = ParseResult;

export function compileCondition(expression: string, kind: ConditionKind): CompiledCondition {
  const checked = checkCondition(expression, kind);
  if (!checked.ok) throw new Error(checked.error.message);
  return env(kind).parse(expression);
}

/** Whether a condition reads the request's PII kinds (detection is only run when some policy does). */
export function readsPii(expression: string): boolean {
  return /\bpii\b/.test(expression);
}

export interface RequestFacts {
  routeId: string;
  routeAlias: string;
  routeLabels: readonly string[];
  labels: readonly string[];
  pii: readonly string[];
  model: string;
  stream: boolean;
  subject: string;
  keyId: string;
  keyName: string;
  protocol: string;
  headers: Record<string, string>;
  at: Date;
}

export interface AgentFacts {
  id: string;
  name: string;
  slug: string;
  region: string | null;
  provider: string | null;
  tags: readonly string[];
  protocol: string;
}

/** The `request` variable of a condition (CEL ints are BigInts). */
export function requestValue(f: RequestFacts) {
  return {
    routeId: f.routeId,
    routeAlias: f.routeAlias,
    routeLabels: f.routeLabels,
    labels: f.labels,
    pii: f.pii,
    model: f.model,
    stream: f.stream,
    subject: f.subject,
    keyId: f.keyId,
    keyName: f.keyName,
    protocol: f.protocol,
    headers: f.headers,
    hour: BigInt(f.at.getUTCHours()),
    weekday: BigInt(f.at.getUTCDay()),
  };
}

export function agentValue(a: AgentFacts) {
  return { id: a.id, name: a.name, slug: a.slug, region: a.region ?? "", provider: a.provider ?? "", tags: a.tags, protocol: a.protocol.toLowerCase() };
}

/** Evaluates a compiled condition; an evaluation error (e.g. a header that is absent) is returned, not thrown. */
export function evaluateCondition(condition: CompiledCondition, vars: Record<string, unknown>): { value: boolean; error?: string } {
  try {
    return { value: condition(vars) === true };
  } catch (error) {
    const message = ((error as { summary?: string }).summary ?? (error as Error).message ?? String(error)).split("\n")[0]!;
    return { value: false, error: message };
  }
}
