import * as React from "react";
import { controlStyles } from "./input";
import { cn } from "./utils";

/** A styled native <select>: keyboard, screen readers and mobile pickers work as the platform does. */
function NativeSelect({ className, ...props }: React.ComponentProps<"select">) {
  return <select data-slot="native-select" className={cn(controlStyles, "h-9 px-2 py-1", className)} {...props} />;
}

export { NativeSelect };
