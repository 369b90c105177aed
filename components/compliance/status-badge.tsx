import { Badge } from "@/components/ui/badge";
import type { ControlStatus } from "@/server/compliance/schema";
import { STATUS_LABEL, STATUS_MEANING, STATUS_VARIANT } from "./status";

export function ComplianceStatusBadge({ status, className }: { status: ControlStatus; className?: string }) {
  return (
    <Badge variant={STATUS_VARIANT[status]} title={STATUS_MEANING[status]} className={className} data-status={status}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}
