"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2, Store } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { emptyNewPublisherDraft, newPublisherInput, suggestSlug, type NewPublisherDraft } from "./publisher-model";

const FIELDS = ["displayName", "slug", "description", "website"] as const;

/** The form that makes the organization a marketplace publisher (admins only; the page decides). */
export function BecomePublisherCard({ orgSlug, orgName }: { orgSlug: string; orgName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<NewPublisherDraft>(emptyNewPublisherDraft);
  const create = useMutation(
    trpc.marketplace.publisher.create.mutationOptions({
      onSuccess: (publisher) => {
        queryClient.setQueryData(trpc.marketplace.publisher.get.queryKey({ orgSlug }), publisher);
        toast.success(`${publisher.displayName} is now a marketplace publisher`, { description: "Add a signing key next: every version you publish is signed with one." });
      },
    }),
  );
  const errors = placeErrors(create.error, FIELDS, "form");

  const setName = (displayName: string) => setDraft((d) => ({ ...d, displayName, slug: d.slugEdited ? d.slug : suggestSlug(displayName) }));

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="text-base">Become a publisher</h2>
        </CardTitle>
        <CardDescription>
          {orgName} is not a marketplace publisher yet. As one, it can publish gateway plugins, policy packs and templates that any organization on this HelixAgent can install.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          noValidate
          aria-busy={create.isPending || undefined}
          className="grid max-w-xl gap-5"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ orgSlug, ...newPublisherInput(draft) });
          }}
        >
          {errors.form && (
            <Alert variant="destructive">
              <AlertTitle>{orgName} did not become a publisher</AlertTitle>
              <AlertDescription>{errors.form}</AlertDescription>
            </Alert>
          )}
          <FormField label="Publisher name" required error={errors.displayName} description="Shown next to every listing, e.g. Acme Security.">
            <Input name="displayName" value={draft.displayName} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="organization" disabled={create.isPending} />
          </FormField>
          <FormField
            label="Slug"
            required
            error={errors.slug}
            description="Lowercase letters, digits and dashes. It names the publisher in the marketplace and cannot be changed later."
          >
            <Input
              name="slug"
              value={draft.slug}
              onChange={(e) => setDraft((d) => ({ ...d, slug: e.target.value, slugEdited: true }))}
              maxLength={64}
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              disabled={create.isPending}
            />
          </FormField>
          <FormField label="Description" error={errors.description} description="Optional. Who you are and what you publish.">
            <Textarea name="description" value={draft.description} onChange={(e) => setDraft((d) => ({ ...d, description: e.target.value }))} maxLength={2000} rows={3} disabled={create.isPending} />
          </FormField>
          <FormField label="Website" error={errors.website} description="Optional. An http:// or https:// address.">
            <Input name="website" type="url" value={draft.website} onChange={(e) => setDraft((d) => ({ ...d, website: e.target.value }))} placeholder="https://" autoComplete="url" disabled={create.isPending} />
          </FormField>
          <Button type="submit" className="w-fit" disabled={create.isPending}>
            {create.isPending ? <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" /> : <Store aria-hidden="true" />}
            {create.isPending ? "Creating…" : "Become a publisher"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
