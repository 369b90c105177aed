import { z } from "zod";

/*
 * The configuration form of a listing (what an organization fills in when it installs it), written
 * as a JSON Schema object with a deliberately small feature set, so that every schema can be turned
 * into a form and checked the same way on the server and in the browser:
 *
 *   { "type": "object",
 *     "properties": { "<name>": { "type": "string" | "number" | "integer" | "boolean", ... } },
 *     "required": ["<name>", ...] }
 *
 * Per property: title, description, default; strings: enum, minLength, maxLength, secret (stored
 * encrypted, never shown again), x-helix-ref ("agent": the form offers the organization's agents);
 * numbers: minimum, maximum. Anything else (nested objects, $ref, oneOf, pattern…) is refused with
 * the keyword named, rather than silently ignored.
 */

export const MAX_CONFIG_PROPERTIES = 40;

const PROPERTY_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

const common = {
  title: z.string().trim().max(80, "A title has at most 80 characters").optional(),
  description: z.string().trim().max(500, "A description has at most 500 characters").optional(),
};

const stringProperty = z
  .strictObject(
    {
      type: z.literal("string"),
      ...common,
      default: z.string().max(2000, "A default has at most 2000 characters").optional(),
      enum: z.array(z.string().max(200)).min(1, "An enum lists at least one value").max(100, "An enum lists at most 100 values").optional(),
      minLength: z.number().int().min(0).max(10_000).optional(),
      maxLength: z.number().int().min(1).max(10_000).optional(),
      /** A secret (API key, token): stored encrypted at install and never sent back. */
      secret: z.boolean().optional(),
      /** The value names one of the installing organization's objects. */
      "x-helix-ref": z.enum(["agent"], { message: 'x-helix-ref is "agent"' }).optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? unsupported(issue.keys) : undefined) },
  )
  .superRefine((p, ctx) => {
    if (p.secret && p.default !== undefined) ctx.addIssue({ code: "custom", path: ["default"], message: "A secret field cannot have a default: everyone could read it" });
    if (p.secret && p.enum) ctx.addIssue({ code: "custom", path: ["enum"], message: "A secret field cannot be an enum" });
    if (p.enum && p.default !== undefined && !p.enum.includes(p.default)) {
      ctx.addIssue({ code: "custom", path: ["default"], message: "The default must be one of the enum's values" });
    }
    if (p.minLength !== undefined && p.maxLength !== undefined && p.minLength > p.maxLength) {
      ctx.addIssue({ code: "custom", path: ["minLength"], message: "minLength is larger than maxLength" });
    }
    if (p.default !== undefined && p.maxLength !== undefined && p.default.length > p.maxLength) {
      ctx.addIssue({ code: "custom", path: ["default"], message: "The default is longer than maxLength" });
    }
  });

const numberProperty = z
  .strictObject(
    {
      type: z.enum(["number", "integer"]),
      ...common,
      default: z.number().optional(),
      minimum: z.number().optional(),
      maximum: z.number().optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? unsupported(issue.keys) : undefined) },
  )
  .superRefine((p, ctx) => {
    if (p.minimum !== undefined && p.maximum !== undefined && p.minimum > p.maximum) {
      ctx.addIssue({ code: "custom", path: ["minimum"], message: "minimum is larger than maximum" });
    }
    if (p.default !== undefined) {
      if (p.type === "integer" && !Number.isInteger(p.default)) ctx.addIssue({ code: "custom", path: ["default"], message: "The default of an integer field must be a whole number" });
      if ((p.minimum !== undefined && p.default < p.minimum) || (p.maximum !== undefined && p.default > p.maximum)) {
        ctx.addIssue({ code: "custom", path: ["default"], message: "The default is outside minimum–maximum" });
      }
    }
  });

const booleanProperty = z.strictObject(
  { type: z.literal("boolean"), ...common, default: z.boolean().optional() },
  { error: (issue) => (issue.code === "unrecognized_keys" ? unsupported(issue.keys) : undefined) },
);

function unsupported(keys: readonly string[]) {
  return `Unsupported JSON Schema keyword${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}: configuration schemas support type, title, description, default, enum, minLength, maxLength, minimum, maximum, secret and required`;
}

