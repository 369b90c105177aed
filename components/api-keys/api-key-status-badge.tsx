import { CircleCheck, CircleSlash, Clock } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { apiKeyStatusDescription, apiKeyStatusLabel, type ApiKeyStatus } from "./api-key-form";

const variant = { active: "success", expired: "warning", revoked: "secondary" } as const;
const icon = { active: CircleCheck, expired: Clock, revoked: CircleSlash } as const;

/** A key's status: colour, icon and word, so it reads without colour too. */
export function ApiKeyStatusBadge({ status, className }: { status: ApiKeyStatus; className?: string }) {
  const Icon = icon[status];
  return (
    <Badge variant={variant[status]} title={apiKeyStatusDescription[status]} className={className} data-status={status}>
      <Icon aria-hidden="true" />
      {apiKeyStatusLabel[status]}
    </Badge>
  );
}
