"use client";

import { useMutation } from "@tanstack/react-query";
import { Loader2, MessageSquareReply, Pencil } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";

export const REPLY_MAX = 5000;

/**
 * The publisher's public reply to a review, for admins of the publishing organization: written,
 * edited or removed in place. Saving re-renders the page on the server, where the reply shows.
 */
export function ReviewReply({ orgSlug, orgName, reviewId, author, reply }: { orgSlug: string; orgName: string; reviewId: string; author: string; reply: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(reply ?? "");
  const save = useMutation(
    trpc.marketplace.review.reply.mutationOptions({
      onSuccess: (review) => {
        toast.success(review.reply ? (reply ? "Reply updated" : "Reply posted") : "Reply removed", { description: review.reply ? `Shown under ${author}'s review as ${orgName}.` : undefined });
        setOpen(false);
        startRefresh(() => router.refresh());
      },
    }),
  );
  const errors = placeErrors(save.error, ["reply"] as const, "reply");
  const busy = save.isPending || refreshing;

  if (!open) {
    return (
      <div>
        <Button
          variant="ghost"
          size="sm"
          className="text-muted-foreground"
          disabled={busy}
          onClick={() => {
            setText(reply ?? "");
            save.reset();
            setOpen(true);
          }}
        >
          {reply ? <Pencil aria-hidden="true" /> : <MessageSquareReply aria-hidden="true" />}
          {reply ? "Edit reply" : "Reply"}
          <span className="sr-only"> to the review by {author}</span>
        </Button>
      </div>
    );
  }

  return (
    <form
      noValidate
      aria-label={`Reply to the review by ${author}`}
      className="grid gap-3 rounded-md border p-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ orgSlug, reviewId, reply: text.trim() });
      }}
    >
      <FormField label={`Your reply as ${orgName}`} error={errors.reply} description="Public, shown under the review with your publisher name. Leave it empty to remove the reply.">
        <Textarea name="reply" value={text} onChange={(e) => setText(e.target.value)} maxLength={REPLY_MAX} rows={3} disabled={busy} autoFocus />
      </FormField>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" disabled={busy || (!text.trim() && !reply)}>
          {busy && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          {!text.trim() && reply ? "Remove reply" : reply ? "Update reply" : "Post reply"}
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
