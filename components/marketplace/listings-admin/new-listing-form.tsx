"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { LISTING_KINDS, listingKindLabel, type ListingKind } from "@/server/marketplace/manifest";
import { ListingFields } from "./listing-fields";
import { checkListingValues, emptyListingValues, listingFieldsInput, slugFromName, type CategoryOption, type ContentLimits, type ListingField, type NewListingValues } from "./listing-form-model";

const FIELDS = ["kind", "slug", "name", "summary", "readme", "icon", "categories", "tags", "license", "sourceUrl"] as const satisfies readonly ListingField[];

const KIND_HELP: Record<ListingKind, string> = {
  GATEWAY_PLUGIN: "A service the gateway calls on each request, answer or streamed chunk.",
  POLICY_PACK: "Policies an organization installs together.",
  ROUTE_TEMPLATE: "A route an organization creates from a form.",
  AGENT_TEMPLATE: "An agent an organization registers from a form.",
};

/**
 * A new listing: a draft until its first version is published. The slug and kind are fixed once
 * created (signatures name the slug; manifests must match the kind).
 */
export function NewListingForm({ orgSlug, publisherName, categories, limits }: { orgSlug: string; publisherName: string; categories: CategoryOption[]; limits: ContentLimits }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<NewListingValues>(emptyListingValues);
  const [slugTouched, setSlugTouched] = useState(false);
  const [localErrors, setLocalErrors] = useState<Partial<Record<ListingField, string>>>({});

  const create = useMutation(
    trpc.marketplace.listing.create.mutationOptions({
      onSuccess: async (listing) => {
        toast.success(`${listing.name} created`, { description: "It is a draft: publish a signed version to make it public." });
        await queryClient.invalidateQueries(trpc.marketplace.listing.mine.pathFilter());
        router.push(`/o/${orgSlug}/publisher/listings/${listing.slug}`);
      },
    }),
  );
  const serverErrors = placeErrors(create.error, FIELDS, "form");
  const errors = { ...serverErrors, ...localErrors };

  const change = (patch: Partial<NewListingValues>) => {
    setValues((v) => {
      const next = { ...v, ...patch };
      if (patch.name !== undefined && !slugTouched) next.slug = slugFromName(patch.name);
      return next;
    });
    setLocalErrors((e) => {
      const rest = { ...e };
      for (const key of Object.keys(patch) as ListingField[]) delete rest[key];
      return rest;
    });
  };

  function submit() {
    const problems = checkListingValues(values, limits, { requireKind: true });
    setLocalErrors(problems);
    if (Object.keys(problems).length || !values.kind) return;
    create.mutate({ orgSlug, kind: values.kind, slug: values.slug.trim(), ...listingFieldsInput(values) });
  }

  return (
    <Card>
      <CardContent>
        <form
          noValidate
          aria-label="New listing"
          aria-busy={create.isPending || undefined}
          className="grid gap-5"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {errors.form && (
            <Alert variant="destructive">
              <AlertTitle>Not created</AlertTitle>
              <AlertDescription>{errors.form}</AlertDescription>
            </Alert>
          )}
          <FormField label="Kind" required error={errors.kind} description={values.kind ? KIND_HELP[values.kind] : "What the listing installs. It cannot change later."}>
            <NativeSelect name="kind" value={values.kind} onChange={(e) => change({ kind: e.target.value as ListingKind | "" })} disabled={create.isPending}>
              <option value="">Choose a kind…</option>
              {LISTING_KINDS.map((k) => (
                <option key={k} value={k}>
                  {listingKindLabel[k]}
                </option>
              ))}
            </NativeSelect>
          </FormField>
          <ListingFields
            values={values}
            onChange={change}
            errors={errors}
            disabled={create.isPending}
            categories={categories}
            limits={limits}
            afterName={
              <FormField
                label="Slug"
                required
                error={errors.slug}
                description={
                  <>
                    The listing&apos;s address, /marketplace/<span className="font-mono">{values.slug || "…"}</span>. Lowercase letters, digits and dashes; it cannot change later, because signatures name it.
                  </>
                }
              >
                <Input
                  name="slug"
                  value={values.slug}
                  onChange={(e) => {
                    setSlugTouched(true);
                    change({ slug: e.target.value });
                  }}
                  maxLength={64}
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                  disabled={create.isPending}
                />
              </FormField>
            }
          />
          <p className="text-sm text-muted-foreground">Published by {publisherName}. Nothing is public until you publish its first version.</p>
          <div className="flex flex-wrap items-center gap-2">
            <Button type="submit" disabled={create.isPending}>
              {create.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
              {create.isPending ? "Creating…" : "Create listing"}
            </Button>
            <Button variant="ghost" asChild>
              <Link href={`/o/${orgSlug}/publisher`}>Cancel</Link>
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
