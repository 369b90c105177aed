"use client";

import { useSyncExternalStore } from "react";
import { formatRelativeTime, formatUtc } from "./time";

/*
 * One clock for every relative time on the page, ticking every 30 s. The server (and the first
 * browser render, which must match it) has no "now", so it shows the absolute UTC time instead.
 */
let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function getSnapshot() {
  // Stable between calls (React requires it); refreshed when the clock starts and on each tick.
  if (!now) now = Date.now();
  return now;
}
const getServerSnapshot = () => null;

export function useNow(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

/** "5 minutes ago", with the exact time as a tooltip and in `dateTime`. */
export function RelativeTime({ date, className }: { date: Date; className?: string }) {
  const current = useNow();
  return (
    <time dateTime={date.toISOString()} title={formatUtc(date)} className={className}>
      {current === null ? formatUtc(date) : formatRelativeTime(date, current)}
    </time>
  );
}
