"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { METRICS, metricLabel, SEVERITIES, type RuleView } from "@/server/alerts/schema";
import { draftOf, emptyRuleDraft, KIND_LABEL, OP_LABEL, ruleInputOf, SEVERITY_VARIANT, type RuleDraft } from "./alert-model";

const FIELDS = ["name", "kind", "metric", "routeId", "agentId", "sensitivity", "thresholdOp", "thresholdValue", "horizonMinutes", "forMinutes", "minRequests", "severity", "webhookIds", "emailRecipients"] as const;

function describeRule(r: RuleView): string {
  const scope = [r.routeName && `route ${r.routeName}`, r.agentName && `agent ${r.agentName}`].filter(Boolean).join(", ") || "all traffic";
  switch (r.kind) {
    case "ANOMALY":
      return `${metricLabel[r.metric]} of ${scope}, sensitivity ${r.sensitivity}`;
    case "THRESHOLD":
      return `${metricLabel[r.metric]} of ${scope} ${OP_LABEL[r.thresholdOp ?? "gt"]} ${r.thresholdValue} for ${r.forMinutes} min`;
    case "FORECAST":
      return `${metricLabel[r.metric]} of ${scope} forecast ${OP_LABEL[r.thresholdOp ?? "gt"]} ${r.thresholdValue} within ${r.horizonMinutes} min`;
    case "AGENT_HEALTH":
      return r.agentName ? `Health of agent ${r.agentName}` : "Health of every agent";
  }
}

