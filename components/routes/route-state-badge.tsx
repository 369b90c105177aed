import { CircleCheck, CircleSlash } from "lucide-react";
import { Badge } from "@/components/ui/badge";

/** Whether the gateway serves the route: colour, icon and word, so it reads without colour too. */
export function RouteStateBadge({ enabled, className }: { enabled: boolean; className?: string }) {
  const Icon = enabled ? CircleCheck : CircleSlash;
  return (
    <Badge
      variant={enabled ? "success" : "secondary"}
      title={enabled ? "The gateway serves this route" : "Turned off: the gateway answers requests for this alias with an error"}
      className={className}
      data-enabled={enabled}
    >
      <Icon aria-hidden="true" />
      {enabled ? "Enabled" : "Disabled"}
    </Badge>
  );
}
