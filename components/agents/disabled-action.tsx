"use client";

import { useId, type ReactNode } from "react";
import { Button, type ButtonProps } from "@/components/ui/button";

/**
 * An action the current role may not take: still focusable and announced (aria-disabled), with
 * the reason as its description and tooltip, instead of a control that silently does nothing.
 */
export function DisabledAction({ reason, children, variant = "outline", size, className }: { reason: string; children: ReactNode } & Pick<ButtonProps, "variant" | "size" | "className">) {
  const id = useId();
  return (
    // The tooltip sits on a wrapper: an aria-disabled button takes no pointer events.
    <span title={reason} className="inline-flex">
      <Button type="button" variant={variant} size={size} className={className} aria-disabled="true" aria-describedby={id}>
        {children}
      </Button>
      <span id={id} className="sr-only">
        {reason}
      </span>
    </span>
  );
}
