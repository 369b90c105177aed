"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, RefreshCw, Undo2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { Section } from "@/components/agents/section";
import { agentPickerInput } from "@/components/routes/agent-picker";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/components/ui/utils";
import { BUILT_IN_PII_KIND_NAMES, effectLabel, POLICY_EFFECTS, POLICY_MODES, POLICY_SCOPES, REDACT_DIRECTIONS, type PolicyScope, type PolicyView } from "@/server/policies/schema";
import { ConditionEditor } from "./condition-editor";
import {
  AGENT_SCOPE_EFFECTS,
  directionLabel,
  effectDescription,
  modeDescription,
  modeLabel,
  piiKindDescription,
  scopeDescription,
  scopeLabel,
  type RedactDirection,
} from "./labels";
import { PolicyTestPanel } from "./policy-test-panel";
import {
  emptyPolicyForm,
  formFromPolicy,
  placePolicyErrors,
  policyFormSignature,
  readPolicyForm,
  toggleKind,
  withScope,
  type PolicyField,
  type PolicyForm,
  type PolicyFormErrors,
} from "./policy-form";

interface ScopeOption {
  id: string;
  name: string;
  detail?: string;
}

/**
 * Creates a policy (no `policy`) or edits one, with a test panel that runs the unsaved draft on a
 * sample request. Saving an existing policy saves against the version that was loaded; if someone
 * saved in between, nothing is overwritten and the editor offers to reload.
 */
