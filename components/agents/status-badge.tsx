import { CircleAlert, CircleCheck, CircleSlash } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { statusDescription, statusLabel, type AgentStatus } from "./labels";

const variant = { ACTIVE: "success", UNHEALTHY: "destructive", DISABLED: "secondary" } as const;
const icon = { ACTIVE: CircleCheck, UNHEALTHY: CircleAlert, DISABLED: CircleSlash } as const;

/** An agent's status: colour, icon and word, so it reads without colour too. */
export function AgentStatusBadge({ status, className }: { status: AgentStatus; className?: string }) {
  const Icon = icon[status];
  return (
    <Badge variant={variant[status]} title={statusDescription[status]} className={className} data-status={status}>
      <Icon aria-hidden="true" />
      {statusLabel[status]}
    </Badge>
  );
}
