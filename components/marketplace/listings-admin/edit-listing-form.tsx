"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { OwnListingDetail } from "@/server/marketplace/schema";
import { ListingFields } from "./listing-fields";
import { changedListingFields, checkListingValues, valuesOfListing, type CategoryOption, type ContentLimits, type ListingField, type ListingFormValues } from "./listing-form-model";

const FIELDS = ["name", "summary", "readme", "icon", "categories", "tags", "license", "sourceUrl"] as const satisfies readonly ListingField[];

/** Edits a listing's page (not its slug or kind); only the fields that changed are sent. */
export function EditListingForm({ orgSlug, listing, categories, limits }: { orgSlug: string; listing: OwnListingDetail; categories: CategoryOption[]; limits: ContentLimits }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [initial, setInitial] = useState<ListingFormValues>(() => valuesOfListing(listing));
  const [values, setValues] = useState<ListingFormValues>(initial);
  const [localErrors, setLocalErrors] = useState<Partial<Record<ListingField, string>>>({});
  const ownKey = trpc.marketplace.listing.own.queryKey({ orgSlug, listingSlug: listing.slug });

  const update = useMutation(
    trpc.marketplace.listing.update.mutationOptions({
      onSuccess: async (updated) => {
        queryClient.setQueryData(ownKey, (old) => (old ? { ...old, ...updated } : old));
        const saved = valuesOfListing(updated);
        setInitial(saved);
        setValues(saved);
        toast.success(`${updated.name} saved`, { description: updated.publishedAt ? "The marketplace page shows the changes now." : undefined });
        await queryClient.invalidateQueries(trpc.marketplace.listing.mine.pathFilter());
      },
    }),
  );
  const errors = { ...placeErrors(update.error, FIELDS, "form"), ...localErrors };
  const changes = changedListingFields(initial, values);
  const dirty = Object.keys(changes).length > 0;

  const change = (patch: Partial<ListingFormValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setLocalErrors((e) => {
      const rest = { ...e };
      for (const key of Object.keys(patch) as ListingField[]) delete rest[key];
      return rest;
    });
  };

  return (
    <form
      noValidate
      aria-label="Listing details"
      aria-busy={update.isPending || undefined}
      className="grid gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        const problems = checkListingValues(values, limits);
        setLocalErrors(problems);
        if (Object.keys(problems).length || !dirty) return;
        update.mutate({ orgSlug, listingId: listing.id, ...changes });
      }}
    >
      {errors.form && (
        <Alert variant="destructive">
          <AlertTitle>Not saved</AlertTitle>
          <AlertDescription>{errors.form}</AlertDescription>
        </Alert>
      )}
      <ListingFields values={values} onChange={change} errors={errors} disabled={update.isPending} categories={categories} limits={limits} />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={update.isPending || !dirty}>
          {update.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          {update.isPending ? "Saving…" : "Save changes"}
        </Button>
        {dirty && (
          <Button
            type="button"
            variant="ghost"
            disabled={update.isPending}
            onClick={() => {
              setValues(initial);
              setLocalErrors({});
              update.reset();
            }}
          >
            Discard changes
          </Button>
        )}
        {!dirty && <span className="text-sm text-muted-foreground">No unsaved changes.</span>}
      </div>
    </form>
  );
}
