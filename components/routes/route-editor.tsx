"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, Plus, RefreshCw, Trash2, Undo2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { protocolName, statusLabel } from "@/components/agents/labels";
import { Section } from "@/components/agents/section";
import { formatDataLabels, parseDataLabels } from "@/components/policies/data-labels";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/components/ui/utils";
import { diffRouteConfigs, type ConfigChange } from "@/server/routes/diff";
import type { RouteConfig, RouteDetail } from "@/server/routes/schema";
import { agentPickerInput } from "./agent-picker";
import { ConfigDiff } from "./config-diff";
import { HEADER_OPS, headerOpLabel, ROUTE_STRATEGIES, strategyDescription, strategyName, type HeaderOp, type RouteStrategy } from "./labels";
import { isVersionConflict, placeRouteErrors } from "./route-errors";
import {
  agentChoices,
  configFromRoute,
  emptyRouteForm,
  formFromConfig,
  formSignature,
  isEditorField,
  newHeaderRow,
  newTargetRow,
  readRouteForm,
  removeRow,
  updateRow,
  withName,
  withSlug,
  withStrategy,
  type HeaderRow,
  type ResilienceField,
  type RouteForm,
  type TargetRow,
} from "./route-form";

interface AgentOption {
  id: string;
  name: string;
  detail: string;
}

const RESILIENCE: { field: ResilienceField; label: string; help: string }[] = [
  { field: "timeoutMs", label: "Timeout per attempt (ms)", help: "How long one attempt at one agent may take before the gateway gives up on it and, if retries remain, tries again." },
  { field: "deadlineMs", label: "Deadline (ms)", help: "The whole request, retries included, ends by then. At least the timeout." },
  { field: "maxRetries", label: "Max retries", help: "Further attempts after a failed one, at another target when there is one. 0–10." },
  { field: "retryBudgetPercent", label: "Retry budget (%)", help: "Retries may add at most this share of extra traffic, so an outage is not made worse. 0–100." },
  { field: "breakerFailureThreshold", label: "Breaker threshold", help: "Failures in a row after which a target is taken out of rotation for the cool-down. 1–1000." },
  { field: "breakerCooldownMs", label: "Breaker cool-down (ms)", help: "How long a tripped target rests before the gateway tries it again." },
];

/**
 * Creates a route (no `route`) or edits one. Saving an existing route first shows what changes,
 * then saves against the version that was loaded; if someone saved in between, nothing is
 * overwritten and the editor offers to reload.
 */
