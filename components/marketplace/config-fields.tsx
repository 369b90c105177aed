"use client";

import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import type { ConfigDrafts, ConfigField } from "./config-form";

interface Props {
  fields: ConfigField[];
  drafts: ConfigDrafts;
  onChange: (name: string, value: string | boolean) => void;
  /** Messages by field name (the browser's checks and the server's, placed by name). */
  errors: Partial<Record<string, string>>;
  /** Secret fields that already have a stored value: left empty, they keep it. */
  secretsSet?: readonly string[];
  /** The organization's agents, for fields that name one (x-helix-ref: agent). */
  agents?: { slug: string; name: string }[];
  disabled?: boolean;
}

function describe(field: ConfigField, keepsSecret: boolean): string | undefined {
  const parts: string[] = [];
  if (field.description) parts.push(field.description);
  const c = field.control;
  if (c.kind === "number") {
    if (c.minimum !== undefined && c.maximum !== undefined) parts.push(`${c.minimum}–${c.maximum}.`);
    else if (c.minimum !== undefined) parts.push(`At least ${c.minimum}.`);
    else if (c.maximum !== undefined) parts.push(`At most ${c.maximum}.`);
  }
  if (c.kind === "text" && c.secret) parts.push(keepsSecret ? "Stored encrypted. Leave empty to keep the current value." : "Stored encrypted; never shown again.");
  return parts.length ? parts.join(" ") : undefined;
}

/** The configuration form a listing version's schema asks for, one control per field. */
export function ConfigFields({ fields, drafts, onChange, errors, secretsSet = [], agents, disabled }: Props) {
  return (
    <div className="grid gap-4">
      {fields.map((field) => {
        const c = field.control;
        const draft = drafts[field.name];
        const text = typeof draft === "string" ? draft : "";
        const keepsSecret = c.kind === "text" && c.secret && secretsSet.includes(field.name);
        const required = field.required && !keepsSecret && c.kind !== "boolean";
        const error = errors[field.name];
        const description = describe(field, keepsSecret);
        if (c.kind === "boolean") {
          const id = `config-${field.name}`;
          return (
            <div key={field.name} className="grid gap-1">
              <label htmlFor={id} className="flex items-center gap-2 text-sm font-medium">
                <input
                  id={id}
                  type="checkbox"
                  name={field.name}
                  checked={draft === true}
                  disabled={disabled}
                  onChange={(e) => onChange(field.name, e.target.checked)}
                  className="size-4 accent-primary"
                  aria-describedby={description ? `${id}-description` : undefined}
                />
                {field.label}
              </label>
              {description && (
                <p id={`${id}-description`} className="pl-6 text-sm text-muted-foreground">
                  {description}
                </p>
              )}
              {error && (
                <p role="alert" className="pl-6 text-sm font-medium text-destructive">
                  {error}
                </p>
              )}
            </div>
          );
        }
        return (
          <FormField key={field.name} label={field.label} required={required} error={error} description={description} controlId={`config-${field.name}`}>
            {c.kind === "enum" ? (
              <NativeSelect name={field.name} value={text} disabled={disabled} onChange={(e) => onChange(field.name, e.target.value)}>
                {!field.required && <option value="">Not set</option>}
                {field.required && text === "" && <option value="">Choose…</option>}
                {c.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </NativeSelect>
            ) : c.kind === "agent" ? (
              <NativeSelect name={field.name} value={text} disabled={disabled} onChange={(e) => onChange(field.name, e.target.value)}>
                <option value="">{agents ? "Choose an agent…" : "Loading agents…"}</option>
                {agents?.map((a) => (
                  <option key={a.slug} value={a.slug}>
                    {a.name} ({a.slug})
                  </option>
                ))}
              </NativeSelect>
            ) : c.kind === "number" ? (
              <Input
                name={field.name}
                type="number"
                inputMode={c.integer ? "numeric" : "decimal"}
                step={c.integer ? 1 : "any"}
                min={c.minimum}
                max={c.maximum}
                value={text}
                disabled={disabled}
                onChange={(e) => onChange(field.name, e.target.value)}
              />
            ) : c.secret ? (
              <Input
                name={field.name}
                type="password"
                autoComplete="new-password"
                placeholder={keepsSecret ? "•••••••• (set)" : undefined}
                maxLength={c.maxLength}
                value={text}
                disabled={disabled}
                onChange={(e) => onChange(field.name, e.target.value)}
              />
            ) : c.multiline ? (
              <Textarea name={field.name} rows={2} maxLength={c.maxLength} value={text} disabled={disabled} onChange={(e) => onChange(field.name, e.target.value)} />
            ) : (
              <Input name={field.name} maxLength={c.maxLength} value={text} disabled={disabled} onChange={(e) => onChange(field.name, e.target.value)} />
            )}
          </FormField>
        );
      })}
    </div>
  );
}
