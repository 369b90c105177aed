"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { CredentialFields } from "@/components/agents/credential-fields";
import { credentialUpdate, describeCredential, emptyCredentialDraft, type CredentialChange, type CredentialDraft } from "@/components/agents/credential";
import { placeErrors } from "@/components/agents/form-errors";
import { PRICE_HELP, parsePrice, priceText } from "@/components/agents/price";
import { formatTags, parseTags, tagsProblem } from "@/components/agents/tags";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { AgentDetail } from "@/server/agents/schema";

export function EditAgentForm({ orgSlug, agentId }: { orgSlug: string; agentId: string }) {
  const trpc = useTRPC();
  const agent = useQuery(trpc.agent.get.queryOptions({ orgSlug, agentId }));
  if (agent.isPending) return <p className="text-sm text-muted-foreground">Loading the agent…</p>;
  if (agent.isError)
    return (
      <p role="alert" className="text-sm text-destructive">
        {agent.error.message}
      </p>
    );
  // Keyed by id: the form starts from the agent as it was when the page opened.
  return <Form key={agent.data.id} orgSlug={orgSlug} agent={agent.data} />;
}

const FIELDS = ["name", "description", "region", "provider", "tags", "inputPricePerMTok", "outputPricePerMTok", "credential"] as const;
type PriceField = "inputPricePerMTok" | "outputPricePerMTok";

