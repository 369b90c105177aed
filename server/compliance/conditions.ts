import { compileCondition } from "@/server/policies/cel";

/**
 * Whether a policy's CEL condition is certainly true for all traffic of a route, decided from the
 * condition's syntax tree without guessing: only forms whose truth follows from the route's own
 * labels are recognized, and everything else counts as "not shown to cover". A compliance check
 * must not pass on a condition that merely looks right.
 */

/** What the checks say about how they read conditions, shown with their evidence. */
export const RECOGNIZED_CONDITIONS =
  'A policy counts only if its condition is certainly true for the route\'s traffic: `true`, `"LABEL" in request.labels` or `"LABEL" in request.routeLabels` (or `request.labels.exists(l, l == "LABEL")`) for a label the route carries, and `||` / `&&` of such parts. Other conditions are listed as not shown to cover the route.';

/** For redaction only: masking applies to detected PII, so "some PII was detected" is as good as always. */
export const RECOGNIZED_PII_CONDITION = "For redaction, `size(request.pii) > 0` counts as always (only detected PII is masked).";

export interface CoverageFacts {
  /** The route's labels: they are in request.routeLabels and request.labels of all its traffic. */
  routeLabels: readonly string[];
  /** Treat `size(request.pii) > 0` as true (redact policies). */
  piiDetectionSuffices?: boolean;
}

interface Node {
  op: string;
  args: unknown;
}

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && "op" in value && "args" in value;

/** `request.<field>` */
function requestField(node: unknown): string | null {
  if (!isNode(node) || node.op !== "." || !Array.isArray(node.args)) return null;
  const [target, field] = node.args as [unknown, unknown];
  if (!isNode(target) || target.op !== "id" || target.args !== "request" || typeof field !== "string") return null;
  return field;
}

function stringValue(node: unknown): string | null {
  return isNode(node) && node.op === "value" && typeof node.args === "string" ? node.args : null;
}

function isZero(node: unknown): boolean {
  return isNode(node) && node.op === "value" && (typeof node.args === "bigint" || typeof node.args === "number") && Number(node.args) === 0;
}

const LABEL_LISTS = new Set(["labels", "routeLabels"]);

/** size(request.pii) or request.pii.size() */
function isPiiSize(node: unknown): boolean {
  if (!isNode(node) || !Array.isArray(node.args)) return false;
  if (node.op === "call") {
    const [name, args] = node.args as [unknown, unknown];
    return name === "size" && Array.isArray(args) && args.length === 1 && requestField(args[0]) === "pii";
  }
  if (node.op === "rcall") {
    const [name, receiver, args] = node.args as [unknown, unknown, unknown];
    return name === "size" && requestField(receiver) === "pii" && Array.isArray(args) && args.length === 0;
  }
  return false;
}

/** request.labels.exists(x, x == "L") (either side of ==) → "L" */
function existsLabel(node: Node): string | null {
  if (node.op !== "rcall" || !Array.isArray(node.args)) return null;
  const [name, receiver, args] = node.args as [unknown, unknown, unknown];
  const list = requestField(receiver);
  if (name !== "exists" || !list || !LABEL_LISTS.has(list) || !Array.isArray(args) || args.length !== 2) return null;
  const [variable, body] = args as [unknown, unknown];
  if (!isNode(variable) || variable.op !== "id" || !isNode(body) || body.op !== "==" || !Array.isArray(body.args)) return null;
  const [a, b] = body.args as [unknown, unknown];
  const isVar = (n: unknown) => isNode(n) && n.op === "id" && n.args === variable.args;
  if (isVar(a)) return stringValue(b);
  if (isVar(b)) return stringValue(a);
  return null;
}

function certainlyTrue(node: unknown, facts: CoverageFacts): boolean {
  if (!isNode(node)) return false;
  switch (node.op) {
    case "value":
      return node.args === true;
    case "||":
      return Array.isArray(node.args) && node.args.some((arg) => certainlyTrue(arg, facts));
    case "&&":
      return Array.isArray(node.args) && node.args.length > 0 && node.args.every((arg) => certainlyTrue(arg, facts));
    case "in": {
      if (!Array.isArray(node.args)) return false;
      const [needle, list] = node.args as [unknown, unknown];
      const label = stringValue(needle);
      const field = requestField(list);
      return label !== null && field !== null && LABEL_LISTS.has(field) && facts.routeLabels.includes(label);
    }
    case "rcall": {
      const label = existsLabel(node);
      return label !== null && facts.routeLabels.includes(label);
    }
    case ">": {
      if (!facts.piiDetectionSuffices || !Array.isArray(node.args)) return false;
      const [left, right] = node.args as [unknown, unknown];
      return isPiiSize(left) && isZero(right);
    }
    default:
      return false;
  }
}

export type Coverage = { covers: true } | { covers: false; reason: string };

/** Whether `condition` is certainly true for all traffic of a route with `facts.routeLabels`. */
export function conditionCovers(condition: string, facts: CoverageFacts): Coverage {
  let ast: unknown;
  try {
    ast = compileCondition(condition, "condition").ast;
  } catch (error) {
    return { covers: false, reason: `its condition does not compile (${(error as Error).message})` };
  }
  return certainlyTrue(ast, facts) ? { covers: true } : { covers: false, reason: `its condition \`${condition}\` is not shown to be true for all of the route's traffic` };
}