export const configPropertySchema = z.unknown().transform((value, ctx) => {
  const type = value && typeof value === "object" && !Array.isArray(value) ? (value as { type?: unknown }).type : undefined;
  const schema = type === "string" ? stringProperty : type === "number" || type === "integer" ? numberProperty : type === "boolean" ? booleanProperty : null;
  if (!schema) {
    ctx.addIssue({ code: "custom", path: ["type"], message: 'A configuration field\'s type is "string", "number", "integer" or "boolean"' });
    return z.NEVER;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: issue.path as PropertyKey[], message: issue.message });
    return z.NEVER;
  }
  return parsed.data;
});
export type ConfigProperty = z.output<typeof stringProperty> | z.output<typeof numberProperty> | z.output<typeof booleanProperty>;

export const configSchemaSchema = z
  .strictObject(
    {
      $schema: z.string().max(200).optional(),
      type: z.literal("object", { message: 'A configuration schema is a JSON Schema object: "type": "object"' }),
      title: z.string().trim().max(80).optional(),
      description: z.string().trim().max(500).optional(),
      properties: z
        .record(z.string(), configPropertySchema)
        .default({})
        .refine((p) => Object.keys(p).length <= MAX_CONFIG_PROPERTIES, `At most ${MAX_CONFIG_PROPERTIES} configuration fields`),
      required: z.array(z.string()).max(MAX_CONFIG_PROPERTIES).default([]),
      additionalProperties: z.literal(false, { message: "additionalProperties may only be false" }).optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? unsupported(issue.keys) : undefined) },
  )
  .superRefine((s, ctx) => {
    for (const name of Object.keys(s.properties)) {
      if (!PROPERTY_NAME.test(name)) {
        ctx.addIssue({ code: "custom", path: ["properties", name], message: `"${name.slice(0, 60)}" is not a usable field name: 1–40 letters, digits or _, starting with a letter` });
      }
    }
    const seen = new Set<string>();
    s.required.forEach((name, i) => {
      if (!(name in s.properties)) ctx.addIssue({ code: "custom", path: ["required", i], message: `"${name}" is required but is not one of the properties` });
      if (seen.has(name)) ctx.addIssue({ code: "custom", path: ["required", i], message: `"${name}" is listed twice` });
      seen.add(name);
    });
  });
export type ConfigSchema = z.output<typeof configSchemaSchema>;

export const EMPTY_CONFIG_SCHEMA: ConfigSchema = { type: "object", properties: {}, required: [] };

/** Names of the fields the schema marks secret. */
export function secretFields(schema: ConfigSchema): string[] {
  return Object.entries(schema.properties).flatMap(([name, p]) => (p.type === "string" && p.secret ? [name] : []));
}

/**
 * A zod validator for configuration values under `schema`: required fields present, types, enums
 * and bounds; defaults filled in; unknown fields refused. What an install form is checked with.
 */
export function configValidator(schema: ConfigSchema): z.ZodType<Record<string, string | number | boolean>> {
  const required = new Set(schema.required);
  const shape: Record<string, z.ZodType> = {};
  for (const [name, p] of Object.entries(schema.properties)) {
    const label = p.title ?? name;
    let field: z.ZodType;
    if (p.type === "string") {
      let s = z.string({ error: (issue) => (issue.input === undefined ? `Fill in ${label}` : `${label} must be text`) });
      if (p.minLength !== undefined) s = s.min(p.minLength, `${label} has at least ${p.minLength} characters`);
      if (p.maxLength !== undefined) s = s.max(p.maxLength, `${label} has at most ${p.maxLength} characters`);
      if (required.has(name) && p.minLength === undefined) s = s.min(1, `Fill in ${label}`);
      field = p.enum ? s.refine((v) => p.enum!.includes(v), `${label} is one of ${p.enum.join(", ")}`) : s;
    } else if (p.type === "boolean") {
      field = z.boolean({ error: (issue) => (issue.input === undefined ? `Choose ${label}` : `${label} is true or false`) });
    } else {
      let n = z.number({ error: (issue) => (issue.input === undefined ? `Fill in ${label}` : `${label} must be a number`) });
      if (p.type === "integer") n = n.int(`${label} must be a whole number`);
      if (p.minimum !== undefined) n = n.min(p.minimum, `${label} is at least ${p.minimum}`);
      if (p.maximum !== undefined) n = n.max(p.maximum, `${label} is at most ${p.maximum}`);
      field = n;
    }
    if (p.default !== undefined) field = field.default(p.default as never);
    else if (!required.has(name)) field = field.optional();
    shape[name] = field;
  }
  return z.strictObject(shape, { error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown configuration field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}` : undefined) }) as unknown as z.ZodType<
    Record<string, string | number | boolean>
  >;
}
