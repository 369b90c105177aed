import { z } from "zod";
import { describeZodError } from "@/server/trpc/errors";
import { idSchema } from "@/server/orgs/schema";

// Derives a valid input for a procedure from its zod input schema(s), so a suite can call every
// procedure without a hand-written input per procedure. Fields it cannot fill make it throw with
// a message saying what to add; it never leaves a field out silently.

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
};

export class InputDerivationError extends Error {
  override name = "InputDerivationError";
}

export interface InputShape {
  properties: Record<string, JsonSchema>;
  required: Set<string>;
}

const ID_PATTERN = (z.toJSONSchema(idSchema) as JsonSchema).pattern;

function toJsonSchema(path: string, input: unknown): JsonSchema {
  if (!input || typeof input !== "object" || !("_zod" in input)) {
    throw new InputDerivationError(`${path}: its input is not a zod schema, so no sample can be derived; teach server/test/sample-input.ts`);
  }
  // io "input": what a client sends (before transforms and defaults).
  return z.toJSONSchema(input as z.ZodType, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** The merged object shape of all `.input()` schemas of a procedure; null when it takes no input. */
export function describeInput(path: string, inputs: unknown[]): InputShape | null {
  if (inputs.length === 0) return null;
  const shape: InputShape = { properties: {}, required: new Set() };
  for (const input of inputs) {
    const json = toJsonSchema(path, input);
    if (json.type !== "object" || !json.properties) {
      throw new InputDerivationError(`${path}: its input is not an object (${JSON.stringify(json)}); teach server/test/sample-input.ts this shape`);
    }
    Object.assign(shape.properties, json.properties);
    for (const name of json.required ?? []) shape.required.add(name);
  }
  return shape;
}

/** An object id: named like one, or validated by the shared id schema. */
export function isIdField(name: string, schema: JsonSchema): boolean {
  if (name === "id" || name === "cursor" || /Ids?$/.test(name)) return true;
  return schema.pattern === ID_PATTERN || schema.items?.pattern === ID_PATTERN;
}

/** Dotted paths of every id field, nested ones included. */
export function idFieldPaths(shape: InputShape | null): string[] {
  const found: string[] = [];
  const walk = (properties: Record<string, JsonSchema>, prefix: string) => {
    for (const [name, schema] of Object.entries(properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      if (isIdField(name, schema)) found.push(path);
      else if (schema.properties) walk(schema.properties, path);
      else if (schema.items?.properties) walk(schema.items.properties, `${path}[]`);
    }
  };
  if (shape) walk(shape.properties, "");
  return found;
}

export interface FieldValues {
  /** The organization the input names. */
  orgSlug: string;
  /** Values for object-id fields, by field name. */
  ids: Record<string, string>;
  /** Values for fields a schema alone cannot describe well (an email, a token), by field name. */
  samples: Record<string, () => unknown>;
  /** Where the registries live, named in error messages. */
  registryHint: string;
}

function sampleString(schema: JsonSchema, where: () => string): string {
  if (schema.pattern || (schema.format && schema.format !== "email")) {
    throw new InputDerivationError(`${where()} must match ${schema.pattern ?? schema.format}, which cannot be sampled generically`);
  }
  if (schema.format === "email") return `probe-${Math.random().toString(36).slice(2, 10)}@test.helix`;
  const min = schema.minLength ?? 1;
  const max = schema.maxLength ?? Math.max(min, 24);
  const length = Math.min(Math.max(min, 12), max);
  return "isolation probe value ".repeat(Math.ceil(length / 22)).slice(0, length);
}

function sampleNumber(schema: JsonSchema): number {
  const integer = schema.type === "integer";
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : undefined);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : undefined);
  if (low !== undefined) return low;
  if (high !== undefined) return Math.min(high, 1);
  return 1;
}

/**
 * A valid input for a procedure with `inputs`: `orgSlug` and id fields from `values`, required
 * fields sampled from their schemas, optional ones left out unless they are ids. Throws an
 * `InputDerivationError` naming the field and the registry to extend when it cannot.
 */
export function deriveInput(path: string, inputs: unknown[], values: FieldValues): Record<string, unknown> | undefined {
  const shape = describeInput(path, inputs);
  if (!shape) return undefined;
  const fail = (fieldPath: string, why: string): never => {
    throw new InputDerivationError(`${path}: cannot fill input field "${fieldPath}": ${why}. Add it to ${values.registryHint}.`);
  };

  const fill = (name: string, schema: JsonSchema, fieldPath: string): unknown => {
    if (name === "orgSlug") return values.orgSlug;
    if (isIdField(name, schema)) {
      const leaf = name.replace(/s$/, "");
      const id = values.ids[name] ?? values.ids[leaf];
      if (id === undefined) fail(fieldPath, `it holds an object id and the id registry has no entry for "${name}" (map it to the tenant's matching object)`);
      return schema.type === "array" ? [id] : id;
    }
    if (name in values.samples) return values.samples[name]!();
    if (schema.const !== undefined) return schema.const;
    if (schema.enum?.length) return schema.enum[0];
    const options = schema.anyOf ?? schema.oneOf;
    if (options) {
      const first = options.find((o) => o.type !== "null");
      return first ? fill(name, first, fieldPath) : null;
    }
    switch (schema.type) {
      case "string":
        try {
          return sampleString(schema, () => fieldPath);
        } catch (error) {
          return fail(fieldPath, (error as Error).message);
        }
      case "integer":
      case "number":
        return sampleNumber(schema);
      case "boolean":
        return false;
      case "array":
        return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => fill(name, schema.items ?? {}, `${fieldPath}[]`));
      case "object":
        return fillObject(schema.properties ?? {}, new Set(schema.required ?? []), fieldPath);
      default:
        return fail(fieldPath, `its schema (${JSON.stringify(schema)}) says nothing a sample can be made from`);
    }
  };

  const fillObject = (properties: Record<string, JsonSchema>, required: Set<string>, prefix: string) => {
    const out: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(properties)) {
      const fieldPath = prefix ? `${prefix}.${name}` : name;
      // Optional fields stay out, except ids (exactly what an isolation check must send) and fields
      // the sample registry names (inputs whose fields are all optional but must not all be empty).
      if (!required.has(name) && name !== "orgSlug" && !isIdField(name, schema) && !(name in values.samples)) continue;
      out[name] = fill(name, schema, fieldPath);
    }
    return out;
  };

  const input = fillObject(shape.properties, shape.required, "");
  for (const schema of inputs as z.ZodType[]) {
    const parsed = schema.safeParse(input);
    if (!parsed.success) fail("(input)", `the derived input ${JSON.stringify(input)} is invalid (${describeZodError(parsed.error)})`);
  }
  return input;
}
