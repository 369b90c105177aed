import * as React from "react";

import { cn } from "./utils";

type IconComponent = React.ComponentType<{ className?: string; "aria-hidden"?: boolean | "true" }>;

export type EmptyStateProps = Omit<React.ComponentProps<"div">, "title"> & {
  /** A lucide icon component (icon={Bot}) or an element (icon={<Bot />}). Decorative. */
  icon?: IconComponent | React.ReactElement;
  title: React.ReactNode;
  description?: React.ReactNode;
  /** Call to action, e.g. <Button>Create agent</Button>. */
  action?: React.ReactNode;
  /** Heading element for the title (default "h2"). */
  titleAs?: "h2" | "h3" | "h4" | "p";
};

function EmptyState({
  icon,
  title,
  description,
  action,
  titleAs: Title = "h2",
  className,
  children,
  ...props
}: EmptyStateProps) {
  let iconNode: React.ReactNode = null;
  if (React.isValidElement(icon)) {
    iconNode = icon;
  } else if (icon) {
    const Icon = icon as IconComponent;
    iconNode = <Icon className="size-6" aria-hidden="true" />;
  }

  return (
    <div
      data-slot="empty-state"
      className={cn(
        "flex flex-col items-center justify-center gap-4 rounded-xl border border-dashed px-6 py-12 text-center",
        className,
      )}
      {...props}
    >
      {iconNode ? (
        <div
          aria-hidden="true"
          className="flex size-12 items-center justify-center rounded-full bg-muted text-muted-foreground [&_svg:not([class*='size-'])]:size-6"
        >
          {iconNode}
        </div>
      ) : null}
      <div className="flex max-w-md flex-col gap-1.5">
        <Title className="text-base font-semibold leading-tight">{title}</Title>
        {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {action ? <div className="flex flex-wrap items-center justify-center gap-2">{action}</div> : null}
      {children}
    </div>
  );
}

export { EmptyState };