export function RouteEditor({ orgSlug, route }: { orgSlug: string; route?: RouteDetail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const agents = useQuery(trpc.agent.list.queryOptions(agentPickerInput(orgSlug)));

  // The saved route the edits start from; it changes only when this editor saves or reloads.
  const [base, setBase] = useState(route);
  const [form, setForm] = useState<RouteForm>(() => (route ? formFromConfig(configFromRoute(route)) : emptyRouteForm()));
  const [initial, setInitial] = useState(() => formSignature(form));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [review, setReview] = useState<{ config: RouteConfig; changes: ConfigChange[] } | null>(null);

  const options = useMemo(() => {
    const byId = new Map<string, AgentOption>();
    for (const t of base?.targets ?? []) {
      byId.set(t.agentId, { id: t.agentId, name: t.agentName, detail: `${protocolName[t.agentProtocol]}${t.agentStatus === "ACTIVE" ? "" : `, ${statusLabel[t.agentStatus].toLowerCase()}`}` });
    }
    for (const a of agents.data?.agents ?? []) {
      byId.set(a.id, { id: a.id, name: a.name, detail: `${protocolName[a.protocol]}${a.status === "ACTIVE" ? "" : `, ${statusLabel[a.status].toLowerCase()}`}` });
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [agents.data, base]);
  const agentName = (agentId: string) => options.find((o) => o.id === agentId)?.name ?? agentId;

  const afterSave = async (saved: RouteDetail) => {
    queryClient.setQueryData(trpc.route.get.queryKey({ orgSlug, routeId: saved.id }), saved);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.route.list.queryKey({ orgSlug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.route.versions.queryKey({ orgSlug, routeId: saved.id }) }),
    ]);
  };
  const create = useMutation(
    trpc.route.create.mutationOptions({
      onSuccess: async (created) => {
        await afterSave(created);
        toast.success(`${created.name} created`, { description: `Clients can now ask the gateway for “${created.alias}”.` });
        router.push(`/o/${orgSlug}/routes/${created.id}`);
      },
    }),
  );
  const update = useMutation(
    trpc.route.update.mutationOptions({
      onSuccess: async (saved) => {
        startFrom(saved);
        await afterSave(saved);
        toast.success(`${saved.name} saved as version ${saved.version}`);
      },
    }),
  );
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  const conflict = isVersionConflict(update.error);

  function startFrom(saved: RouteDetail) {
    const next = formFromConfig(configFromRoute(saved));
    setBase(saved);
    setForm(next);
    setInitial(formSignature(next));
    setClientErrors({});
  }

  const reload = useMutation({
    mutationFn: () => queryClient.fetchQuery({ ...trpc.route.get.queryOptions({ orgSlug, routeId: base!.id }), staleTime: 0 }),
    onSuccess: (fresh) => {
      startFrom(fresh);
      update.reset();
      toast.success(`Reloaded version ${fresh.version}`);
    },
    onError: (e) => toast.error(e.message),
  });

  const placed = placeRouteErrors(conflict ? null : error, (path) => isEditorField(form, path));
  const errorAt = (path: string): string | undefined => clientErrors[path] ?? placed.fields[path];
  const problemCount = Object.keys(clientErrors).length;
  const dirty = formSignature(form) !== initial;

  /** Applies an edit and forgets the client-side problems of the fields it touched. */
  function edit(next: RouteForm, ...paths: string[]) {
    setForm(next);
    if (paths.some((p) => clientErrors[p])) {
      setClientErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !paths.includes(k))));
    }
  }
  const text = (field: "alias" | "description" | "matchTags" | "labels" | "requiredSkill" | ResilienceField) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    edit({ ...form, [field]: e.target.value }, field);

  function submit() {
    const read = readRouteForm(form);
    if (read.errors) {
      setClientErrors(read.errors);
      // Focus the first field with a problem once it is marked.
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
      return;
    }
    setClientErrors({});
    if (!base) {
      create.mutate({ orgSlug, ...read.config });
      return;
    }
    const changes = diffRouteConfigs(configFromRoute(base), read.config, agentName);
    if (changes.length === 0) {
      toast.info("Nothing to save: the route is as it was saved.");
      return;
    }
    update.reset();
    setReview({ config: read.config, changes });
  }

  const setHeader = (i: number, patch: Partial<HeaderRow>, field: string) =>
    edit({ ...form, headerConditions: updateRow(form.headerConditions, i, patch) }, `headerConditions.${i}.${field}`, "headerConditions");
  const setTarget = (i: number, patch: Partial<TargetRow>, field: string) => edit({ ...form, targets: updateRow(form.targets, i, patch) }, `targets.${i}.${field}`, "targets");
  // Removing a row moves the rows below up: their problems no longer match, so they are cleared.
  const removeHeader = (i: number) => {
    setForm({ ...form, headerConditions: removeRow(form.headerConditions, i) });
    setClientErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !k.startsWith("headerConditions"))));
  };
  const removeTarget = (i: number) => {
    setForm({ ...form, targets: removeRow(form.targets, i) });
    setClientErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !k.startsWith("targets"))));
  };

  // Rows may be dropped, so row problems no longer match their rows: they are cleared.
  const changeStrategy = (strategy: RouteStrategy) => {
    setForm(withStrategy(form, strategy));
    setClientErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !k.startsWith("targets") && k !== "strategy" && k !== "requiredSkill")));
  };

  const capability = form.strategy === "CAPABILITY";
  const cancelHref = base ? `/o/${orgSlug}/routes/${base.id}` : `/o/${orgSlug}/routes`;

  return (
    <form
      ref={formRef}
      noValidate
      aria-busy={saving || undefined}
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {problemCount > 0 && (
        <Alert variant="destructive">
          <AlertTitle>Not saved</AlertTitle>
          <AlertDescription>
            Fix the {problemCount === 1 ? "problem" : `${problemCount} problems`} marked below, then save again.
          </AlertDescription>
        </Alert>
      )}
      {conflict && update.error && (
        <Alert variant="destructive">
          <AlertTitle>Someone else saved this route</AlertTitle>
          <AlertDescription>
            <p>{update.error.message}</p>
            <p>Reloading shows their version; your unsaved changes here are discarded.</p>
            <Button type="button" variant="outline" size="sm" onClick={() => reload.mutate()} disabled={reload.isPending}>
              <RefreshCw aria-hidden="true" className={reload.isPending ? "animate-spin motion-reduce:animate-none" : undefined} />
              {reload.isPending ? "Reloading…" : "Reload the route"}
            </Button>
          </AlertDescription>
        </Alert>
      )}
      {placed.form && (
        <Alert variant="destructive">
          <AlertTitle>{base ? "Not saved" : "The route was not created"}</AlertTitle>
          <AlertDescription>{placed.form}</AlertDescription>
        </Alert>
      )}

      <Section id={`${id}-matching`} title="Matching" description="Clients ask the gateway for the alias; requests that also carry these tags and headers are served by this route.">
        <div className="grid gap-5">
          <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
            <FormField label="Name" required error={errorAt("name")}>
              <Input name="name" value={form.name} onChange={(e) => edit(withName(form, e.target.value), "name", "slug")} maxLength={80} autoComplete="off" disabled={saving} />
            </FormField>
            <FormField label="Slug" error={errorAt("slug")} description={form.slugTouched ? "Names the route in URLs and logs." : "Follows the name until you change it."}>
              <Input
                name="slug"
                value={form.slug}
                onChange={(e) => edit(withSlug(form, e.target.value), "slug")}
                maxLength={48}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
                disabled={saving}
              />
            </FormField>
          </div>
          <FormField
            label="Alias"
            required
            error={errorAt("alias")}
            description="What clients ask for: the model of an OpenAI request (e.g. support-bot or gpt-4o-mini), or the agent an A2A client calls."
          >
            <Input name="alias" value={form.alias} onChange={text("alias")} maxLength={100} autoComplete="off" spellCheck={false} className="font-mono" disabled={saving} />
          </FormField>
          <FormField label="Description" error={errorAt("description")}>
            <Textarea name="description" value={form.description} onChange={text("description")} maxLength={2000} rows={2} disabled={saving} />
          </FormField>
          <FormField label="Match tags" error={errorAt("matchTags")} description="Comma-separated. Only agents carrying all of these tags are eligible, e.g. eu, prod.">
            <Input name="matchTags" value={form.matchTags} onChange={text("matchTags")} autoComplete="off" spellCheck={false} disabled={saving} />
          </FormField>
          <FormField
            label="Data labels"
            error={errorAt("labels")}
            description="Comma-separated classification of the data this route carries, e.g. PHI, EU. Policies read them (request.labels, request.routeLabels); clients may add more with the x-helix-data-labels header."
          >
            <Input
              name="labels"
              value={form.labels}
              onChange={text("labels")}
              onBlur={() => {
                // Shown as they are saved: upper-case, without repeats.
                const tidy = formatDataLabels(parseDataLabels(form.labels));
                if (tidy !== form.labels) setForm({ ...form, labels: tidy });
              }}
              placeholder="PHI, EU"
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              disabled={saving}
            />
          </FormField>

          <fieldset className="grid gap-3 rounded-lg border p-4" aria-describedby={`${id}-headers-help`}>
            <legend className="px-1 text-sm font-medium">Header conditions</legend>
            <p id={`${id}-headers-help`} className="text-sm text-muted-foreground">
              Serve a request only when all of these hold for its HTTP headers. None: every request for the alias.
            </p>
            {form.headerConditions.length > 0 && (
              <ol className="grid gap-3">
                {form.headerConditions.map((row, i) => (
                  <li key={row.key} className="grid gap-3 rounded-md border p-3 sm:grid-cols-[1fr_9rem_1fr_auto] sm:items-start">
                    <FormField label={`Header (condition ${i + 1})`} labelClassName="text-xs" error={errorAt(`headerConditions.${i}.header`)}>
                      <Input value={row.header} onChange={(e) => setHeader(i, { header: e.target.value }, "header")} placeholder="x-tenant" autoComplete="off" spellCheck={false} className="font-mono" disabled={saving} />
                    </FormField>
                    <FormField label="Condition" labelClassName="text-xs" error={errorAt(`headerConditions.${i}.op`)}>
                      <NativeSelect value={row.op} onChange={(e) => setHeader(i, { op: e.target.value as HeaderOp }, "op")} disabled={saving}>
                        {HEADER_OPS.map((op) => (
                          <option key={op} value={op}>
                            {headerOpLabel[op]}
                          </option>
                        ))}
                      </NativeSelect>
                    </FormField>
                    <FormField label="Value" labelClassName="text-xs" error={errorAt(`headerConditions.${i}.value`)}>
                      <Input
                        value={row.op === "present" ? "" : row.value}
                        onChange={(e) => setHeader(i, { value: e.target.value }, "value")}
                        placeholder={row.op === "present" ? "Not needed" : ""}
                        maxLength={500}
                        autoComplete="off"
                        disabled={saving || row.op === "present"}
                      />
                    </FormField>
                    <Button type="button" variant="ghost" size="icon" className="sm:mt-6" aria-label={`Remove condition ${i + 1}${row.header ? ` (${row.header})` : ""}`} onClick={() => removeHeader(i)} disabled={saving}>
                      <Trash2 aria-hidden="true" />
                    </Button>
                  </li>
                ))}
              </ol>
            )}
            {errorAt("headerConditions") && (
              <p role="alert" className="text-sm font-medium text-destructive">
                {errorAt("headerConditions")}
              </p>
            )}
            <Button type="button" variant="outline" size="sm" className="w-fit" onClick={() => setForm({ ...form, headerConditions: [...form.headerConditions, newHeaderRow()] })} disabled={saving || form.headerConditions.length >= 20}>
              <Plus aria-hidden="true" />
              Add condition
            </Button>
          </fieldset>
        </div>
      </Section>

      <Section id={`${id}-targets`} title="Targets & strategy" description="Which agents serve the route, and how the gateway chooses among them for each request.">
        <div className="grid gap-6">
          <fieldset className="grid gap-3">
            <legend className="mb-3 text-sm font-medium">Strategy</legend>
            <div className="grid gap-2 sm:grid-cols-2">
              {ROUTE_STRATEGIES.map((s) => (
                <StrategyChoice key={s} name={`${id}-strategy`} strategy={s} checked={form.strategy === s} disabled={saving} onChange={changeStrategy} />
              ))}
            </div>
            {errorAt("strategy") && (
              <p role="alert" className="text-sm font-medium text-destructive">
                {errorAt("strategy")}
              </p>
            )}
          </fieldset>

          {capability && (
            <FormField
              label="Required skill"
              required
              error={errorAt("requiredSkill")}
              description="What the agent must be able to do, as you would search for it in Agents: a skill, tool or model name, e.g. translate."
              className="max-w-xl"
            >
              <Input name="requiredSkill" value={form.requiredSkill} onChange={text("requiredSkill")} maxLength={200} autoComplete="off" disabled={saving} />
            </FormField>
          )}

          <div className="grid gap-3" role="group" aria-labelledby={`${id}-targets-title`} aria-describedby={`${id}-targets-help`}>
            <h3 id={`${id}-targets-title`} className="text-sm font-medium">
              Targets{capability && " (optional)"}
            </h3>
            <p id={`${id}-targets-help`} className="text-sm text-muted-foreground">
              {capability
                ? "Agents to prefer when they have the skill; without targets, any healthy agent with the skill may serve."
                : "Weight shares traffic between targets (weighted); priority orders failover groups, lowest first (priority failover). Model overrides what an OpenAI-compatible agent is asked for."}
            </p>
            {agents.isError && (
              <p role="alert" className="text-sm text-destructive">
                The agents to choose from could not be loaded: {agents.error.message}
              </p>
            )}
            {form.targets.length > 0 && (
              <Table>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead className="min-w-56">Agent</TableHead>
                    <TableHead className="w-28">Weight</TableHead>
                    <TableHead className="w-28">Priority</TableHead>
                    <TableHead className="min-w-40">Model override</TableHead>
                    <TableHead className="w-12">
                      <span className="sr-only">Remove</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {form.targets.map((row, i) => {
                    const who = row.agentId ? agentName(row.agentId) : `row ${i + 1}`;
                    return (
                      <TableRow key={row.key} className="hover:bg-transparent">
                        <TableCell className="align-top whitespace-normal">
                          <FormField label={`Agent for target ${i + 1}`} labelClassName="sr-only" error={errorAt(`targets.${i}.agentId`)} className="gap-1">
                            <NativeSelect value={row.agentId} onChange={(e) => setTarget(i, { agentId: e.target.value }, "agentId")} disabled={saving}>
                              <option value="">{agents.isPending ? "Loading agents…" : "Choose an agent"}</option>
                              {agentChoices(options, form.targets, i).map((a) => (
                                <option key={a.id} value={a.id}>
                                  {a.name} ({a.detail})
                                </option>
                              ))}
                            </NativeSelect>
                          </FormField>
                        </TableCell>
                        <TableCell className="align-top whitespace-normal">
                          <FormField label={`Weight of ${who}`} labelClassName="sr-only" error={errorAt(`targets.${i}.weight`)} className="gap-1">
                            <Input value={row.weight} onChange={(e) => setTarget(i, { weight: e.target.value }, "weight")} inputMode="numeric" autoComplete="off" className="tabular-nums" disabled={saving} />
                          </FormField>
                        </TableCell>
                        <TableCell className="align-top whitespace-normal">
                          <FormField label={`Priority of ${who}`} labelClassName="sr-only" error={errorAt(`targets.${i}.priority`)} className="gap-1">
                            <Input value={row.priority} onChange={(e) => setTarget(i, { priority: e.target.value }, "priority")} inputMode="numeric" autoComplete="off" className="tabular-nums" disabled={saving} />
                          </FormField>
                        </TableCell>
                        <TableCell className="align-top whitespace-normal">
                          <FormField label={`Model override for ${who}`} labelClassName="sr-only" error={errorAt(`targets.${i}.model`)} className="gap-1">
                            <Input value={row.model} onChange={(e) => setTarget(i, { model: e.target.value }, "model")} placeholder="Same as the alias" maxLength={200} autoComplete="off" spellCheck={false} className="font-mono" disabled={saving} />
                          </FormField>
                        </TableCell>
                        <TableCell className="align-top">
                          <Button type="button" variant="ghost" size="icon" aria-label={`Remove target ${who}`} onClick={() => removeTarget(i)} disabled={saving}>
                            <Trash2 aria-hidden="true" />
                          </Button>
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            )}
            {errorAt("targets") && (
              <p role="alert" className="text-sm font-medium text-destructive">
                {errorAt("targets")}
              </p>
            )}
            <Button
              type="button"
              variant="outline"
              size="sm"
              className="w-fit"
              onClick={() => setForm({ ...form, targets: [...form.targets, newTargetRow()] })}
              disabled={saving || form.targets.length >= 50 || (agents.isSuccess && form.targets.length >= options.length)}
            >
              <Plus aria-hidden="true" />
              Add target
            </Button>
            {agents.isSuccess && options.length === 0 && (
              <p className="text-sm text-muted-foreground">
                No agents are registered yet.{" "}
                <Link href={`/o/${orgSlug}/agents/new`} className="underline underline-offset-4">
                  Register one
                </Link>{" "}
                to route to it.
              </p>
            )}
          </div>
        </div>
      </Section>

      <Section id={`${id}-resilience`} title="Resilience" description="How long the gateway waits, how often it retries, and when it stops sending requests to a failing agent.">
        <div className="grid gap-5 sm:grid-cols-2 lg:grid-cols-3 sm:items-start">
          {RESILIENCE.map(({ field, label, help }) => (
            <FormField key={field} label={label} required error={errorAt(field)} description={help}>
              <Input name={field} value={form[field]} onChange={text(field)} inputMode="numeric" autoComplete="off" className="tabular-nums" disabled={saving} />
            </FormField>
          ))}
        </div>
      </Section>

      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={saving}>
          {saving && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          {base ? (saving ? "Saving…" : "Review and save") : saving ? "Creating…" : "Create route"}
        </Button>
        {base ? (
          <Button type="button" variant="ghost" onClick={() => startFrom(base)} disabled={saving || !dirty}>
            <Undo2 aria-hidden="true" />
            Discard changes
          </Button>
        ) : (
          <Button variant="ghost" asChild>
            <Link href={cancelHref}>Cancel</Link>
          </Button>
        )}
        {base && dirty && (
          <p className="text-sm text-muted-foreground" role="status">
            Unsaved changes
          </p>
        )}
      </div>

      {base && (
        <AlertDialog open={review !== null} onOpenChange={(open) => !open && setReview(null)}>
          <AlertDialogContent className="sm:max-w-2xl">
            <AlertDialogHeader>
              <AlertDialogTitle>Save version {base.version + 1} of {base.name}?</AlertDialogTitle>
              <AlertDialogDescription>
                The gateway picks up the change within seconds. {review?.changes.length === 1 ? "One change" : `${review?.changes.length ?? 0} changes`} from
                version {base.version}:
              </AlertDialogDescription>
            </AlertDialogHeader>
            {review && <ConfigDiff changes={review.changes} />}
            <AlertDialogFooter>
              <AlertDialogCancel>Keep editing</AlertDialogCancel>
              <AlertDialogAction
                onClick={() => {
                  if (review) update.mutate({ orgSlug, routeId: base.id, expectedVersion: base.version, config: review.config });
                }}
              >
                Save
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      )}
    </form>
  );
}

function StrategyChoice({
  name,
  strategy,
  checked,
  disabled,
  onChange,
}: {
  name: string;
  strategy: RouteStrategy;
  checked: boolean;
  disabled: boolean;
  onChange: (strategy: RouteStrategy) => void;
}) {
  const id = useId();
  return (
    <label
      className={cn(
        "flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm transition-colors has-focus-visible:ring-2 has-focus-visible:ring-ring",
        checked ? "border-primary bg-accent/50" : "hover:bg-accent/30",
        disabled && "cursor-not-allowed opacity-60",
      )}
    >
      <input
        type="radio"
        name={name}
        value={strategy}
        checked={checked}
        disabled={disabled}
        onChange={() => onChange(strategy)}
        aria-describedby={`${id}-help`}
        className="mt-0.5 size-4 accent-primary"
      />
      <span className="grid gap-0.5">
        <span className="font-medium">{strategyName[strategy]}</span>
        <span id={`${id}-help`} className="text-muted-foreground">
          {strategyDescription[strategy]}
        </span>
      </span>
    </label>
  );
}
