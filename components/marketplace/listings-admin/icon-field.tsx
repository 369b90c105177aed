"use client";

import { ImageUp, X } from "lucide-react";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { ICON_TYPES, iconPreviewSrc, readIconFile } from "./listing-form-model";

/**
 * The listing's icon: an uploaded PNG/JPEG/GIF/WebP/SVG file, or SVG markup or a data: URL pasted.
 * The preview is an <img>, as on the listing page, so nothing in an SVG runs.
 */
export function IconField({ value, onChange, error, disabled, maxBytes }: { value: string; onChange: (value: string) => void; error?: string; disabled?: boolean; maxBytes: number }) {
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const src = iconPreviewSrc(value);
  const shown = fileError ?? error;
  const describedBy = [`${id}-help`, shown ? `${id}-error` : null].filter(Boolean).join(" ");

  return (
    <fieldset className="grid gap-3" aria-describedby={describedBy} disabled={disabled}>
      <legend className="mb-2 text-sm font-medium">Icon</legend>
      <div className="flex flex-wrap items-center gap-3">
        {src ? (
          // A data: URL made from what was typed or uploaded; next/image would add nothing.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={src} alt="Icon preview" width={48} height={48} className="size-12 shrink-0 rounded-lg border object-contain" />
        ) : (
          <span aria-hidden="true" className="flex size-12 shrink-0 items-center justify-center rounded-lg border border-dashed text-xs text-muted-foreground">
            None
          </span>
        )}
        <input
          ref={fileRef}
          id={`${id}-file`}
          type="file"
          accept={ICON_TYPES.join(",")}
          className="sr-only"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (!file) return;
            const read = await readIconFile(file, maxBytes);
            if (read.ok) {
              setFileError(null);
              onChange(read.icon);
            } else setFileError(read.error);
          }}
        />
        <Button type="button" variant="outline" size="sm" onClick={() => fileRef.current?.click()}>
          <ImageUp aria-hidden="true" />
          Upload an image
        </Button>
        {value && (
          <Button
            type="button"
            variant="ghost"
            size="sm"
            onClick={() => {
              setFileError(null);
              onChange("");
            }}
          >
            <X aria-hidden="true" />
            Remove icon
          </Button>
        )}
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-text`} className="font-normal text-muted-foreground">
          Or paste SVG markup or a data: URL
        </Label>
        <Textarea
          id={`${id}-text`}
          name="icon"
          value={value}
          onChange={(e) => {
            setFileError(null);
            onChange(e.target.value);
          }}
          rows={2}
          spellCheck={false}
          className="max-h-32 font-mono text-xs"
          aria-invalid={shown ? true : undefined}
        />
      </div>
      <p id={`${id}-help`} className="text-sm text-muted-foreground">
        A square image of at most {maxBytes / 1024} KB (a 128×128 PNG or an SVG works well). SVGs may not contain scripts, event handlers or outside links.
      </p>
      {shown && (
        <p id={`${id}-error`} role="alert" className="text-sm font-medium text-destructive">
          {shown}
        </p>
      )}
    </fieldset>
  );
}
