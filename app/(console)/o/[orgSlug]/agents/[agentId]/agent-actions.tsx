"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Pencil, Power, PowerOff, RefreshCw, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { DisabledAction } from "@/components/agents/disabled-action";
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
import type { AgentDetail } from "@/server/agents/schema";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";

/** Re-discover, edit, disable/enable and delete; each shown to everyone, usable from its role up. */
export function AgentActions({ orgSlug, agent, role }: { orgSlug: string; agent: AgentDetail; role: Role }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const ids = { orgSlug, agentId: agent.id };
  const canEdit = hasRole(role, "EDITOR");
  const canDelete = hasRole(role, "ADMIN");
  const editorOnly = `This needs the Editor role; you are ${roleLabel[role]}.`;
  const disabled = agent.status === "DISABLED";

  const refreshList = () =>
    Promise.all([queryClient.invalidateQueries(trpc.agent.list.pathFilter()), queryClient.invalidateQueries(trpc.agent.search.pathFilter())]);

  const rediscover = useMutation(
    trpc.agent.rediscover.mutationOptions({
      onSuccess: ({ added, removed }) => {
        toast.success(
          added.length || removed.length ? `Re-discovered: ${added.length} added, ${removed.length} removed` : "Re-discovered: nothing changed",
        );
      },
      onError: (error) => toast.error(error.message),
      // A failed discovery is recorded too (history and the agent's discovery error).
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.agent.get.queryKey(ids) }),
          queryClient.invalidateQueries({ queryKey: trpc.agent.discoveries.queryKey(ids) }),
          refreshList(),
        ]),
    }),
  );
  const setEnabled = useMutation(
    trpc.agent.setEnabled.mutationOptions({
      onSuccess: async (updated) => {
        queryClient.setQueryData(trpc.agent.get.queryKey(ids), updated);
        toast.success(updated.status === "DISABLED" ? `${updated.name} disabled` : `${updated.name} enabled`);
        await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.agent.health.queryKey(ids) }), refreshList()]);
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const remove = useMutation(
    trpc.agent.delete.mutationOptions({
      onSuccess: async () => {
        toast.success(`${agent.name} deleted`);
        await refreshList();
        router.push(`/o/${orgSlug}/agents`);
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  const busy = rediscover.isPending || setEnabled.isPending || remove.isPending;

  return (
    <>
      {canEdit ? (
        <>
          <Button variant="outline" onClick={() => rediscover.mutate(ids)} disabled={busy}>
            <RefreshCw aria-hidden="true" className={rediscover.isPending ? "animate-spin motion-reduce:animate-none" : undefined} />
            {rediscover.isPending ? "Re-discovering…" : "Re-discover now"}
          </Button>
          <Button variant="outline" asChild>
            <Link href={`/o/${orgSlug}/agents/${agent.id}/edit`}>
              <Pencil aria-hidden="true" />
              Edit
            </Link>
          </Button>
          <Button variant="outline" onClick={() => setEnabled.mutate({ ...ids, enabled: disabled })} disabled={busy}>
            {disabled ? <Power aria-hidden="true" /> : <PowerOff aria-hidden="true" />}
            {disabled ? "Enable" : "Disable"}
          </Button>
        </>
      ) : (
        <>
          <DisabledAction reason={editorOnly}>
            <RefreshCw aria-hidden="true" />
            Re-discover now
          </DisabledAction>
          <DisabledAction reason={editorOnly}>
            <Pencil aria-hidden="true" />
            Edit
          </DisabledAction>
          <DisabledAction reason={editorOnly}>
            {disabled ? <Power aria-hidden="true" /> : <PowerOff aria-hidden="true" />}
            {disabled ? "Enable" : "Disable"}
          </DisabledAction>
        </>
      )}
      {canDelete ? (
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button variant="destructive" disabled={busy}>
              <Trash2 aria-hidden="true" />
              Delete
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Delete {agent.name}?</AlertDialogTitle>
              <AlertDialogDescription>
                The agent, its {agent.skills.length} discovered {agent.skills.length === 1 ? "capability" : "capabilities"}, its health history and
                its discovery history are removed, and the gateway stops sending it traffic. This cannot be undone; the audit log keeps a record.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction className={buttonVariants({ variant: "destructive" })} onClick={() => remove.mutate(ids)}>
                Delete agent
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      ) : (
        <DisabledAction variant="destructive" reason={`Deleting agents needs the Admin role; you are ${roleLabel[role]}.`}>
          <Trash2 aria-hidden="true" />
          Delete
        </DisabledAction>
      )}
    </>
  );
}
