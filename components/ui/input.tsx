import * as React from "react";

import { cn } from "./utils";

/** Shared styles for text-like controls (input, textarea, select trigger). */
export const controlStyles = [
  "w-full min-w-0 rounded-md border border-input bg-transparent text-base shadow-xs transition-[color,border-color,box-shadow] md:text-sm dark:bg-input/10",
  "placeholder:text-muted-foreground selection:bg-primary selection:text-primary-foreground",
  "outline-hidden focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring",
  "aria-invalid:border-destructive aria-invalid:focus-visible:ring-destructive",
  "disabled:cursor-not-allowed disabled:opacity-50",
].join(" ");

function Input({ className, type, ...props }: React.ComponentProps<"input">) {
  return (
    <input
      type={type}
      data-slot="input"
      className={cn(
        controlStyles,
        "h-9 px-3 py-1",
        "file:inline-flex file:h-7 file:border-0 file:bg-transparent file:text-sm file:font-medium file:text-foreground",
        className,
      )}
      {...props}
    />
  );
}

export { Input };
