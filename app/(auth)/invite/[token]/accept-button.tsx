"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";

export function AcceptButton({ token, orgName }: { token: string; orgName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: (result) => {
        router.push(`/o/${result.orgSlug}`);
        router.refresh();
      },
    }),
  );
  return (
    <div className="grid gap-3">
      <Button onClick={() => accept.mutate({ token })} disabled={accept.isPending || accept.isSuccess}>
        {accept.isPending ? "Joining…" : `Accept and join ${orgName}`}
      </Button>
      {accept.error && (
        <p role="alert" className="text-sm text-destructive">
          {accept.error.message}
        </p>
      )}
    </div>
  );
}
