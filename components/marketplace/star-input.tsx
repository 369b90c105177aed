"use client";

import { Star } from "lucide-react";
import { useState } from "react";
import { cn } from "@/components/ui/utils";

/**
 * A 1–5 star rating as a radio group: arrow keys move between stars, each star is a radio named
 * "N stars", and hovering previews the rating.
 */
export function StarInput({ value, onChange, name, disabled, invalid, describedBy }: { value: number; onChange: (v: number) => void; name: string; disabled?: boolean; invalid?: boolean; describedBy?: string }) {
  const [hover, setHover] = useState(0);
  const shown = hover || value;
  return (
    <div role="radiogroup" aria-label="Rating" aria-invalid={invalid || undefined} aria-describedby={describedBy} className="flex items-center gap-0.5" onMouseLeave={() => setHover(0)}>
      {[1, 2, 3, 4, 5].map((star) => (
        <label key={star} className={cn("relative cursor-pointer rounded p-0.5 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring", disabled && "cursor-not-allowed opacity-60")} onMouseEnter={() => !disabled && setHover(star)}>
          {/* Transparent over the star, so a click or tap lands on the radio itself. */}
          <input
            type="radio"
            name={name}
            value={star}
            checked={value === star}
            disabled={disabled}
            onChange={() => onChange(star)}
            className="absolute inset-0 m-0 size-full cursor-pointer opacity-0"
            aria-label={`${star} ${star === 1 ? "star" : "stars"}`}
          />
          <Star aria-hidden="true" className={cn("size-6 transition-colors", star <= shown ? "fill-amber-400 text-amber-500" : "text-muted-foreground/50")} />
        </label>
      ))}
      <span className="ml-2 text-sm text-muted-foreground tabular-nums" aria-hidden="true">
        {value ? `${value} / 5` : "Not rated"}
      </span>
    </div>
  );
}
