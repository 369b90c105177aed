"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { BadgeCheck, Loader2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { formatDay } from "@/components/marketplace/format";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { PublisherView } from "@/server/marketplace/schema";
import { profileChanges, profileDraftOf, type ProfileDraft } from "./publisher-model";

const FIELDS = ["displayName", "description", "website"] as const;

/** The publisher's public profile (editable by admins) and whether platform admins have verified it. */
export function ProfileCard({ orgSlug, publisher, canEdit }: { orgSlug: string; publisher: PublisherView; canEdit: boolean }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="text-base">Profile</h2>
        </CardTitle>
        <CardDescription>
          Shown with {publisher.displayName}&apos;s listings in the marketplace. Slug <code className="font-mono">{publisher.slug}</code> (it does not change).
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <Verification publisher={publisher} />
        {canEdit ? <ProfileForm orgSlug={orgSlug} publisher={publisher} /> : <ProfileFacts publisher={publisher} />}
      </CardContent>
    </Card>
  );
}

function Verification({ publisher }: { publisher: PublisherView }) {
  return (
    <section aria-labelledby="verification-heading" className="grid gap-2 rounded-lg border p-4" data-testid="publisher-verification">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id="verification-heading" className="text-sm font-medium">
          Verification
        </h3>
        {publisher.verified ? (
          <Badge variant="success">
            <BadgeCheck aria-hidden="true" />
            Verified{publisher.verifiedAt ? ` since ${formatDay(publisher.verifiedAt)}` : ""}
          </Badge>
        ) : (
          <Badge variant="outline">Not verified</Badge>
        )}
      </div>
      <p className="text-sm text-muted-foreground">
        {publisher.verified
          ? `The platform administrators of this HelixAgent know who is behind ${publisher.displayName}: its listings show a check mark and appear when people ask for verified publishers only.`
          : `Verification is done by the platform administrators of this HelixAgent, once they know who is behind ${publisher.displayName}; there is nothing to fill in here. Ask them to verify it. Until then its listings show without the check mark and are left out when people ask for verified publishers only.`}
      </p>
    </section>
  );
}

function ProfileFacts({ publisher }: { publisher: PublisherView }) {
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-[10rem_1fr]">
      <dt className="text-muted-foreground">Name</dt>
      <dd>{publisher.displayName}</dd>
      <dt className="text-muted-foreground">Description</dt>
      <dd className="whitespace-pre-line">{publisher.description ?? <span className="text-muted-foreground">None</span>}</dd>
      <dt className="text-muted-foreground">Website</dt>
      <dd>
        {publisher.website ? (
          <a href={publisher.website} rel="noopener noreferrer" target="_blank" className="underline underline-offset-4">
            {publisher.website}
          </a>
        ) : (
          <span className="text-muted-foreground">None</span>
        )}
      </dd>
    </dl>
  );
}

function ProfileForm({ orgSlug, publisher }: { orgSlug: string; publisher: PublisherView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saved = profileDraftOf(publisher);
  const [draft, setDraft] = useState<ProfileDraft>(saved);
  const update = useMutation(
    trpc.marketplace.publisher.update.mutationOptions({
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.marketplace.publisher.get.queryKey({ orgSlug }), updated);
        setDraft(profileDraftOf(updated));
        toast.success("Publisher profile saved");
      },
    }),
  );
  const errors = placeErrors(update.error, FIELDS, "form");
  const changes = profileChanges(saved, draft);
  const set = (field: keyof ProfileDraft) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setDraft((d) => ({ ...d, [field]: e.target.value }));

  return (
    <form
      noValidate
      aria-busy={update.isPending || undefined}
      className="grid max-w-xl gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        if (changes) update.mutate({ orgSlug, ...changes });
      }}
    >
      {errors.form && (
        <Alert variant="destructive">
          <AlertTitle>The profile was not saved</AlertTitle>
          <AlertDescription>{errors.form}</AlertDescription>
        </Alert>
      )}
      <FormField label="Publisher name" required error={errors.displayName}>
        <Input name="displayName" value={draft.displayName} onChange={set("displayName")} maxLength={80} autoComplete="organization" disabled={update.isPending} />
      </FormField>
      <FormField label="Description" error={errors.description} description="Optional. Who you are and what you publish.">
        <Textarea name="description" value={draft.description} onChange={set("description")} maxLength={2000} rows={3} disabled={update.isPending} />
      </FormField>
      <FormField label="Website" error={errors.website} description="Optional. An http:// or https:// address.">
        <Input name="website" type="url" value={draft.website} onChange={set("website")} placeholder="https://" autoComplete="url" disabled={update.isPending} />
      </FormField>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={update.isPending || !changes}>
          {update.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          {update.isPending ? "Saving…" : "Save profile"}
        </Button>
        {changes && !update.isPending && (
          <Button
            type="button"
            variant="ghost"
            onClick={() => {
              setDraft(saved);
              update.reset();
            }}
          >
            Discard changes
          </Button>
        )}
      </div>
    </form>
  );
}
