import { configSchemaSchema, configValidator, type ConfigProperty, type ConfigSchema } from "@/server/marketplace/config-schema";

/*
 * The install form's configuration fields, generated from a version manifest's `configSchema`
 * (server/marketplace/config-schema.ts: a small JSON Schema subset). The form keeps every value as
 * the text (or checkbox) the person edits; `readConfig` turns the drafts into the typed values the
 * server takes and checks them with the server's own validator, so the browser says what is wrong
 * before anything is sent. Pure: the install and configure forms both use it.
 */

export type ConfigValue = string | number | boolean;
export type ConfigValues = Record<string, ConfigValue>;

export type ConfigFieldControl =
  | { kind: "text"; secret: boolean; maxLength?: number; minLength?: number; multiline: boolean }
  | { kind: "number"; integer: boolean; minimum?: number; maximum?: number }
  | { kind: "boolean" }
  | { kind: "enum"; options: string[] }
  | { kind: "agent" };

export interface ConfigField {
  name: string;
  label: string;
  description?: string;
  required: boolean;
  control: ConfigFieldControl;
  default?: ConfigValue;
}

/** A draft per field: text for text, number and enum fields; a boolean for checkboxes. */
export type ConfigDrafts = Record<string, string | boolean>;

/** Parses a manifest's configSchema (already validated when published); null when it has none or is unreadable. */
export function readConfigSchema(manifest: Record<string, unknown> | null | undefined): ConfigSchema | null {
  const raw = manifest?.configSchema;
  if (raw === undefined || raw === null) return null;
  const parsed = configSchemaSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

type StringProperty = Extract<ConfigProperty, { type: "string" }>;
type NumberProperty = Extract<ConfigProperty, { type: "number" | "integer" }>;

function controlOf(p: ConfigProperty): ConfigFieldControl {
  if (p.type === "boolean") return { kind: "boolean" };
  if (p.type === "number" || p.type === "integer") {
    const n = p as NumberProperty;
    return { kind: "number", integer: n.type === "integer", minimum: n.minimum, maximum: n.maximum };
  }
  const s = p as StringProperty;
  if (s.enum) return { kind: "enum", options: s.enum };
  if (s["x-helix-ref"] === "agent") return { kind: "agent" };
  // Long free text (more than a line's worth allowed, or no limit) gets a textarea unless it is a secret.
  const multiline = !s.secret && (s.maxLength === undefined || s.maxLength > 200);
  return { kind: "text", secret: Boolean(s.secret), maxLength: s.maxLength, minLength: s.minLength, multiline };
}

/**
 * The form's fields: the required ones first, each group in the schema's property order (what
 * survives of it: manifests stored as jsonb come back with their keys reordered).
 */
export function configFields(schema: ConfigSchema | null): ConfigField[] {
  if (!schema) return [];
  const required = new Set(schema.required);
  const entries = Object.entries(schema.properties);
  const ordered = [...entries.filter(([name]) => required.has(name)), ...entries.filter(([name]) => !required.has(name))];
  return ordered.map(([name, p]) => ({
    name,
    label: p.title ?? name,
    description: p.description,
    required: required.has(name),
    control: controlOf(p),
    default: p.default as ConfigValue | undefined,
  }));
}

function draftOf(field: ConfigField, value: ConfigValue | undefined): string | boolean {
  if (field.control.kind === "boolean") return typeof value === "boolean" ? value : false;
  if (value === undefined) return "";
  return String(value);
}

/**
 * The drafts a form starts with: the current values (an existing install's configuration) where
 * there are some, else the schema's defaults. Secret fields always start empty: their values are
 * never sent back, and an empty secret on an existing install means "keep it".
 */
export function initialDrafts(fields: ConfigField[], current?: ConfigValues): ConfigDrafts {
  const out: ConfigDrafts = {};
  for (const f of fields) {
    if (f.control.kind === "text" && f.control.secret) out[f.name] = "";
    else out[f.name] = draftOf(f, current && f.name in current ? current[f.name] : f.default);
  }
  return out;
}

/**
 * Drafts for a newer version's fields, carried over from the current drafts by name where the type
 * still fits, so picking another version keeps what was typed.
 */
export function carryDrafts(fields: ConfigField[], previous: ConfigDrafts): ConfigDrafts {
  const fresh = initialDrafts(fields);
  for (const f of fields) {
    const old = previous[f.name];
    if (old === undefined) continue;
    if ((f.control.kind === "boolean") === (typeof old === "boolean")) fresh[f.name] = old;
  }
  return fresh;
}

export type ReadConfigResult = { ok: true; config: ConfigValues } | { ok: false; errors: Record<string, string> };

/**
 * Typed configuration values from the drafts, checked against the schema with the server's own
 * validator. Empty optional fields are left out (the server fills in defaults). `keepSecrets` names
 * secret fields that already have a stored value: left empty, they are not sent and stay as they are.
 */
export function readConfig(schema: ConfigSchema | null, drafts: ConfigDrafts, keepSecrets: readonly string[] = []): ReadConfigResult {
  const fields = configFields(schema);
  const config: ConfigValues = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const draft = drafts[f.name];
    if (f.control.kind === "boolean") {
      config[f.name] = draft === true;
      continue;
    }
    const text = typeof draft === "string" ? draft : "";
    const secret = f.control.kind === "text" && f.control.secret;
    if (secret && text === "" && keepSecrets.includes(f.name)) continue;
    if (f.control.kind === "number") {
      const trimmed = text.trim();
      if (trimmed === "") continue;
      const n = Number(trimmed);
      if (!Number.isFinite(n)) {
        errors[f.name] = `${f.label} must be a number`;
        continue;
      }
      config[f.name] = n;
      continue;
    }
    // Secrets are taken as typed (spaces can be part of a token); other text is trimmed.
    const value = secret ? text : text.trim();
    if (value === "") {
      if (f.required) errors[f.name] = `Fill in ${f.label}`;
      continue;
    }
    config[f.name] = value;
  }
  if (schema && Object.keys(errors).length === 0) {
    // The server's validator, minus the secrets being kept (they are required but not resent).
    const checked = configValidator(withoutRequired(schema, keepSecrets)).safeParse(config);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const name = String(issue.path[0] ?? "");
        if (name && !errors[name]) errors[name] = issue.message;
      }
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, config };
}

function withoutRequired(schema: ConfigSchema, names: readonly string[]): ConfigSchema {
  if (!names.length) return schema;
  return { ...schema, required: schema.required.filter((r) => !names.includes(r)) };
}

/** The dotted paths the server names configuration errors by ("config.keywords"), for placeErrors. */
export const configErrorPaths = (fields: ConfigField[]) => fields.map((f) => `config.${f.name}` as const);
