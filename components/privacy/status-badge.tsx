import { CircleCheck, CircleX, Clock, Loader2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { RequestStatus } from "@/server/privacy/schema";
import { statusDescription, statusLabel } from "./request-model";

const variant = { PENDING: "secondary", RUNNING: "warning", COMPLETED: "success", FAILED: "destructive" } as const;
const icon = { PENDING: Clock, RUNNING: Loader2, COMPLETED: CircleCheck, FAILED: CircleX } as const;

/** A request's status: colour, icon and word, so it reads without colour too. */
export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const Icon = icon[status];
  return (
    <Badge variant={variant[status]} title={statusDescription[status]} data-status={status}>
      <Icon aria-hidden="true" className={status === "RUNNING" ? "animate-spin" : undefined} />
      {statusLabel[status]}
    </Badge>
  );
}
