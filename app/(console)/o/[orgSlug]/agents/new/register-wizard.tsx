"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { ArrowLeft, ArrowRight, Check, Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";
import { CredentialFields } from "@/components/agents/credential-fields";
import { credentialFromDraft, emptyCredentialDraft, type CredentialDraft } from "@/components/agents/credential";
import { Fact, Missing } from "@/components/agents/facts";
import { placeErrors } from "@/components/agents/form-errors";
import { PRICE_HELP, parsePrice } from "@/components/agents/price";
import { AGENT_PROTOCOLS, capabilityTitle, protocolName, type AgentProtocol } from "@/components/agents/labels";
import { ProtocolBadge } from "@/components/agents/protocol-badge";
import { SkillList } from "@/components/agents/skill-list";
import { parseTags, tagsProblem } from "@/components/agents/tags";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { cn } from "@/components/ui/utils";
import type { AppRouter } from "@/server/trpc/root";

type Preview = inferRouterOutputs<AppRouter>["agent"]["preview"];

interface Details {
  name: string;
  slug: string;
  description: string;
  region: string;
  provider: string;
  tags: string;
  inputPricePerMTok: string;
  outputPricePerMTok: string;
}
const emptyDetails: Details = { name: "", slug: "", description: "", region: "", provider: "", tags: "", inputPricePerMTok: "", outputPricePerMTok: "" };
type PriceField = "inputPricePerMTok" | "outputPricePerMTok";
type Suggested = Pick<Details, "name" | "slug" | "description" | "provider">;
const suggestionsOf = (p: Preview | null): Suggested =>
  p ? { name: p.suggestedName, slug: p.suggestedSlug, description: p.description ?? "", provider: p.provider ?? "" } : { name: "", slug: "", description: "", provider: "" };

const SOURCE_FIELDS = ["url", "protocol", "credential"] as const;
const DETAIL_FIELDS = ["name", "slug", "description", "region", "provider", "tags", "inputPricePerMTok", "outputPricePerMTok"] as const;

const STEPS = ["Where the agent is", "Check and register"] as const;

/**
 * Two steps: the agent's URL (and, if needed, protocol and credential) → what discovery found,
 * with the fields to register it under. Going back keeps everything typed; errors appear next to
 * the field they are about.
 */
