import Link from "next/link";
import { Fact, Missing } from "@/components/agents/facts";
import { ProtocolBadge } from "@/components/agents/protocol-badge";
import { Section } from "@/components/agents/section";
import { AgentStatusBadge } from "@/components/agents/status-badge";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RouteDetail } from "@/server/routes/schema";
import { headerOpLabel, strategyDescription, strategyName } from "./labels";

const ms = new Intl.NumberFormat("en");

/** A route's configuration to read, in the editor's three sections, for people who may not change it. */
export function RouteFacts({ orgSlug, route }: { orgSlug: string; route: RouteDetail }) {
  return (
    <>
      <Section id="route-matching" title="Matching">
        <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2">
          <Fact term="Alias">
            <code className="font-mono text-xs">{route.alias}</code>
          </Fact>
          <Fact term="Slug">
            <code className="font-mono text-xs">{route.slug}</code>
          </Fact>
          <Fact term="Match tags">
            {route.matchTags.length ? (
              <span className="flex flex-wrap gap-1">
                {route.matchTags.map((t) => (
                  <Badge key={t} variant="outline" className="font-normal">
                    {t}
                  </Badge>
                ))}
              </span>
            ) : (
              <Missing>None: any agent</Missing>
            )}
          </Fact>
          <Fact term="Data labels">
            {route.labels.length ? (
              <span className="flex flex-wrap gap-1" data-testid="route-data-labels">
                {route.labels.map((l) => (
                  <Badge key={l} variant="secondary" className="font-mono">
                    {l}
                  </Badge>
                ))}
              </span>
            ) : (
              <Missing>None</Missing>
            )}
          </Fact>
          <Fact term="Header conditions">
            {route.headerConditions.length ? (
              <ul className="grid gap-1">
                {route.headerConditions.map((h, i) => (
                  <li key={i} className="font-mono text-xs">
                    {h.header} {headerOpLabel[h.op]}
                    {h.op !== "present" && <> “{h.value}”</>}
                  </li>
                ))}
              </ul>
            ) : (
              <Missing>None: every request for the alias</Missing>
            )}
          </Fact>
        </dl>
      </Section>

      <Section id="route-targets" title="Targets & strategy">
        <div className="grid gap-4">
          <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2">
            <Fact term="Strategy">
              <span className="font-medium">{strategyName[route.strategy]}</span>
              <span className="block text-muted-foreground">{strategyDescription[route.strategy]}</span>
            </Fact>
            {route.strategy === "CAPABILITY" && <Fact term="Required skill">{route.requiredSkill ?? <Missing />}</Fact>}
          </dl>
          {route.targets.length === 0 ? (
            <p className="text-sm text-muted-foreground">No targets: any healthy agent with the required skill may serve.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Agent</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Weight</TableHead>
                  <TableHead className="text-right">Priority</TableHead>
                  <TableHead className="hidden sm:table-cell">Model override</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {route.targets.map((t) => (
                  <TableRow key={t.agentId}>
                    <TableCell>
                      <div className="flex flex-wrap items-center gap-2">
                        <Link href={`/o/${orgSlug}/agents/${t.agentId}`} className="font-medium underline-offset-4 hover:underline">
                          {t.agentName}
                        </Link>
                        <ProtocolBadge protocol={t.agentProtocol} />
                      </div>
                    </TableCell>
                    <TableCell>
                      <AgentStatusBadge status={t.agentStatus} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{t.weight}</TableCell>
                    <TableCell className="text-right tabular-nums">{t.priority}</TableCell>
                    <TableCell className="hidden font-mono text-xs sm:table-cell">{t.model ?? <Missing>Same as the alias</Missing>}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </div>
      </Section>

      <Section id="route-resilience" title="Resilience">
        <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <Fact term="Timeout per attempt">{ms.format(route.timeoutMs)} ms</Fact>
          <Fact term="Deadline">{ms.format(route.deadlineMs)} ms</Fact>
          <Fact term="Max retries">{route.maxRetries}</Fact>
          <Fact term="Retry budget">{route.retryBudgetPercent} %</Fact>
          <Fact term="Breaker threshold">{route.breakerFailureThreshold} failures in a row</Fact>
          <Fact term="Breaker cool-down">{ms.format(route.breakerCooldownMs)} ms</Fact>
        </dl>
      </Section>
    </>
  );
}
