import * as React from "react";

import { controlStyles } from "./input";
import { cn } from "./utils";

function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return (
    <textarea
      data-slot="textarea"
      className={cn(controlStyles, "field-sizing-content flex min-h-16 px-3 py-2", className)}
      {...props}
    />
  );
}

export { Textarea };
