import { Ban, Eye, EyeOff, Gauge, MapPinned, ShieldCheck, Tag } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { effectLabel, type PolicyEffect, type PolicyMode } from "@/server/policies/schema";

const effectIcon = { DENY: Ban, REDACT: EyeOff, RESTRICT_ROUTING: MapPinned, REQUIRE_LABEL: Tag, CAP_TOKENS: Gauge } as const;

export function EffectBadge({ effect }: { effect: PolicyEffect }) {
  const Icon = effectIcon[effect];
  return (
    <Badge variant={effect === "DENY" ? "destructive" : "secondary"}>
      <Icon aria-hidden="true" />
      {effectLabel[effect]}
    </Badge>
  );
}

/** Monitor mode changes no traffic: it is drawn apart (dashed, with an eye) so nobody mistakes it for an enforced policy. */
export function ModeBadge({ mode }: { mode: PolicyMode }) {
  return mode === "MONITOR" ? (
    <Badge variant="warning" className="border-dashed">
      <Eye aria-hidden="true" />
      Monitor only
    </Badge>
  ) : (
    <Badge variant="outline">
      <ShieldCheck aria-hidden="true" />
      Enforced
    </Badge>
  );
}
