import { Blocks, Bot, Route, ShieldCheck } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { ListingKind } from "@/server/marketplace/manifest";
import { kindLabel } from "./browse-params";

const icons = { GATEWAY_PLUGIN: Blocks, POLICY_PACK: ShieldCheck, ROUTE_TEMPLATE: Route, AGENT_TEMPLATE: Bot } as const;

export function KindBadge({ kind }: { kind: ListingKind }) {
  const Icon = icons[kind];
  return (
    <Badge variant="secondary">
      <Icon aria-hidden="true" />
      {kindLabel[kind]}
    </Badge>
  );
}
