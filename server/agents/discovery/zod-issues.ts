import type { z } from "zod";

/** `skills[2].id` from a zod path. */
export function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `a ${typeof v}`);
const expectedText: Record<string, string> = { array: "list", string: "text", object: "object", number: "number", boolean: "true or false" };

/**
 * One sentence about the first thing wrong with `raw`, naming the field the way a person reads it:
 * `The agent card has no "skills" list`, `Skill 3 in the agent card has no "id"`.
 *
 * `what` names the document ("the agent card"); `items` names the elements of top-level lists
 * (`{ skills: "Skill" }`) so nested problems point at the right entry.
 */
export function describeIssue(error: z.ZodError, raw: unknown, what: string, items: Record<string, string> = {}): string {
  const issue = error.issues[0];
  if (!issue) return `${capitalise(what)} is not valid.`;
  const path = issue.path;
  const value = valueAt(raw, path);
  const field = String(path[path.length - 1] ?? "");

  // Inside a list entry: "Skill 3 in the agent card …"
  let subject = what;
  let rel = path;
  const [top, index] = path;
  if (typeof top === "string" && typeof index === "number" && items[top]) {
    subject = `${items[top]} ${index + 1} in ${what}`;
    rel = path.slice(2);
  }
  const named = rel.length ? `"${pathText(rel)}"` : "";
  const Subject = capitalise(subject);

  if (issue.code === "invalid_type") {
    const expected = expectedText[issue.expected] ?? issue.expected;
    if (value === undefined) return `${Subject} has no ${named}${issue.expected === "array" ? " list" : ""}.`;
    return `${Subject}'s ${named || "content"} must be ${expected === "list" ? "a list" : expected === "object" ? "an object" : expected}, not ${kindOf(value)}.`;
  }
  if (issue.code === "too_small") {
    if (Array.isArray(value)) return `${Subject} lists no ${named}.`;
    return `${Subject}'s ${named} is empty.`;
  }
  return `${Subject}'s ${named || field || "content"} is not valid: ${issue.message}.`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
