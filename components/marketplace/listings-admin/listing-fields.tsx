"use client";

import { useId, type ReactNode } from "react";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { IconField } from "./icon-field";
import { MAX_CATEGORIES, type CategoryOption, type ContentLimits, type ListingField, type ListingFormValues } from "./listing-form-model";
import { ReadmeEditor } from "./readme-editor";

/** Common SPDX ids, offered as suggestions; any SPDX id is accepted. */
const LICENCES = ["MIT", "Apache-2.0", "BSD-3-Clause", "BSD-2-Clause", "MPL-2.0", "GPL-3.0-only", "LGPL-3.0-only", "AGPL-3.0-only", "ISC", "Unlicense", "Proprietary"];

/** The fields a listing has whether new or edited: name, summary, README, icon, categories, tags, licence, source. */
export function ListingFields({
  values,
  onChange,
  errors,
  disabled,
  categories,
  limits,
  afterName,
}: {
  values: ListingFormValues;
  onChange: (patch: Partial<ListingFormValues>) => void;
  errors: Partial<Record<ListingField | "form", string>>;
  disabled?: boolean;
  categories: CategoryOption[];
  limits: ContentLimits;
  /** A field placed right after the name (the new listing's slug). */
  afterName?: ReactNode;
}) {
  const id = useId();
  const full = values.categories.length >= MAX_CATEGORIES;
  return (
    <>
      <FormField label="Name" required error={errors.name} description="Shown as the listing's title, 2–80 characters.">
        <Input name="name" value={values.name} onChange={(e) => onChange({ name: e.target.value })} maxLength={80} autoComplete="off" disabled={disabled} />
      </FormField>
      {afterName}
      <FormField label="Summary" required error={errors.summary} description="One line, 10–200 characters, shown on cards and in search.">
        <Input name="summary" value={values.summary} onChange={(e) => onChange({ summary: e.target.value })} maxLength={200} autoComplete="off" disabled={disabled} />
      </FormField>
      <ReadmeEditor value={values.readme} onChange={(readme) => onChange({ readme })} error={errors.readme} disabled={disabled} />
      <IconField value={values.icon} onChange={(icon) => onChange({ icon })} error={errors.icon} disabled={disabled} maxBytes={limits.iconBytes} />
      <fieldset className="grid gap-2" aria-describedby={`${id}-categories-help${errors.categories ? ` ${id}-categories-error` : ""}`} disabled={disabled}>
        <legend className="mb-2 text-sm font-medium">
          Categories <span aria-hidden="true" className="text-destructive">*</span>
        </legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {categories.map((c) => {
            const checked = values.categories.includes(c.slug);
            return (
              <label key={c.slug} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="categories"
                  value={c.slug}
                  checked={checked}
                  disabled={!checked && full}
                  onChange={(e) => onChange({ categories: e.target.checked ? [...values.categories, c.slug] : values.categories.filter((s) => s !== c.slug) })}
                  className="size-4 accent-primary"
                />
                {c.label}
              </label>
            );
          })}
        </div>
        <p id={`${id}-categories-help`} className="text-sm text-muted-foreground">
          One to {MAX_CATEGORIES}; the marketplace&apos;s filters use them.
        </p>
        {errors.categories && (
          <p id={`${id}-categories-error`} role="alert" className="text-sm font-medium text-destructive">
            {errors.categories}
          </p>
        )}
      </fieldset>
      <FormField label="Tags" error={errors.tags} description="Comma-separated keywords search finds it by, e.g. pii, gdpr, redaction (at most 10).">
        <Input name="tags" value={values.tags} onChange={(e) => onChange({ tags: e.target.value })} autoComplete="off" spellCheck={false} disabled={disabled} />
      </FormField>
      <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
        <FormField label="Licence" error={errors.license} description="An SPDX id, e.g. MIT or Apache-2.0.">
          <Input name="license" value={values.license} onChange={(e) => onChange({ license: e.target.value })} list={`${id}-licences`} maxLength={64} autoComplete="off" spellCheck={false} disabled={disabled} />
        </FormField>
        <datalist id={`${id}-licences`}>
          {LICENCES.map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
        <FormField label="Source link" error={errors.sourceUrl} description="Where the code lives, e.g. a GitHub repository.">
          <Input name="sourceUrl" type="url" inputMode="url" placeholder="https://github.com/…" value={values.sourceUrl} onChange={(e) => onChange({ sourceUrl: e.target.value })} maxLength={2048} autoComplete="off" disabled={disabled} />
        </FormField>
      </div>
    </>
  );
}
