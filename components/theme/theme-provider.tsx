"use client";

import * as React from "react";
import { ThemeProvider as NextThemesProvider } from "next-themes";

type ThemeProviderProps = React.ComponentProps<typeof NextThemesProvider>;

/*
 * next-themes renders an inline <script> that sets the theme class before
 * hydration; only the copy in the server HTML ever runs. When React creates
 * that element on the client (e.g. the provider remounts), React 19 logs
 * "Encountered a script tag while rendering React component" (next-themes
 * issue #385). Marking the client-side copy as a data block silences that
 * without changing behaviour: the server HTML keeps an executable script, and
 * the script element carries suppressHydrationWarning.
 */
const clientScriptProps: ThemeProviderProps["scriptProps"] =
  typeof window === "undefined" ? undefined : { type: "application/json" };

/**
 * next-themes provider: toggles the `dark` class on <html> (defaults: system
 * theme, no transitions while switching). The root layout's <html> needs
 * `suppressHydrationWarning`.
 */
function ThemeProvider({ children, scriptProps, ...props }: ThemeProviderProps) {
  return (
    <NextThemesProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      scriptProps={scriptProps ?? clientScriptProps}
      {...props}
    >
      {children}
    </NextThemesProvider>
  );
}

export { ThemeProvider, type ThemeProviderProps };
