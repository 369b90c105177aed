"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button, buttonVariants } from "@/components/ui/button";
import type { PolicyView } from "@/server/policies/schema";
import { EnabledSwitch } from "./enabled-switch";

/** Switches a policy on or off (no new version: the configuration is unchanged). Admins only. */
export function PolicyEnabledSwitch({ orgSlug, policy }: { orgSlug: string; policy: Pick<PolicyView, "id" | "name" | "enabled"> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setEnabled = useMutation(
    trpc.policy.setEnabled.mutationOptions({
      onSuccess: async (updated) => {
        queryClient.setQueryData(trpc.policy.get.queryKey({ orgSlug, policyId: updated.id }), updated);
        toast.success(updated.enabled ? `${updated.name} enabled` : `${updated.name} disabled`, {
          description: updated.enabled ? "The gateway applies it again within seconds." : "The gateway no longer applies it.",
        });
        await queryClient.invalidateQueries({ queryKey: trpc.policy.list.queryKey({ orgSlug }) });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <EnabledSwitch
      label={`${policy.name} enabled`}
      checked={setEnabled.isPending ? setEnabled.variables.enabled : policy.enabled}
      disabled={setEnabled.isPending}
      onChange={(enabled) => setEnabled.mutate({ orgSlug, policyId: policy.id, enabled })}
    />
  );
}

export function DeletePolicyButton({ orgSlug, policy }: { orgSlug: string; policy: Pick<PolicyView, "id" | "name"> }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.policy.delete.mutationOptions({
      onSuccess: async () => {
        toast.success(`${policy.name} deleted`);
        queryClient.removeQueries({ queryKey: trpc.policy.get.queryKey({ orgSlug, policyId: policy.id }) });
        await queryClient.invalidateQueries({ queryKey: trpc.policy.list.queryKey({ orgSlug }) });
        router.push(`/o/${orgSlug}/policies`);
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="destructive" disabled={remove.isPending}>
          <Trash2 aria-hidden="true" />
          Delete
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete {policy.name}?</AlertDialogTitle>
          <AlertDialogDescription>The gateway stops applying it within seconds. Its versions are deleted with it; the audit log keeps the record.</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep it</AlertDialogCancel>
          <AlertDialogAction className={buttonVariants({ variant: "destructive" })} onClick={() => remove.mutate({ orgSlug, policyId: policy.id })}>
            Delete policy
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
