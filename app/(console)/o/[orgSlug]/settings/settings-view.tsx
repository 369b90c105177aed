"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
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
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { RetentionCard } from "./retention-card";

interface Props {
  org: { name: string; slug: string; role: Role; allowPrivateNetworks: boolean };
}

export function SettingsView({ org }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState(org.name);
  const canRename = hasRole(org.role, "ADMIN");
  const rename = useMutation(
    trpc.org.update.mutationOptions({
      onSuccess: () => {
        toast.success("Organization renamed");
        router.refresh();
      },
    }),
  );
  const network = useMutation(
    trpc.org.update.mutationOptions({
      onSuccess: (updated) => {
        toast.success(updated.allowPrivateNetworks ? "Private networks allowed" : "Private networks blocked");
        router.refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const leave = useMutation(
    trpc.org.leave.mutationOptions({
      onSuccess: () => {
        toast.success(`You left ${org.name}`);
        router.push("/");
        router.refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Organization</CardTitle>
          <CardDescription>
            Slug <code className="font-mono">{org.slug}</code> (used in URLs and the API; it does not change).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form
            className="grid max-w-md gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              rename.mutate({ orgSlug: org.slug, name });
            }}
          >
            <div className="grid gap-2">
              <Label htmlFor="org-name">Name</Label>
              <Input
                id="org-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                disabled={!canRename}
                aria-invalid={rename.error ? true : undefined}
                aria-describedby={canRename ? (rename.error ? "rename-error" : undefined) : "rename-needs-role"}
              />
            </div>
            {!canRename && (
              <p id="rename-needs-role" className="text-sm text-muted-foreground">
                Renaming needs the Admin role; you are {roleLabel[org.role]}.
              </p>
            )}
            {rename.error && (
              <p id="rename-error" role="alert" className="text-sm text-destructive">
                {rename.error.message}
              </p>
            )}
            <div>
              <Button type="submit" disabled={!canRename || rename.isPending || name.trim() === org.name}>
                Save
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">Agent network access</CardTitle>
          <CardDescription>
            Self-hosted agents usually live on private networks (10.0.0.0/8, 192.168.0.0/16, localhost…). Link-local and cloud
            metadata addresses are always refused.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <label className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 size-4 accent-primary"
              checked={org.allowPrivateNetworks}
              disabled={!canRename || network.isPending}
              onChange={(e) => network.mutate({ orgSlug: org.slug, allowPrivateNetworks: e.target.checked })}
              aria-describedby="private-networks-help"
            />
            <span>
              Allow agents on private networks
              <span id="private-networks-help" className="block text-muted-foreground">
                {canRename ? "Turn off to accept only public addresses." : `Changing this needs the Admin role; you are ${roleLabel[org.role]}.`}
              </span>
            </span>
          </label>
        </CardContent>
      </Card>

      <RetentionCard orgSlug={org.slug} canEdit={canRename} />

      <Card className="border-destructive/40">
        <CardHeader>
          <CardTitle className="text-base">Leave organization</CardTitle>
          <CardDescription>You lose access at once. The last owner cannot leave; make someone else an owner first.</CardDescription>
        </CardHeader>
        <CardContent>
          <AlertDialog>
            <AlertDialogTrigger asChild>
              <Button variant="destructive">Leave {org.name}</Button>
            </AlertDialogTrigger>
            <AlertDialogContent>
              <AlertDialogHeader>
                <AlertDialogTitle>Leave {org.name}?</AlertDialogTitle>
                <AlertDialogDescription>You will need a new invitation to come back.</AlertDialogDescription>
              </AlertDialogHeader>
              <AlertDialogFooter>
                <AlertDialogCancel>Cancel</AlertDialogCancel>
                <AlertDialogAction onClick={() => leave.mutate({ orgSlug: org.slug })}>Leave</AlertDialogAction>
              </AlertDialogFooter>
            </AlertDialogContent>
          </AlertDialog>
        </CardContent>
      </Card>
    </div>
  );
}
