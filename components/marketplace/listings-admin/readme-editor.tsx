"use client";

import { useEffect, useId, useState } from "react";
import { ListingReadme } from "@/components/marketplace/readme";
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";

type Preview = { html: string; error: null } | { html: null; error: string } | null;

/**
 * The README in Markdown, with a live preview rendered by the very code the server stores it with
 * (server/marketplace/content.ts: GitHub's sanitizer allow-list) and shown by the listing page's own
 * component, so what is previewed is what visitors will see. The renderer loads on first use.
 */
export function ReadmeEditor({ value, onChange, error, disabled }: { value: string; onChange: (value: string) => void; error?: string; disabled?: boolean }) {
  const [preview, setPreview] = useState<Preview>(null);
  const previewId = useId();

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      void import("@/server/marketplace/content").then(({ renderReadme }) => {
        if (cancelled) return;
        try {
          setPreview({ html: renderReadme(value), error: null });
        } catch (e) {
          setPreview({ html: null, error: (e as Error).message });
        }
      });
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [value]);

  return (
    <div className="grid gap-4 lg:grid-cols-2 lg:items-start">
      <FormField label="README" error={error} description="Markdown, as on GitHub (tables, task lists, some HTML). Scripts, styles, frames and forms are removed.">
        <Textarea
          name="readme"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          rows={14}
          disabled={disabled}
          spellCheck
          className="min-h-64 font-mono text-xs"
          aria-controls={previewId}
        />
      </FormField>
      <div className="grid gap-2">
        <span className="text-sm font-medium">Preview</span>
        <section id={previewId} aria-label="README preview" aria-live="off" className="max-h-[36rem] min-h-64 overflow-y-auto rounded-md border bg-card p-4">
          {preview === null ? (
            <p className="text-sm text-muted-foreground">Rendering…</p>
          ) : preview.error !== null ? (
            <p className="text-sm text-destructive">{preview.error}</p>
          ) : (
            <ListingReadme html={preview.html} />
          )}
        </section>
      </div>
    </div>
  );
}