export function RegisterWizard({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<0 | 1>(0);
  const [url, setUrl] = useState("");
  const [protocol, setProtocol] = useState<AgentProtocol | "">("");
  const [credential, setCredential] = useState<CredentialDraft>(emptyCredentialDraft);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [details, setDetails] = useState<Details>(emptyDetails);
  const [tagsError, setTagsError] = useState<string | null>(null);
  const [priceErrors, setPriceErrors] = useState<Partial<Record<PriceField, string>>>({});
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Each step starts with its heading focused, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);

  const discover = useMutation(
    trpc.agent.preview.mutationOptions({
      onSuccess: (found) => {
        // Fields still holding the previous suggestion follow the new one; anything typed stays.
        const before = suggestionsOf(preview);
        const after = suggestionsOf(found);
        setDetails((d) => {
          const next = { ...d };
          for (const key of Object.keys(after) as (keyof Suggested)[]) if (d[key] === before[key]) next[key] = after[key];
          return next;
        });
        setPreview(found);
        setStep(1);
      },
    }),
  );
  const register = useMutation(
    trpc.agent.register.mutationOptions({
      onSuccess: async (agent) => {
        queryClient.setQueryData(trpc.agent.get.queryKey({ orgSlug, agentId: agent.id }), agent);
        await Promise.all([
          queryClient.invalidateQueries(trpc.agent.list.pathFilter()),
          queryClient.invalidateQueries(trpc.agent.search.pathFilter()),
        ]);
        toast.success(`${agent.name} registered`, { description: `${agent.skillCount} ${agent.skillCount === 1 ? "capability" : "capabilities"} discovered; health checks have started.` });
        router.push(`/o/${orgSlug}/agents/${agent.id}`);
      },
    }),
  );

  const sourceErrors = placeErrors(discover.error, SOURCE_FIELDS, "url");
  const detailErrors = placeErrors(register.error, DETAIL_FIELDS, "form");

  function runDiscovery() {
    register.reset();
    discover.mutate({ orgSlug, url: url.trim(), protocol: protocol || undefined, credential: credentialFromDraft(credential) });
  }

  function runRegister() {
    if (!preview) return;
    const tags = parseTags(details.tags);
    const problem = tagsProblem(tags);
    setTagsError(problem);
    const input = parsePrice(details.inputPricePerMTok);
    const output = parsePrice(details.outputPricePerMTok);
    setPriceErrors({ inputPricePerMTok: input.ok ? undefined : input.error, outputPricePerMTok: output.ok ? undefined : output.error });
    if (problem || !input.ok || !output.ok) return;
    register.mutate({
      orgSlug,
      url: url.trim(),
      // Register what was discovered, not "detect" again: the agent could answer differently.
      protocol: preview.protocol,
      credential: credentialFromDraft(credential),
      name: details.name.trim(),
      slug: details.slug.trim() || undefined,
      description: details.description,
      region: details.region,
      provider: details.provider,
      tags,
      inputPricePerMTok: input.value,
      outputPricePerMTok: output.value,
    });
  }

  const set = (key: keyof typeof details) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setDetails({ ...details, [key]: e.target.value });
    if (key === "tags") setTagsError(null);
    if (key === "inputPricePerMTok" || key === "outputPricePerMTok") setPriceErrors({ ...priceErrors, [key]: undefined });
  };

  return (
    <div className="grid gap-6">
      <ol className="flex flex-wrap gap-x-6 gap-y-2 text-sm" aria-label="Steps">
        {STEPS.map((label, i) => (
          <li key={label} aria-current={i === step ? "step" : undefined} className={cn("flex items-center gap-2", i === step ? "font-medium" : "text-muted-foreground")}>
            <span
              aria-hidden="true"
              className={cn("flex size-6 items-center justify-center rounded-full border text-xs", i === step && "border-primary bg-primary text-primary-foreground", i < step && "border-success text-success")}
            >
              {i < step ? <Check className="size-3.5" /> : i + 1}
            </span>
            <span>
              <span className="sr-only">Step {i + 1} of {STEPS.length}: </span>
              {label}
              {i < step && <span className="sr-only"> (done)</span>}
            </span>
          </li>
        ))}
      </ol>

      {step === 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2 ref={headingRef} tabIndex={-1} className="text-base outline-hidden">
                Where is the agent?
              </h2>
            </CardTitle>
            <CardDescription>HelixAgent tries the A2A agent card, then MCP, then the OpenAI models list, unless you name the protocol.</CardDescription>
          </CardHeader>
          <CardContent>
            <form
              noValidate
              aria-busy={discover.isPending || undefined}
              className="grid gap-5"
              onSubmit={(e) => {
                e.preventDefault();
                runDiscovery();
              }}
            >
              <FormField label="Agent URL" required error={sourceErrors.url} description="e.g. https://agents.example.com, https://tools.example.com/mcp or https://llm.example.com/v1">
                <Input
                  name="url"
                  type="url"
                  inputMode="url"
                  autoComplete="url"
                  spellCheck={false}
                  maxLength={2048}
                  placeholder="https://"
                  value={url}
                  onChange={(e) => setUrl(e.target.value)}
                  disabled={discover.isPending}
                />
              </FormField>
              <FormField label="Protocol" error={sourceErrors.protocol} className="max-w-xs">
                <NativeSelect name="protocol" value={protocol} onChange={(e) => setProtocol(e.target.value as AgentProtocol | "")} disabled={discover.isPending}>
                  <option value="">Detect automatically</option>
                  {AGENT_PROTOCOLS.map((p) => (
                    <option key={p} value={p}>
                      {protocolName[p]}
                    </option>
                  ))}
                </NativeSelect>
              </FormField>
              <fieldset className="grid gap-3 rounded-lg border p-4">
                <legend className="px-1 text-sm font-medium">Credential (optional)</legend>
                <p className="text-sm text-muted-foreground">For agents that need authentication, both to discover them and to call them later.</p>
                <CredentialFields draft={credential} onChange={setCredential} error={sourceErrors.credential} disabled={discover.isPending} />
              </fieldset>
              <div className="flex flex-wrap items-center gap-2">
                <Button type="submit" disabled={discover.isPending}>
                  {discover.isPending ? <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" /> : <ArrowRight aria-hidden="true" />}
                  {discover.isPending ? "Discovering…" : "Discover"}
                </Button>
                {preview && !discover.isPending && (
                  <Button type="button" variant="ghost" onClick={() => setStep(1)}>
                    Back to the last result
                  </Button>
                )}
              </div>
              {discover.isPending && (
                <p role="status" className="text-sm text-muted-foreground">
                  Asking the agent what it can do…
                </p>
              )}
            </form>
          </CardContent>
        </Card>
      ) : preview ? (
        <div className="grid gap-6">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2 ref={headingRef} tabIndex={-1} className="text-base outline-hidden">
                  What HelixAgent found
                </h2>
              </CardTitle>
              <CardDescription className="break-all">{preview.sourceUrl}</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-6">
              <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
                <Fact term="Protocol">
                  <ProtocolBadge protocol={preview.protocol} />
                </Fact>
                <Fact term="Endpoint">
                  <span className="font-mono text-xs break-all">{preview.endpointUrl}</span>
                </Fact>
                <Fact term="Name">{preview.name ?? <Missing />}</Fact>
                <Fact term="Version">{preview.version ?? <Missing />}</Fact>
                <Fact term="Provider">{preview.provider ?? <Missing />}</Fact>
                <Fact term="Protocol version">{preview.protocolVersion ?? <Missing />}</Fact>
                {preview.description && (
                  <Fact term="Description" className="sm:col-span-2">
                    <span className="whitespace-pre-line">{preview.description}</span>
                  </Fact>
                )}
              </dl>
              <div className="grid gap-3">
                <h3 className="text-sm font-semibold">
                  {capabilityTitle(preview.skills.map((s) => s.kind))} ({preview.skills.length})
                </h3>
                <SkillList skills={preview.skills} headingLevel={4} emptyText="The agent describes no skills, tools or models. You can still register it." />
              </div>
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>
                <h2 className="text-base">Register as</h2>
              </CardTitle>
              <CardDescription>Defaults come from what the agent says about itself; change anything.</CardDescription>
            </CardHeader>
            <CardContent>
              <form
                noValidate
                aria-busy={register.isPending || undefined}
                className="grid gap-5"
                onSubmit={(e) => {
                  e.preventDefault();
                  runRegister();
                }}
              >
                {detailErrors.form && (
                  <Alert variant="destructive">
                    <AlertTitle>The agent was not registered</AlertTitle>
                    <AlertDescription>
                      <p>{detailErrors.form}</p>
                      <p>Go back to check the URL and credential, or try again.</p>
                    </AlertDescription>
                  </Alert>
                )}
                <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
                  <FormField label="Name" required error={detailErrors.name}>
                    <Input name="name" value={details.name} onChange={set("name")} maxLength={80} autoComplete="off" disabled={register.isPending} />
                  </FormField>
                  <FormField label="Slug" error={detailErrors.slug} description="Names the agent in routes and URLs: lowercase letters, digits and dashes. Leave empty to derive it from the name.">
                    <Input name="slug" value={details.slug} onChange={set("slug")} maxLength={48} autoComplete="off" spellCheck={false} className="font-mono" disabled={register.isPending} />
                  </FormField>
                </div>
                <FormField label="Description" error={detailErrors.description}>
                  <Textarea name="description" value={details.description} onChange={set("description")} maxLength={2000} rows={3} disabled={register.isPending} />
                </FormField>
                <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
                  <FormField label="Region" error={detailErrors.region} description="Where the agent runs, e.g. eu-west-1; used for data residency and geo routing.">
                    <Input name="region" value={details.region} onChange={set("region")} maxLength={40} autoComplete="off" disabled={register.isPending} />
                  </FormField>
                  <FormField label="Provider" error={detailErrors.provider}>
                    <Input name="provider" value={details.provider} onChange={set("provider")} maxLength={80} autoComplete="off" disabled={register.isPending} />
                  </FormField>
                </div>
                <FormField label="Tags" error={tagsError ?? detailErrors.tags} description="Comma-separated, e.g. search, eu, team:ml">
                  <Input name="tags" value={details.tags} onChange={set("tags")} autoComplete="off" spellCheck={false} disabled={register.isPending} />
                </FormField>
                <div className="grid gap-2">
                  <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
                    <FormField label="Input price (USD per 1M tokens)" error={priceErrors.inputPricePerMTok ?? detailErrors.inputPricePerMTok}>
                      <Input
                        name="inputPricePerMTok"
                        inputMode="decimal"
                        placeholder="e.g. 0.15"
                        value={details.inputPricePerMTok}
                        onChange={set("inputPricePerMTok")}
                        autoComplete="off"
                        aria-describedby="register-price-help"
                        disabled={register.isPending}
                      />
                    </FormField>
                    <FormField label="Output price (USD per 1M tokens)" error={priceErrors.outputPricePerMTok ?? detailErrors.outputPricePerMTok}>
                      <Input
                        name="outputPricePerMTok"
                        inputMode="decimal"
                        placeholder="e.g. 0.60"
                        value={details.outputPricePerMTok}
                        onChange={set("outputPricePerMTok")}
                        autoComplete="off"
                        aria-describedby="register-price-help"
                        disabled={register.isPending}
                      />
                    </FormField>
                  </div>
                  <p id="register-price-help" className="text-sm text-muted-foreground">
                    {PRICE_HELP} Optional; you can set them later.
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <Button type="button" variant="outline" onClick={() => setStep(0)} disabled={register.isPending}>
                    <ArrowLeft aria-hidden="true" />
                    Back
                  </Button>
                  <Button type="submit" disabled={register.isPending}>
                    {register.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
                    {register.isPending ? "Registering…" : "Register"}
                  </Button>
                </div>
              </form>
            </CardContent>
          </Card>
        </div>
      ) : null}
    </div>
  );
}
