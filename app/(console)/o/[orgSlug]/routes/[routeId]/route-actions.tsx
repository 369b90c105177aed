"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Power, PowerOff, Trash2 } from "lucide-react";
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
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import type { RouteDetail } from "@/server/routes/schema";

/** Enable/disable and delete; each shown to everyone, usable from its role up. */
export function RouteActions({ orgSlug, route, role }: { orgSlug: string; route: RouteDetail; role: Role }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const ids = { orgSlug, routeId: route.id };
  const canEdit = hasRole(role, "EDITOR");
  const canDelete = hasRole(role, "ADMIN");
  const refreshList = () => queryClient.invalidateQueries({ queryKey: trpc.route.list.queryKey({ orgSlug }) });

  const setEnabled = useMutation(
    trpc.route.setEnabled.mutationOptions({
      onSuccess: async (updated) => {
        queryClient.setQueryData(trpc.route.get.queryKey(ids), updated);
        toast.success(updated.enabled ? `${updated.name} enabled` : `${updated.name} disabled`, {
          description: updated.enabled ? `The gateway serves “${updated.alias}” again.` : `The gateway no longer serves “${updated.alias}”.`,
        });
        await refreshList();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const remove = useMutation(
    trpc.route.delete.mutationOptions({
      onSuccess: async () => {
        toast.success(`${route.name} deleted`);
        queryClient.removeQueries({ queryKey: trpc.route.get.queryKey(ids) });
        await Promise.all([refreshList(), queryClient.invalidateQueries(trpc.apiKey.list.pathFilter())]);
        router.push(`/o/${orgSlug}/routes`);
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const busy = setEnabled.isPending || remove.isPending;
  const toggleIcon = route.enabled ? <PowerOff aria-hidden="true" /> : <Power aria-hidden="true" />;

  return (
    <>
      {canEdit ? (
        <Button variant="outline" onClick={() => setEnabled.mutate({ ...ids, enabled: !route.enabled })} disabled={busy}>
          {toggleIcon}
          {route.enabled ? "Disable" : "Enable"}
        </Button>
      ) : (
        <DisabledAction reason={`This needs the Editor role; you are ${roleLabel[role]}.`}>
          {toggleIcon}
          {route.enabled ? "Disable" : "Enable"}
        </DisabledAction>
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
              <AlertDialogTitle>Delete {route.name}?</AlertDialogTitle>
              <AlertDialogDescription>
                The gateway stops serving “{route.alias}” and the route&apos;s {route.version === 1 ? "version" : `${route.version} versions`} of history are removed.
                API keys limited to this route lose it; a key limited to nothing else is revoked. This cannot be undone; the audit log keeps a record.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction className={buttonVariants({ variant: "destructive" })} onClick={() => remove.mutate(ids)}>
                Delete route
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      ) : (
        <DisabledAction variant="destructive" reason={`Deleting routes needs the Admin role; you are ${roleLabel[role]}.`}>
          <Trash2 aria-hidden="true" />
          Delete
        </DisabledAction>
      )}
    </>
  );
}