export function RulesSection({ orgSlug, canEdit, emailConfigured }: { orgSlug: string; canEdit: boolean; emailConfigured: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rules = useQuery(trpc.alert.rule.list.queryOptions({ orgSlug }));
  const [editing, setEditing] = useState<RuleView | "new" | null>(null);
  const remove = useMutation(
    trpc.alert.rule.delete.mutationOptions({
      onSuccess: async () => {
        toast.success("Rule deleted");
        await queryClient.invalidateQueries({ queryKey: trpc.alert.rule.list.queryKey({ orgSlug }) });
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <section aria-labelledby="rules-heading" className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="rules-heading" className="text-base font-semibold">
          Rules
        </h2>
        {canEdit && editing === null && (
          <Button size="sm" onClick={() => setEditing("new")}>
            <Plus aria-hidden="true" />
            New rule
          </Button>
        )}
      </div>
      {editing !== null && <RuleForm key={editing === "new" ? "new" : editing.id} orgSlug={orgSlug} rule={editing === "new" ? null : editing} emailConfigured={emailConfigured} onDone={() => setEditing(null)} />}
      {rules.isPending ? (
        <p className="text-sm text-muted-foreground">Loading rules…</p>
      ) : rules.isError ? (
        <p role="alert" className="text-sm text-destructive">
          The rules could not be loaded: {rules.error.message}
        </p>
      ) : rules.data.length === 0 ? (
        <EmptyState titleAs="h3" title="No alert rules yet" description={canEdit ? "Create one: an anomaly rule on p95 latency is a good start." : "Admins create alert rules."} />
      ) : (
        <Table>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead>Rule</TableHead>
              <TableHead className="hidden md:table-cell">Kind</TableHead>
              <TableHead className="hidden md:table-cell">Severity</TableHead>
              <TableHead className="text-right">Open</TableHead>
              {canEdit && (
                <TableHead className="w-24">
                  <span className="sr-only">Actions</span>
                </TableHead>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rules.data.map((r) => (
              <TableRow key={r.id}>
                <TableCell className="align-top whitespace-normal">
                  <span className="font-medium">{r.name}</span>
                  {!r.enabled && (
                    <Badge variant="outline" className="ml-2">
                      disabled
                    </Badge>
                  )}
                  <p className="text-xs text-muted-foreground">{describeRule(r)}</p>
                </TableCell>
                <TableCell className="hidden align-top md:table-cell">{KIND_LABEL[r.kind]}</TableCell>
                <TableCell className="hidden align-top md:table-cell">
                  <Badge variant={SEVERITY_VARIANT[r.severity]}>{r.severity.toLowerCase()}</Badge>
                </TableCell>
                <TableCell className="text-right align-top tabular-nums">{r.openAlerts}</TableCell>
                {canEdit && (
                  <TableCell className="align-top">
                    <div className="flex gap-1">
                      <Button variant="ghost" size="icon" aria-label={`Edit ${r.name}`} onClick={() => setEditing(r)}>
                        <Pencil />
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon"
                        aria-label={`Delete ${r.name}`}
                        disabled={remove.isPending}
                        onClick={() => {
                          if (window.confirm(`Delete the rule “${r.name}” and its alerts?`)) remove.mutate({ orgSlug, ruleId: r.id });
                        }}
                      >
                        <Trash2 />
                      </Button>
                    </div>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function RuleForm({ orgSlug, rule, emailConfigured, onDone }: { orgSlug: string; rule: RuleView | null; emailConfigured: boolean; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RuleDraft>(rule ? draftOf(rule) : emptyRuleDraft);
  const routes = useQuery(trpc.route.list.queryOptions({ orgSlug }));
  const agents = useQuery(trpc.agent.list.queryOptions({ orgSlug, pageSize: 100 }));
  const webhooks = useQuery(trpc.alert.webhook.list.queryOptions({ orgSlug }));
  const onSuccess = async (saved: RuleView) => {
    toast.success(rule ? `${saved.name} saved` : `${saved.name} created`, { description: "Evaluated from the next minute on." });
    await queryClient.invalidateQueries({ queryKey: trpc.alert.rule.list.queryKey({ orgSlug }) });
    onDone();
  };
  const create = useMutation(trpc.alert.rule.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.alert.rule.update.mutationOptions({ onSuccess }));
  const pending = create.isPending || update.isPending;
  // Editing sends the rule under `config`, so its field errors come back as `config.<field>`.
  const errors = placeErrors(create.error ?? update.error, [...FIELDS, ...FIELDS.map((f) => `config.${f}` as const)], "form");
  const errorAt = (f: (typeof FIELDS)[number]) => errors[f] ?? errors[`config.${f}`];
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft({ ...draft, [key]: value });
  const thresholdKind = draft.kind === "THRESHOLD" || draft.kind === "FORECAST";

  function submit() {
    const input = ruleInputOf(draft);
    if (rule) update.mutate({ orgSlug, ruleId: rule.id, config: input });
    else create.mutate({ orgSlug, ...input });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h3 className="text-base">{rule ? `Edit ${rule.name}` : "New alert rule"}</h3>
        </CardTitle>
        <CardDescription>Anomaly rules learn the metric&apos;s usual shape (time of day, day of week) and alert when it leaves the expected band.</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          noValidate
          aria-busy={pending || undefined}
          className="grid gap-5"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {errors.form && (
            <Alert variant="destructive">
              <AlertTitle>The rule was not saved</AlertTitle>
              <AlertDescription>{errors.form}</AlertDescription>
            </Alert>
          )}
          <div className="grid gap-5 sm:grid-cols-2">
            <FormField label="Name" required error={errorAt("name")}>
              <Input name="name" value={draft.name} onChange={(e) => set("name", e.target.value)} maxLength={80} autoComplete="off" />
            </FormField>
            <FormField label="Kind" error={errorAt("kind")}>
              <NativeSelect name="kind" value={draft.kind} onChange={(e) => set("kind", e.target.value as RuleDraft["kind"])}>
                {Object.entries(KIND_LABEL).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            {draft.kind !== "AGENT_HEALTH" && (
              <FormField label="Metric" error={errorAt("metric")}>
                <NativeSelect name="metric" value={draft.metric} onChange={(e) => set("metric", e.target.value as RuleDraft["metric"])}>
                  {METRICS.map((m) => (
                    <option key={m} value={m}>
                      {metricLabel[m]}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
            )}
            <FormField label="Severity" error={errorAt("severity")}>
              <NativeSelect name="severity" value={draft.severity} onChange={(e) => set("severity", e.target.value as RuleDraft["severity"])}>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {s.toLowerCase()}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            {draft.kind !== "AGENT_HEALTH" && (
              <FormField label="Route" error={errorAt("routeId")} description="Empty: all routes.">
                <NativeSelect name="routeId" value={draft.routeId} onChange={(e) => set("routeId", e.target.value)}>
                  <option value="">All routes</option>
                  {routes.data?.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
            )}
            <FormField label="Agent" error={errorAt("agentId")} description="Empty: all agents.">
              <NativeSelect name="agentId" value={draft.agentId} onChange={(e) => set("agentId", e.target.value)}>
                <option value="">All agents</option>
                {agents.data?.agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            {draft.kind === "ANOMALY" && (
              <FormField label="Sensitivity (0–1)" error={errorAt("sensitivity")} description="Higher flags smaller deviations.">
                <Input name="sensitivity" value={draft.sensitivity} onChange={(e) => set("sensitivity", e.target.value)} inputMode="decimal" />
              </FormField>
            )}
            {thresholdKind && (
              <>
                <FormField label="Compare" error={errorAt("thresholdOp")}>
                  <NativeSelect name="thresholdOp" value={draft.thresholdOp} onChange={(e) => set("thresholdOp", e.target.value as RuleDraft["thresholdOp"])}>
                    {Object.entries(OP_LABEL).map(([op, label]) => (
                      <option key={op} value={op}>
                        {label}
                      </option>
                    ))}
                  </NativeSelect>
                </FormField>
                <FormField label="Threshold" required error={errorAt("thresholdValue")} description="In the metric's unit: ms, a fraction 0–1 for rates, USD per minute for cost.">
                  <Input name="thresholdValue" value={draft.thresholdValue} onChange={(e) => set("thresholdValue", e.target.value)} inputMode="decimal" />
                </FormField>
              </>
            )}
            {draft.kind === "FORECAST" && (
              <FormField label="Horizon (minutes)" error={errorAt("horizonMinutes")}>
                <Input name="horizonMinutes" value={draft.horizonMinutes} onChange={(e) => set("horizonMinutes", e.target.value)} inputMode="numeric" />
              </FormField>
            )}
            {draft.kind !== "AGENT_HEALTH" && (
              <>
                <FormField label="For (minutes)" error={errorAt("forMinutes")} description="Consecutive breaching minutes before it fires.">
                  <Input name="forMinutes" value={draft.forMinutes} onChange={(e) => set("forMinutes", e.target.value)} inputMode="numeric" />
                </FormField>
                <FormField label="Minimum requests per minute" error={errorAt("minRequests")} description="Quieter minutes are not judged.">
                  <Input name="minRequests" value={draft.minRequests} onChange={(e) => set("minRequests", e.target.value)} inputMode="numeric" />
                </FormField>
              </>
            )}
          </div>
          <fieldset className="grid gap-2 rounded-lg border p-4">
            <legend className="px-1 text-sm font-medium">Notify webhooks</legend>
            {webhooks.data?.length ? (
              webhooks.data.map((w) => (
                <label key={w.id} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={draft.webhookIds.includes(w.id)}
                    onChange={(e) => set("webhookIds", e.target.checked ? [...draft.webhookIds, w.id] : draft.webhookIds.filter((id) => id !== w.id))}
                  />
                  {w.name} <span className="font-mono text-xs text-muted-foreground">{w.url}</span>
                </label>
              ))
            ) : (
              <p className="text-sm text-muted-foreground">No webhooks yet (see the Webhooks tab).</p>
            )}
            {errorAt("webhookIds") && <p className="text-sm text-destructive">{errorAt("webhookIds")}</p>}
          </fieldset>
          <FormField
            label="Email recipients"
            error={errorAt("emailRecipients")}
            description={
              emailConfigured
                ? "Comma-separated, up to 10 addresses. Emailed when an alert fires, is acknowledged and resolves."
                : "Email is not configured on this server (SMTP_URL). The addresses are saved, but nothing is sent until it is."
            }
          >
            <Input
              name="emailRecipients"
              type="text"
              value={draft.emailRecipients}
              onChange={(e) => set("emailRecipients", e.target.value)}
              placeholder="oncall@example.com, sre@example.com"
              autoComplete="off"
              spellCheck={false}
            />
          </FormField>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-primary" checked={draft.enabled} onChange={(e) => set("enabled", e.target.checked)} />
            Enabled
          </label>
          <div className="flex gap-2">
            <Button type="submit" disabled={pending}>
              {pending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
              {rule ? "Save rule" : "Create rule"}
            </Button>
            <Button type="button" variant="ghost" onClick={onDone}>
              Cancel
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