function Form({ orgSlug, agent }: { orgSlug: string; agent: AgentDetail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const detailHref = `/o/${orgSlug}/agents/${agent.id}`;
  const [values, setValues] = useState({
    name: agent.name,
    description: agent.description ?? "",
    region: agent.region ?? "",
    provider: agent.provider ?? "",
    tags: formatTags(agent.tags),
    inputPricePerMTok: priceText(agent.inputPricePerMTok),
    outputPricePerMTok: priceText(agent.outputPricePerMTok),
  });
  const [change, setChange] = useState<CredentialChange>("keep");
  const [draft, setDraft] = useState<CredentialDraft>({ ...emptyCredentialDraft, kind: agent.credential?.kind ?? "BEARER", headerName: agent.credential?.headerName ?? "" });
  const [tagsError, setTagsError] = useState<string | null>(null);
  const [priceErrors, setPriceErrors] = useState<Partial<Record<PriceField, string>>>({});

  const update = useMutation(
    trpc.agent.update.mutationOptions({
      onSuccess: async (updated) => {
        queryClient.setQueryData(trpc.agent.get.queryKey({ orgSlug, agentId: updated.id }), updated);
        await Promise.all([
          queryClient.invalidateQueries(trpc.agent.list.pathFilter()),
          queryClient.invalidateQueries(trpc.agent.search.pathFilter()),
        ]);
        toast.success(`${updated.name} saved`);
        router.push(detailHref);
      },
    }),
  );
  const errors = placeErrors(update.error, FIELDS, "form");
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setValues({ ...values, [key]: e.target.value });
    if (key === "tags") setTagsError(null);
    if (key === "inputPricePerMTok" || key === "outputPricePerMTok") setPriceErrors({ ...priceErrors, [key]: undefined });
  };

  function submit() {
    const tags = parseTags(values.tags);
    const problem = tagsProblem(tags);
    setTagsError(problem);
    const input = parsePrice(values.inputPricePerMTok);
    const output = parsePrice(values.outputPricePerMTok);
    setPriceErrors({ inputPricePerMTok: input.ok ? undefined : input.error, outputPricePerMTok: output.ok ? undefined : output.error });
    if (problem || !input.ok || !output.ok) return;
    update.mutate({
      orgSlug,
      agentId: agent.id,
      name: values.name.trim(),
      description: values.description,
      region: values.region,
      provider: values.provider,
      tags,
      inputPricePerMTok: input.value,
      outputPricePerMTok: output.value,
      credential: credentialUpdate(change, draft),
    });
  }

  const current = describeCredential(agent.credential);

  return (
    <Card>
      <CardContent>
        <form
          noValidate
          aria-busy={update.isPending || undefined}
          className="grid gap-5"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {errors.form && (
            <Alert variant="destructive">
              <AlertTitle>Not saved</AlertTitle>
              <AlertDescription>{errors.form}</AlertDescription>
            </Alert>
          )}
          <FormField label="Name" required error={errors.name}>
            <Input name="name" value={values.name} onChange={set("name")} maxLength={80} autoComplete="off" />
          </FormField>
          <FormField label="Description" error={errors.description}>
            <Textarea name="description" value={values.description} onChange={set("description")} maxLength={2000} rows={3} />
          </FormField>
          <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
            <FormField label="Region" error={errors.region} description="Where the agent runs, e.g. eu-west-1.">
              <Input name="region" value={values.region} onChange={set("region")} maxLength={40} autoComplete="off" />
            </FormField>
            <FormField label="Provider" error={errors.provider}>
              <Input name="provider" value={values.provider} onChange={set("provider")} maxLength={80} autoComplete="off" />
            </FormField>
          </div>
          <FormField label="Tags" error={tagsError ?? errors.tags} description="Comma-separated, e.g. search, eu, team:ml">
            <Input name="tags" value={values.tags} onChange={set("tags")} autoComplete="off" spellCheck={false} />
          </FormField>
          <div className="grid gap-2">
            <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
              <FormField label="Input price (USD per 1M tokens)" error={priceErrors.inputPricePerMTok ?? errors.inputPricePerMTok}>
                <Input
                  name="inputPricePerMTok"
                  inputMode="decimal"
                  placeholder="e.g. 0.15"
                  value={values.inputPricePerMTok}
                  onChange={set("inputPricePerMTok")}
                  autoComplete="off"
                  aria-describedby="agent-price-help"
                />
              </FormField>
              <FormField label="Output price (USD per 1M tokens)" error={priceErrors.outputPricePerMTok ?? errors.outputPricePerMTok}>
                <Input
                  name="outputPricePerMTok"
                  inputMode="decimal"
                  placeholder="e.g. 0.60"
                  value={values.outputPricePerMTok}
                  onChange={set("outputPricePerMTok")}
                  autoComplete="off"
                  aria-describedby="agent-price-help"
                />
              </FormField>
            </div>
            <p id="agent-price-help" className="text-sm text-muted-foreground">
              {PRICE_HELP} Leave a price empty if it is not known.
            </p>
          </div>

          <fieldset className="grid gap-3 rounded-lg border p-4">
            <legend className="px-1 text-sm font-medium">Credential</legend>
            <p className="text-sm text-muted-foreground">Currently: {current}. Stored secrets are never shown.</p>
            <div className="grid gap-2">
              <Choice name="credential-change" value="keep" checked={change === "keep"} onChange={setChange}>
                {agent.credential ? "Keep the current credential" : "Keep without a credential"}
              </Choice>
              <Choice name="credential-change" value="replace" checked={change === "replace"} onChange={setChange}>
                {agent.credential ? "Replace it" : "Set a credential"}
              </Choice>
              {agent.credential && (
                <Choice name="credential-change" value="remove" checked={change === "remove"} onChange={setChange}>
                  Remove it: call the agent without credentials
                </Choice>
              )}
            </div>
            {change === "replace" && <CredentialFields draft={draft} onChange={setDraft} error={errors.credential} requireKind />}
            {change !== "replace" && errors.credential && (
              <p role="alert" className="text-sm font-medium text-destructive">
                {errors.credential}
              </p>
            )}
          </fieldset>

          <div className="flex flex-wrap items-center gap-2">
            <Button type="submit" disabled={update.isPending}>
              {update.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
              {update.isPending ? "Saving…" : "Save"}
            </Button>
            <Button variant="ghost" asChild>
              <Link href={detailHref}>Cancel</Link>
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

function Choice({
  name,
  value,
  checked,
  onChange,
  children,
}: {
  name: string;
  value: CredentialChange;
  checked: boolean;
  onChange: (value: CredentialChange) => void;
  children: React.ReactNode;
}) {
  return (
    <label className="flex cursor-pointer items-center gap-2 text-sm">
      <input type="radio" name={name} value={value} checked={checked} onChange={() => onChange(value)} className="size-4 accent-primary" />
      {children}
    </label>
  );
}
