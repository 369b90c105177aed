import { Fact, Missing } from "@/components/agents/facts";
import { Section } from "@/components/agents/section";
import type { PolicyView } from "@/server/policies/schema";
import { ConditionReference } from "./condition-editor";
import { directionLabel, effectDescription, modeDescription, scopeLabel } from "./labels";
import { EffectBadge, ModeBadge } from "./policy-badges";

/** A policy to read, for people who may not change it. */
export function PolicyFacts({ policy }: { policy: PolicyView }) {
  const p = policy.params;
  return (
    <Section id="policy-facts" title="Configuration">
      <div className="grid gap-5">
        <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2">
          <Fact term="Applies to">
            {scopeLabel[policy.scope]}
            {policy.scope !== "ORGANIZATION" && <>: {policy.scopeName ?? <Missing>deleted</Missing>}</>}
          </Fact>
          <Fact term="Mode">
            <ModeBadge mode={policy.mode} />
            <span className="block text-muted-foreground">{modeDescription[policy.mode]}</span>
          </Fact>
          <Fact term="Effect">
            <EffectBadge effect={policy.effect} />
            <span className="block text-muted-foreground">{effectDescription[policy.effect]}</span>
          </Fact>
          {policy.effect === "DENY" && <Fact term="Message to the client">{p.message || <Missing>Blocked by policy “{policy.name}”</Missing>}</Fact>}
          {policy.effect === "REDACT" && (
            <Fact term="Masks">
              <span className="font-mono text-xs">{(p.kinds ?? ["ALL"]).join(", ")}</span>
              <span className="block text-muted-foreground">{directionLabel[p.direction ?? "BOTH"]}</span>
            </Fact>
          )}
          {policy.effect === "RESTRICT_ROUTING" && (
            <Fact term="Agents allowed">
              <code className="font-mono text-xs">{p.agentCondition}</code>
            </Fact>
          )}
          {policy.effect === "REQUIRE_LABEL" && (
            <Fact term="Required label">
              <code className="font-mono text-xs">{p.label}</code>
            </Fact>
          )}
          {policy.effect === "CAP_TOKENS" && <Fact term="Token cap">max_tokens ≤ {p.maxTokens?.toLocaleString("en")}</Fact>}
        </dl>
        <div className="grid gap-2 text-sm">
          <h3 className="text-muted-foreground">Condition</h3>
          <pre className="overflow-x-auto rounded-md border bg-muted/40 p-3 font-mono text-sm whitespace-pre-wrap">{policy.condition}</pre>
          <ConditionReference kind={policy.effect === "RESTRICT_ROUTING" ? "agentCondition" : "condition"} />
        </div>
      </div>
    </Section>
  );
}
