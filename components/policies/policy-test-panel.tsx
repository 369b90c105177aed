"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { FlaskConical, Loader2, Plus, Trash2 } from "lucide-react";
import { useId, useState } from "react";
import { Fact, Missing } from "@/components/agents/facts";
import { fieldErrorsOf } from "@/components/agents/form-errors";
import { Section } from "@/components/agents/section";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { SAMPLE_TEXT_MAX, type PolicyConfigInput, type TestPoliciesResult } from "@/server/policies/schema";
import { decisionState } from "./labels";
import { EffectBadge, ModeBadge } from "./policy-badges";
import type { PolicyFormErrors } from "./policy-form";
import { emptySampleForm, newSampleHeader, readSampleForm, type SampleErrors, type SampleForm, type SampleHeader } from "./sample-form";

interface Props {
  orgSlug: string;
  /** Admins may pick an API key for the sample (the key list is theirs to read). */
  canListKeys: boolean;
  /** The editor's unsaved policy; undefined when the panel tests the saved policies only. */
  draft?: PolicyConfigInput | null;
  /** Why the draft cannot be tested as it is. */
  draftProblems?: PolicyFormErrors | null;
  /** The saved policy the draft replaces. */
  draftOf?: string | null;
  draftName?: string;
}

/**
 * Runs the gateway's own decision code on a sample request: the organization's enabled policies
 * and/or the editor's draft, and shows what would happen to the request.
 */