export function PolicyEditor({ orgSlug, policy, canListKeys }: { orgSlug: string; policy?: PolicyView; canListKeys: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);

  const [base, setBase] = useState(policy);
  const [form, setForm] = useState<PolicyForm>(() => (policy ? formFromPolicy(policy) : emptyPolicyForm()));
  const [initial, setInitial] = useState(() => policyFormSignature(form));
  const [clientErrors, setClientErrors] = useState<PolicyFormErrors>({});

  const routes = useQuery({ ...trpc.route.list.queryOptions({ orgSlug }), enabled: form.scope === "ROUTE" });
  const agents = useQuery({ ...trpc.agent.list.queryOptions(agentPickerInput(orgSlug)), enabled: form.scope === "AGENT" });
  const keys = useQuery({ ...trpc.apiKey.list.queryOptions({ orgSlug }), enabled: form.scope === "API_KEY" && canListKeys });

  const scopeOptions = useMemo((): { options: ScopeOption[]; pending: boolean; error: string | null } => {
    const withSaved = (options: ScopeOption[]) =>
      base?.scope === form.scope && base.scopeId && !options.some((o) => o.id === base.scopeId) ? [{ id: base.scopeId, name: base.scopeName ?? base.scopeId }, ...options] : options;
    switch (form.scope) {
      case "ORGANIZATION":
        return { options: [], pending: false, error: null };
      case "ROUTE":
        return { options: withSaved((routes.data ?? []).map((r) => ({ id: r.id, name: r.name, detail: r.alias }))), pending: routes.isPending, error: routes.error?.message ?? null };
      case "AGENT":
        return {
          options: withSaved((agents.data?.agents ?? []).map((a) => ({ id: a.id, name: a.name, detail: a.region ?? undefined }))),
          pending: agents.isPending,
          error: agents.error?.message ?? null,
        };
      case "API_KEY":
        return {
          options: withSaved((keys.data ?? []).filter((k) => k.status === "active" || k.id === base?.scopeId).map((k) => ({ id: k.id, name: k.name, detail: k.prefix }))),
          pending: canListKeys && keys.isPending,
          error: keys.error?.message ?? null,
        };
    }
  }, [form.scope, base, routes.data, routes.isPending, routes.error, agents.data, agents.isPending, agents.error, keys.data, keys.isPending, keys.error, canListKeys]);

  const afterSave = async (saved: PolicyView) => {
    queryClient.setQueryData(trpc.policy.get.queryKey({ orgSlug, policyId: saved.id }), saved);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.policy.list.queryKey({ orgSlug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.policy.versions.queryKey({ orgSlug, policyId: saved.id }) }),
    ]);
  };
  const create = useMutation(
    trpc.policy.create.mutationOptions({
      onSuccess: async (created) => {
        await afterSave(created);
        toast.success(`${created.name} created`, { description: created.mode === "MONITOR" ? "Monitoring: the gateway records what it would do." : "The gateway applies it within seconds." });
        router.push(`/o/${orgSlug}/policies/${created.id}`);
      },
    }),
  );
  const update = useMutation(
    trpc.policy.update.mutationOptions({
      onSuccess: async (saved) => {
        startFrom(saved);
        await afterSave(saved);
        toast.success(`${saved.name} saved as version ${saved.version}`);
      },
    }),
  );
  const saving = create.isPending || update.isPending;
  const placed = placePolicyErrors(create.error ?? update.error);

  function startFrom(saved: PolicyView) {
    const next = formFromPolicy(saved);
    setBase(saved);
    setForm(next);
    setInitial(policyFormSignature(next));
    setClientErrors({});
  }

  const reload = useMutation({
    mutationFn: () => queryClient.fetchQuery({ ...trpc.policy.get.queryOptions({ orgSlug, policyId: base!.id }), staleTime: 0 }),
    onSuccess: (fresh) => {
      startFrom(fresh);
      update.reset();
      toast.success(`Reloaded version ${fresh.version}`);
    },
    onError: (e) => toast.error(e.message),
  });

  const errorAt = (field: PolicyField): string | undefined => clientErrors[field] ?? placed.fields[field];
  const problemCount = Object.keys(clientErrors).length;
  const dirty = policyFormSignature(form) !== initial;
  const draft = useMemo(() => readPolicyForm(form), [form]);

  /** Applies an edit and forgets the problems of the fields it touched (a new save shows the server's again). */
  function edit(patch: Partial<PolicyForm>, ...fields: PolicyField[]) {
    setForm((f) => ({ ...f, ...patch }));
    if (fields.some((f) => clientErrors[f])) setClientErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !fields.includes(k as PolicyField))));
  }

  function submit(confirm = false) {
    const read = readPolicyForm(form);
    if (read.errors) {
      setClientErrors(read.errors);
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
      return;
    }
    setClientErrors({});
    // The switch on the page may have changed `enabled` since the editor opened: keep its state.
    const config = { ...read.config, enabled: policy?.enabled ?? read.config.enabled, confirm };
    if (!base) create.mutate({ orgSlug, ...config });
    else if (!dirty && !confirm) toast.info("Nothing to save: the policy is as it was saved.");
    else update.mutate({ orgSlug, policyId: base.id, expectedVersion: base.version, config });
  }

  const kindOptions = [...new Set<string>([...BUILT_IN_PII_KIND_NAMES, ...form.kinds.filter((k) => k !== "ALL")])];
  const cancelHref = base ? `/o/${orgSlug}/policies/${base.id}` : `/o/${orgSlug}/policies`;

  return (
    <div className="grid gap-6">
      <form
        ref={formRef}
        noValidate
        aria-busy={saving || undefined}
        aria-label={base ? `Edit ${base.name}` : "New policy"}
        className="grid gap-6"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {problemCount > 0 && (
          <Alert variant="destructive">
            <AlertTitle>Not saved</AlertTitle>
            <AlertDescription>Fix the {problemCount === 1 ? "problem" : `${problemCount} problems`} marked below, then save again.</AlertDescription>
          </Alert>
        )}
        {placed.conflict && (
          <Alert variant="destructive" data-testid="policy-conflict">
            <AlertTitle>Someone else saved this policy</AlertTitle>
            <AlertDescription>
              <p>{placed.conflict}</p>
              <p>Reloading shows their version; your unsaved changes here are discarded.</p>
              <Button type="button" variant="outline" size="sm" onClick={() => reload.mutate()} disabled={reload.isPending || !base}>
                <RefreshCw aria-hidden="true" className={reload.isPending ? "animate-spin motion-reduce:animate-none" : undefined} />
                {reload.isPending ? "Reloading…" : "Reload the policy"}
              </Button>
            </AlertDescription>
          </Alert>
        )}
        {placed.confirm && (
          <Alert variant="destructive" data-testid="policy-confirm">
            <AlertTitle>Save anyway?</AlertTitle>
            <AlertDescription>
              <p>{placed.confirm}</p>
              <Button type="button" variant="destructive" size="sm" onClick={() => submit(true)} disabled={saving}>
                {base ? "Save anyway" : "Create anyway"}
              </Button>
            </AlertDescription>
          </Alert>
        )}
        {placed.form && (
          <Alert variant="destructive">
            <AlertTitle>{base ? "Not saved" : "The policy was not created"}</AlertTitle>
            <AlertDescription>{placed.form}</AlertDescription>
          </Alert>
        )}

        <Section id={`${id}-about`} title="Policy">
          <div className="grid gap-5">
            <FormField label="Name" required error={errorAt("name")}>
              <Input name="name" value={form.name} onChange={(e) => edit({ name: e.target.value }, "name")} maxLength={80} autoComplete="off" disabled={saving} />
            </FormField>
            <FormField label="Description" error={errorAt("description")} description="Why the policy exists, e.g. the regulation or control it implements.">
              <Textarea name="description" value={form.description} onChange={(e) => edit({ description: e.target.value }, "description")} maxLength={2000} rows={2} disabled={saving} />
            </FormField>
            {/* A saved policy is switched on and off at the top of its page, without a new version. */}
            {!base && (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4 accent-primary" checked={form.enabled} onChange={(e) => edit({ enabled: e.target.checked })} disabled={saving} />
                Enabled
              </label>
            )}
          </div>
        </Section>

        <Section id={`${id}-scope`} title="Applies to" description="Which requests the gateway checks against this policy, and whether it acts or only records.">
          <div className="grid gap-5">
            <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
              <FormField label="Scope" error={errorAt("scope")} description={scopeDescription[form.scope]}>
                <NativeSelect
                  name="scope"
                  value={form.scope}
                  onChange={(e) => {
                    setForm(withScope(form, e.target.value as PolicyScope));
                    setClientErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => k !== "scopeId" && k !== "scope" && k !== "effect")));
                  }}
                  disabled={saving}
                >
                  {POLICY_SCOPES.map((s) => (
                    <option key={s} value={s}>
                      {scopeLabel[s]}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
              {form.scope !== "ORGANIZATION" && (
                <FormField label={scopeLabel[form.scope]} required error={errorAt("scopeId") ?? scopeOptions.error ?? undefined}>
                  <NativeSelect name="scopeId" value={form.scopeId} onChange={(e) => edit({ scopeId: e.target.value }, "scopeId")} disabled={saving}>
                    <option value="">{scopeOptions.pending ? "Loading…" : `Choose ${form.scope === "API_KEY" ? "an API key" : `a${form.scope === "AGENT" ? "n" : ""} ${form.scope.toLowerCase()}`}`}</option>
                    {scopeOptions.options.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                        {o.detail ? ` (${o.detail})` : ""}
                      </option>
                    ))}
                  </NativeSelect>
                </FormField>
              )}
            </div>
            <fieldset className="grid gap-3">
              <legend className="mb-3 text-sm font-medium">Mode</legend>
              <div className="grid gap-2 sm:grid-cols-2">
                {POLICY_MODES.map((m) => (
                  <Choice key={m} name={`${id}-mode`} value={m} title={modeLabel[m]} description={modeDescription[m]} checked={form.mode === m} disabled={saving} onChange={() => edit({ mode: m }, "mode")} />
                ))}
              </div>
              {errorAt("mode") && (
                <p role="alert" className="text-sm font-medium text-destructive">
                  {errorAt("mode")}
                </p>
              )}
            </fieldset>
          </div>
        </Section>

        <Section id={`${id}-condition`} title="Condition" description="The policy applies to a request when this is true. Checked as you type.">
          <ConditionEditor
            orgSlug={orgSlug}
            kind="condition"
            label="Condition"
            name="condition"
            value={form.condition}
            onChange={(condition) => edit({ condition }, "condition")}
            error={errorAt("condition")}
            disabled={saving}
          />
        </Section>

        <Section id={`${id}-effect`} title="Effect" description="What the gateway does to a request the condition is true for.">
          <div className="grid gap-5">
            <fieldset className="grid gap-3">
              <legend className="mb-3 text-sm font-medium">Effect</legend>
              <div className="grid gap-2 sm:grid-cols-2">
                {POLICY_EFFECTS.map((e) => {
                  const notForAgents = form.scope === "AGENT" && !AGENT_SCOPE_EFFECTS.includes(e);
                  return (
                    <Choice
                      key={e}
                      name={`${id}-effect`}
                      value={e}
                      title={effectLabel[e]}
                      description={notForAgents ? `${effectDescription[e]} Not for an agent-scoped policy.` : effectDescription[e]}
                      checked={form.effect === e}
                      disabled={saving || (notForAgents && form.effect !== e)}
                      onChange={() => edit({ effect: e }, "effect")}
                    />
                  );
                })}
              </div>
              {errorAt("effect") && (
                <p role="alert" className="text-sm font-medium text-destructive">
                  {errorAt("effect")}
                </p>
              )}
            </fieldset>

            {form.effect === "DENY" && (
              <FormField label="Message to the client" error={errorAt("params.message")} description="Returned with the 403. Empty: “Blocked by policy <name>”.">
                <Input name="message" value={form.message} onChange={(e) => edit({ message: e.target.value }, "params.message")} maxLength={300} autoComplete="off" disabled={saving} />
              </FormField>
            )}

            {form.effect === "REDACT" && (
              <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
                <fieldset className="grid gap-2" aria-describedby={errorAt("params.kinds") ? `${id}-kinds-error` : undefined}>
                  <legend className="mb-2 text-sm font-medium">PII kinds to mask</legend>
                  {kindOptions.map((k) => (
                    <label key={k} className={cn("flex items-center gap-2 text-sm", form.kinds.includes("ALL") && "opacity-60")}>
                      <input
                        type="checkbox"
                        className="size-4 accent-primary"
                        checked={form.kinds.includes(k)}
                        onChange={(e) => edit({ kinds: toggleKind(form.kinds, k, e.target.checked) }, "params.kinds")}
                        disabled={saving || form.kinds.includes("ALL")}
                      />
                      <span className="font-mono text-xs">{k}</span>
                      <span className="text-muted-foreground">{piiKindDescription[k] ?? "Your organization's pattern"}</span>
                    </label>
                  ))}
                  <label className="flex items-center gap-2 border-t pt-2 text-sm">
                    <input
                      type="checkbox"
                      className="size-4 accent-primary"
                      checked={form.kinds.includes("ALL")}
                      onChange={(e) => edit({ kinds: e.target.checked ? toggleKind(form.kinds, "ALL", true) : ["EMAIL"] }, "params.kinds")}
                      disabled={saving}
                    />
                    <span className="font-mono text-xs">ALL</span>
                    <span className="text-muted-foreground">Every kind, your own patterns included</span>
                  </label>
                  {errorAt("params.kinds") && (
                    <p id={`${id}-kinds-error`} role="alert" className="text-sm font-medium text-destructive">
                      {errorAt("params.kinds")}
                    </p>
                  )}
                </fieldset>
                <fieldset className="grid gap-2">
                  <legend className="mb-2 text-sm font-medium">Where</legend>
                  {REDACT_DIRECTIONS.map((d) => (
                    <label key={d} className="flex items-center gap-2 text-sm">
                      <input type="radio" name={`${id}-direction`} className="size-4 accent-primary" checked={form.direction === d} onChange={() => edit({ direction: d as RedactDirection }, "params.direction")} disabled={saving} />
                      {directionLabel[d]}
                    </label>
                  ))}
                  {errorAt("params.direction") && (
                    <p role="alert" className="text-sm font-medium text-destructive">
                      {errorAt("params.direction")}
                    </p>
                  )}
                </fieldset>
              </div>
            )}

            {form.effect === "RESTRICT_ROUTING" && (
              <ConditionEditor
                orgSlug={orgSlug}
                kind="agentCondition"
                label="Agent condition"
                name="agentCondition"
                value={form.agentCondition}
                onChange={(agentCondition) => edit({ agentCondition }, "params.agentCondition")}
                error={errorAt("params.agentCondition")}
                description="Only agents for which this is true may serve a matching request; when none of the route's agents is allowed, the request is refused."
                disabled={saving}
              />
            )}

            {form.effect === "REQUIRE_LABEL" && (
              <FormField label="Required data label" required error={errorAt("params.label")} description="The request must carry it: on its route, or from the client in the x-helix-data-labels header.">
                <Input name="label" value={form.label} onChange={(e) => edit({ label: e.target.value }, "params.label")} placeholder="PHI" maxLength={40} autoComplete="off" spellCheck={false} className="max-w-xs font-mono uppercase" disabled={saving} />
              </FormField>
            )}

            {form.effect === "CAP_TOKENS" && (
              <FormField label="Token cap" required error={errorAt("params.maxTokens")} description="The answer's max_tokens is lowered to this (1–1,000,000).">
                <Input name="maxTokens" value={form.maxTokens} onChange={(e) => edit({ maxTokens: e.target.value }, "params.maxTokens")} inputMode="numeric" autoComplete="off" className="max-w-xs tabular-nums" disabled={saving} />
              </FormField>
            )}
          </div>
        </Section>

        <div className="flex flex-wrap items-center gap-2">
          <Button type="submit" disabled={saving}>
            {saving && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
            {base ? (saving ? "Saving…" : "Save policy") : saving ? "Creating…" : "Create policy"}
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
      </form>

      <PolicyTestPanel
        orgSlug={orgSlug}
        canListKeys={canListKeys}
        draft={draft.config}
        draftProblems={draft.errors}
        draftOf={base?.id ?? null}
        draftName={form.name.trim() || "This draft"}
      />
    </div>
  );
}

function Choice({
  name,
  value,
  title,
  description,
  checked,
  disabled,
  onChange,
}: {
  name: string;
  value: string;
  title: string;
  description: string;
  checked: boolean;
  disabled: boolean;
  onChange: () => void;
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
      <input type="radio" name={name} value={value} checked={checked} disabled={disabled} onChange={onChange} aria-describedby={`${id}-help`} className="mt-0.5 size-4 accent-primary" />
      <span className="grid gap-0.5">
        <span className="font-medium">{title}</span>
        <span id={`${id}-help`} className="text-muted-foreground">
          {description}
        </span>
      </span>
    </label>
  );
}
