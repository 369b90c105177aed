import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/** Merge class names: conditional joining (clsx) + Tailwind conflict resolution (tailwind-merge). */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}

/**
 * Keyboard focus indicator shared by the primitives: a 2px ring in the
 * `--ring` colour, offset from the element so it stays visible on filled
 * (primary/destructive) backgrounds. `outline-hidden` keeps a real outline in
 * Windows forced-colours mode.
 */
export const focusRing =
  "outline-hidden focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background";

/** Enter/exit animation for Radix popper surfaces (menus, select, tooltip). */
export const popoverAnimation =
  "data-[state=open]:animate-in data-[state=open]:fade-in-0 data-[state=open]:zoom-in-95 data-[state=closed]:animate-out data-[state=closed]:fade-out-0 data-[state=closed]:zoom-out-95 data-[side=bottom]:slide-in-from-top-2 data-[side=left]:slide-in-from-right-2 data-[side=right]:slide-in-from-left-2 data-[side=top]:slide-in-from-bottom-2";
