import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";

/*
 * Geist fonts, self-hosted from the `geist` package (next/font/local under the
 * hood; no network access needed at build time). Put `fontVariables` on <html>
 * so `--font-geist-sans` / `--font-geist-mono` are defined where
 * app/globals.css maps them to Tailwind's `font-sans` / `font-mono`:
 *
 *   <html lang="en" className={fontVariables} suppressHydrationWarning>
 */
export { GeistMono, GeistSans };

/** `GeistSans.variable` + `GeistMono.variable` class names, for <html className>. */
export const fontVariables = `${GeistSans.variable} ${GeistMono.variable}`;
