"use client";

import { useMutation } from "@tanstack/react-query";
import { Flag } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";

/** Reports a review to the platform administrators, with a reason. */
export function ReportReviewButton({ reviewId, author }: { reviewId: string; author: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const report = useMutation(
    trpc.marketplace.review.report.mutationOptions({
      onSuccess: () => {
        toast.success("Review reported", { description: "A platform administrator will look at it." });
        setOpen(false);
        setReason("");
      },
    }),
  );
  const errors = placeErrors(report.error, ["reason"] as const, "reason");
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) report.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" className="text-muted-foreground">
          <Flag aria-hidden="true" />
          Report<span className="sr-only"> the review by {author}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            report.mutate({ reviewId, reason: reason.trim() });
          }}
        >
          <DialogHeader>
            <DialogTitle>Report the review by {author}</DialogTitle>
            <DialogDescription>Platform administrators read reports and hide reviews that are abusive, spam or off-topic.</DialogDescription>
          </DialogHeader>
          <FormField label="What is wrong with it?" required error={errors.reason}>
            <Textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={3} disabled={report.isPending} />
          </FormField>
          {errors.form && (
            <Alert variant="destructive">
              <AlertDescription>{errors.form}</AlertDescription>
            </Alert>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={report.isPending}>
              Report review
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