export function PolicyTestPanel({ orgSlug, canListKeys, draft, draftProblems, draftOf = null, draftName = "This draft" }: Props) {
  const trpc = useTRPC();
  const id = useId();
  const withDraft = draft !== undefined;
  const routes = useQuery(trpc.route.list.queryOptions({ orgSlug }));
  const keys = useQuery({ ...trpc.apiKey.list.queryOptions({ orgSlug }), enabled: canListKeys });
  const [form, setForm] = useState<SampleForm>(() => emptySampleForm());
  const [includeSaved, setIncludeSaved] = useState(true);
  const [errors, setErrors] = useState<SampleErrors>({});
  const [ranWith, setRanWith] = useState<string | null>(null);
  const test = useMutation(trpc.policy.test.mutationOptions());

  const routeId = form.routeId || routes.data?.[0]?.id || "";
  const sampleForm = { ...form, routeId };
  const set = (patch: Partial<SampleForm>, ...fields: string[]) => {
    setForm((f) => ({ ...f, ...patch }));
    if (fields.some((f) => errors[f])) setErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !fields.includes(k))));
  };
  const setHeader = (i: number, patch: Partial<SampleHeader>) =>
    set({ headers: form.headers.map((h, j) => (j === i ? { ...h, ...patch } : h)) }, `headers.${i}.name`);

  const signature = JSON.stringify({ sampleForm, draft: draft ?? null, includeSaved });
  const stale = test.data && ranWith !== null && ranWith !== signature;
  const draftBlocked = withDraft && !draft;

  function run() {
    const read = readSampleForm(sampleForm);
    if (read.errors) {
      setErrors(read.errors);
      return;
    }
    setErrors({});
    if (draftBlocked) return;
    setRanWith(signature);
    test.mutate({ orgSlug, sample: read.sample, draft: withDraft ? draft : null, draftOf: withDraft ? draftOf : null, includeSaved: withDraft ? includeSaved : true });
  }

  // The server's sample errors go next to the sample's fields; anything else (a draft the server refuses) above the result.
  const serverFields = Object.fromEntries(
    Object.entries(fieldErrorsOf(test.error))
      .filter(([k]) => k.startsWith("sample."))
      .map(([k, m]) => [k.slice("sample.".length), m.join(" ")]),
  );
  const errorAt = (field: string) => errors[field] ?? serverFields[field];
  const testError = test.error && Object.keys(serverFields).length === 0 ? test.error.message : null;

  return (
    <Section
      id={`${id}-test`}
      title="Test against a sample request"
      description={
        withDraft
          ? "Runs the gateway's decision code on a request you describe, with this draft as it is now (unsaved changes included). Nothing is sent to an agent."
          : "Runs the gateway's decision code on a request you describe, with the organization's enabled policies. Nothing is sent to an agent."
      }
    >
      <div className="grid gap-6" data-testid="policy-test-panel">
        <form
          noValidate
          aria-label="Sample request"
          aria-busy={test.isPending || undefined}
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            run();
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2 sm:items-start">
            <FormField label="Route" required error={errorAt("routeId") ?? (routes.isError ? routes.error.message : undefined)}>
              <NativeSelect name="sampleRoute" value={routeId} onChange={(e) => set({ routeId: e.target.value }, "routeId")}>
                {routes.isPending && <option value="">Loading routes…</option>}
                {routes.data?.length === 0 && <option value="">No routes yet</option>}
                {routes.data?.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({r.alias})
                  </option>
                ))}
              </NativeSelect>
            </FormField>
            {canListKeys ? (
              <FormField label="API key (optional)" error={errorAt("keyId")}>
                <NativeSelect name="sampleKey" value={form.keyId} onChange={(e) => set({ keyId: e.target.value }, "keyId")}>
                  <option value="">No key</option>
                  {keys.data
                    ?.filter((k) => k.status === "active")
                    .map((k) => (
                      <option key={k.id} value={k.id}>
                        {k.name} ({k.prefix})
                      </option>
                    ))}
                </NativeSelect>
              </FormField>
            ) : (
              <p className="text-sm text-muted-foreground sm:pt-7">The sample is sent without an API key (admins can pick one).</p>
            )}
          </div>
          <FormField label="Message" error={errorAt("text")} description="The user's message; PII in it is detected as the gateway would.">
            <Textarea name="sampleText" value={form.text} onChange={(e) => set({ text: e.target.value }, "text")} maxLength={SAMPLE_TEXT_MAX} rows={3} placeholder="Hi, I'm jane@example.com, please call me on +1 415 555 0100" />
          </FormField>
          <div className="grid gap-4 sm:grid-cols-3 sm:items-start">
            <FormField label="Data labels" error={errorAt("labels")} description="As sent in x-helix-data-labels; the route's own are added.">
              <Input name="sampleLabels" value={form.labels} onChange={(e) => set({ labels: e.target.value }, "labels")} placeholder="PHI, EU" autoComplete="off" spellCheck={false} className="font-mono" />
            </FormField>
            <FormField label="Subject" error={errorAt("subject")} description="The data subject (OpenAI user).">
              <Input name="sampleSubject" value={form.subject} onChange={(e) => set({ subject: e.target.value }, "subject")} maxLength={256} autoComplete="off" />
            </FormField>
            <FormField label="Hour (UTC)" error={errorAt("hour") ?? errorAt("at")} description="Empty: now.">
              <Input name="sampleHour" value={form.hour} onChange={(e) => set({ hour: e.target.value }, "hour")} inputMode="numeric" placeholder="0–23" autoComplete="off" className="max-w-24 tabular-nums" />
            </FormField>
          </div>
          <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" className="size-4 accent-primary" checked={form.stream} onChange={(e) => set({ stream: e.target.checked })} />
              Streamed request
            </label>
            {withDraft && (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4 accent-primary" checked={includeSaved} onChange={(e) => setIncludeSaved(e.target.checked)} />
                Include the organization&apos;s other enabled policies
              </label>
            )}
          </div>

          <fieldset className="grid gap-3 rounded-lg border p-4">
            <legend className="px-1 text-sm font-medium">Headers</legend>
            {form.headers.length > 0 && (
              <ol className="grid gap-3">
                {form.headers.map((h, i) => (
                  <li key={h.key} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
                    <FormField label={`Header ${i + 1} name`} labelClassName="text-xs" error={errorAt(`headers.${i}.name`)}>
                      <Input value={h.name} onChange={(e) => setHeader(i, { name: e.target.value })} placeholder="x-tenant" autoComplete="off" spellCheck={false} className="font-mono" />
                    </FormField>
                    <FormField label={`Header ${i + 1} value`} labelClassName="text-xs" error={errorAt(`headers.${i}.value`)}>
                      <Input value={h.value} onChange={(e) => setHeader(i, { value: e.target.value })} maxLength={500} autoComplete="off" />
                    </FormField>
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      className="sm:mt-6"
                      aria-label={`Remove header ${i + 1}${h.name ? ` (${h.name})` : ""}`}
                      onClick={() => {
                        setForm((f) => ({ ...f, headers: f.headers.filter((_, j) => j !== i) }));
                        setErrors((errs) => Object.fromEntries(Object.entries(errs).filter(([k]) => !k.startsWith("headers"))));
                      }}
                    >
                      <Trash2 aria-hidden="true" />
                    </Button>
                  </li>
                ))}
              </ol>
            )}
            <Button type="button" variant="outline" size="sm" className="w-fit" onClick={() => set({ headers: [...form.headers, newSampleHeader()] })} disabled={form.headers.length >= 20}>
              <Plus aria-hidden="true" />
              Add header
            </Button>
          </fieldset>

          {draftBlocked && (
            <Alert>
              <AlertTitle>The draft cannot be tested yet</AlertTitle>
              <AlertDescription>{Object.values(draftProblems ?? {}).join(" ") || "Complete the policy above first."}</AlertDescription>
            </Alert>
          )}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" variant="secondary" disabled={test.isPending || draftBlocked || routes.data?.length === 0}>
              {test.isPending ? <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" /> : <FlaskConical aria-hidden="true" />}
              {test.isPending ? "Testing…" : "Run test"}
            </Button>
            {routes.data?.length === 0 && <p className="text-sm text-muted-foreground">Create a route first: a sample request is sent to one.</p>}
            {stale && (
              <p className="text-sm text-muted-foreground" role="status">
                The sample or the draft changed since this result: run the test again.
              </p>
            )}
          </div>
        </form>

        <section aria-label="Test result" aria-live="polite" className="grid gap-4">
          {testError ? (
            <Alert variant="destructive">
              <AlertTitle>The test did not run</AlertTitle>
              <AlertDescription>{testError}</AlertDescription>
            </Alert>
          ) : test.data ? (
            <TestResult result={test.data} draftOf={draftOf} draftName={draftName} />
          ) : null}
        </section>
      </div>
    </Section>
  );
}

