import * as React from "react";

import { cn } from "./utils";

export type PageHeaderProps = Omit<React.ComponentProps<"div">, "title"> & {
  /** Page title, rendered as the page's <h1>. */
  title: React.ReactNode;
  description?: React.ReactNode;
  /** Buttons / links aligned to the right on wide screens, wrapped below on small ones. */
  actions?: React.ReactNode;
};

function PageHeader({ title, description, actions, className, children, ...props }: PageHeaderProps) {
  return (
    <div
      data-slot="page-header"
      className={cn(
        "flex flex-col gap-4 border-b pb-6 sm:flex-row sm:items-start sm:justify-between",
        className,
      )}
      {...props}
    >
      <div className="flex min-w-0 flex-col gap-1.5">
        <h1 className="text-2xl font-semibold tracking-tight text-balance">{title}</h1>
        {description ? (
          <p className="max-w-prose text-sm text-muted-foreground">{description}</p>
        ) : null}
        {children}
      </div>
      {actions ? (
        <div data-slot="page-header-actions" className="flex shrink-0 flex-wrap items-center gap-2">
          {actions}
        </div>
      ) : null}
    </div>
  );
}

export { PageHeader };
