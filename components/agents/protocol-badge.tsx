import { Badge } from "@/components/ui/badge";
import { protocolDescription, protocolName, type AgentProtocol } from "./labels";

export function ProtocolBadge({ protocol, className }: { protocol: AgentProtocol; className?: string }) {
  return (
    <Badge variant="outline" title={protocolDescription[protocol]} className={className}>
      {protocolName[protocol]}
    </Badge>
  );
}