function TestResult({ result, draftOf, draftName }: { result: TestPoliciesResult; draftOf: string | null; draftName: string }) {
  const deny = result.outcome === "DENY";
  const name = (d: { policyId: string; name: string }) => (d.policyId === "draft" || d.policyId === draftOf ? `${d.name || draftName} (draft)` : d.name);
  return (
    <div className="grid gap-4" data-testid="policy-test-result">
      <div data-testid="policy-test-outcome" data-outcome={result.outcome} className={deny ? "rounded-md border border-destructive/50 p-3" : "rounded-md border border-success/50 p-3"}>
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <Badge variant={deny ? "destructive" : "success"}>{result.outcome}</Badge>
          <span className="font-medium">{deny ? "The gateway would refuse this request." : "The gateway would serve this request."}</span>
        </p>
        {result.message && <p className="mt-1 text-sm">{result.message}</p>}
      </div>

      {result.warnings.length > 0 && (
        <Alert>
          <AlertTitle>Some policies were skipped</AlertTitle>
          <AlertDescription>
            <ul className="list-disc pl-4">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      )}

      <div className="grid gap-2">
        <h3 className="text-sm font-semibold">Matched policies</h3>
        {result.decisions.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="policy-test-decisions">
            No policy&apos;s condition is true for this request.
          </p>
        ) : (
          <Table data-testid="policy-test-decisions" aria-label="Matched policies">
            <TableHeader>
              <TableRow>
                <TableHead>Policy</TableHead>
                <TableHead>Effect</TableHead>
                <TableHead>Mode</TableHead>
                <TableHead>Result</TableHead>
                <TableHead>Detail</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.decisions.map((d, i) => {
                const state = decisionState(d);
                return (
                  <TableRow key={`${d.policyId}-${i}`} data-testid="policy-test-decision">
                    <TableCell className="font-medium whitespace-normal">{name(d)}</TableCell>
                    <TableCell>
                      <EffectBadge effect={d.effect} />
                    </TableCell>
                    <TableCell>
                      <ModeBadge mode={d.mode} />
                    </TableCell>
                    <TableCell>
                      <Badge variant={state === "applied" ? "default" : state === "monitor only" ? "warning" : "outline"}>{state}</Badge>
                    </TableCell>
                    <TableCell className="whitespace-normal text-xs">
                      {d.detail}
                      {d.error && <p className="text-destructive">Condition error: {d.error}</p>}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </div>

      <div className="grid gap-2">
        <h3 className="text-sm font-semibold">The request as an agent would receive it</h3>
        <pre data-testid="policy-test-request-text" tabIndex={0} className="max-h-64 overflow-auto rounded-md border bg-muted/40 p-3 text-sm whitespace-pre-wrap break-words">
          {result.requestText || <span className="text-muted-foreground">(empty message)</span>}
        </pre>
      </div>

      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-3">
        <Fact term="PII found">
          <span data-testid="policy-test-pii" className="flex flex-wrap gap-1">
            {result.piiFound.length ? (
              result.piiFound.map((k) => (
                <Badge key={k} variant="outline" className="font-mono">
                  {k}
                </Badge>
              ))
            ) : (
              <Missing>None</Missing>
            )}
          </span>
        </Fact>
        <Fact term="Token cap">
          <span data-testid="policy-test-max-tokens">{result.maxTokens === null ? <Missing>None</Missing> : `max_tokens ≤ ${result.maxTokens.toLocaleString("en")}`}</span>
        </Fact>
        <Fact term="Answer masking">
          <span data-testid="policy-test-redact-response">{result.redactResponse?.length ? result.redactResponse.join(", ") : <Missing>None</Missing>}</span>
        </Fact>
      </dl>

      <div className="grid gap-2">
        <h3 className="text-sm font-semibold">The route&apos;s agents</h3>
        {result.agents.length === 0 ? (
          <p className="text-sm text-muted-foreground">This route has no target agents (a capability route chooses at request time).</p>
        ) : (
          <Table data-testid="policy-test-agents" aria-label="The route's agents">
            <TableHeader>
              <TableRow>
                <TableHead>Agent</TableHead>
                <TableHead>Region</TableHead>
                <TableHead>May serve</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {result.agents.map((a) => (
                <TableRow key={a.id} data-testid="policy-test-agent">
                  <TableCell className="font-medium">{a.name}</TableCell>
                  <TableCell className="font-mono text-xs">{a.region ?? <Missing>None</Missing>}</TableCell>
                  <TableCell>
                    {a.allowed ? (
                      <Badge variant="success">allowed</Badge>
                    ) : (
                      <span className="flex flex-wrap items-center gap-2">
                        <Badge variant="destructive">blocked</Badge>
                        {a.blockedBy && <span className="text-xs text-muted-foreground">by {a.blockedBy}</span>}
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
    </div>
  );
}
