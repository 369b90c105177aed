"use client";

import { useMutation } from "@tanstack/react-query";
import { Loader2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";
import type { ReviewView } from "@/server/marketplace/schema";
import { StarInput } from "./star-input";

const FIELDS = ["rating", "body"] as const;
export const REVIEW_MAX = 5000;

/**
 * The signed-in visitor's review of a listing: written once, edited after (the server keeps one
 * per person). Saving re-renders the page on the server, so the rating summary and the list update.
 */
export function ReviewForm({ listingId, listingName, mine }: { listingId: string; listingName: string; mine: Pick<ReviewView, "rating" | "body"> | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [rating, setRating] = useState(mine?.rating ?? 0);
  const [body, setBody] = useState(mine?.body ?? "");
  const [ratingMissing, setRatingMissing] = useState(false);
  const ratingErrorId = useId();
  const upsert = useMutation(
    trpc.marketplace.review.upsert.mutationOptions({
      onSuccess: () => {
        toast.success(mine ? "Your review is updated" : "Thank you for your review", { description: `It shows on ${listingName}'s page now.` });
        startRefresh(() => router.refresh());
      },
    }),
  );
  const errors = placeErrors(upsert.error, FIELDS, "form");
  const ratingError = ratingMissing ? "Choose 1 to 5 stars" : errors.rating;
  const busy = upsert.isPending || refreshing;

  return (
    <form
      noValidate
      aria-label={mine ? "Edit your review" : "Write a review"}
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!rating) {
          setRatingMissing(true);
          return;
        }
        upsert.mutate({ listingId, rating, body: body.trim() });
      }}
    >
      <div className="grid gap-2">
        <span className="flex items-center gap-1 text-sm font-medium">
          Your rating
          <span aria-hidden="true" className="text-destructive">
            *
          </span>
        </span>
        <StarInput
          name={`rating-${listingId}`}
          value={rating}
          disabled={busy}
          invalid={Boolean(ratingError)}
          describedBy={ratingError ? ratingErrorId : undefined}
          onChange={(v) => {
            setRating(v);
            setRatingMissing(false);
          }}
        />
        {ratingError && (
          <p id={ratingErrorId} role="alert" className="text-sm font-medium text-destructive">
            {ratingError}
          </p>
        )}
      </div>
      <FormField label="Your review" error={errors.body} description="What worked, what did not, what you use it for. Shown with your name.">
        <Textarea name="review" value={body} onChange={(e) => setBody(e.target.value)} maxLength={REVIEW_MAX} rows={4} disabled={busy} />
      </FormField>
      {errors.form && (
        <Alert variant="destructive">
          <AlertDescription>{errors.form}</AlertDescription>
        </Alert>
      )}
      <div>
        <Button type="submit" disabled={busy}>
          {busy && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          {mine ? "Update review" : "Post review"}
        </Button>
      </div>
    </form>
  );
}
