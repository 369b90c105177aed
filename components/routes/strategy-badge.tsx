import { Badge } from "@/components/ui/badge";
import { strategyDescription, strategyName, type RouteStrategy } from "./labels";

export function StrategyBadge({ strategy, className }: { strategy: RouteStrategy; className?: string }) {
  return (
    <Badge variant="outline" title={strategyDescription[strategy]} className={className}>
      {strategyName[strategy]}
    </Badge>
  );
}
