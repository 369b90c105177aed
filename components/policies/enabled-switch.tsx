"use client";

import { cn } from "@/components/ui/utils";

/** An on/off switch (role="switch"), for a policy's enabled state. */
export function EnabledSwitch({ checked, onChange, disabled, label }: { checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean; label: string }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!checked)}
      className={cn(
        "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border-2 border-transparent transition-colors outline-hidden focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-not-allowed disabled:opacity-50",
        checked ? "bg-primary" : "bg-input",
      )}
    >
      <span aria-hidden="true" className={cn("block size-4 rounded-full bg-background shadow-sm transition-transform motion-reduce:transition-none", checked ? "translate-x-4" : "translate-x-0")} />
    </button>
  );
}
