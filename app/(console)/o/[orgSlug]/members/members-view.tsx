"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Copy, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
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
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ROLES, hasRole, roleDescription, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";

const dateFmt = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

interface Props {
  orgSlug: string;
  orgName: string;
  role: Role;
}

export function MembersView({ orgSlug, orgName, role }: Props) {
  const isAdmin = hasRole(role, "ADMIN");
  return (
    <div className="grid gap-6">
      <PageHeader title="Members" description={`People in ${orgName} and what they may do.`} />
      {isAdmin ? (
        <InviteCard orgSlug={orgSlug} role={role} />
      ) : (
        <Alert>
          <AlertTitle>Read-only</AlertTitle>
          <AlertDescription>Inviting people and changing roles needs the Admin role; you are {roleLabel[role]}.</AlertDescription>
        </Alert>
      )}
      <MembersTable orgSlug={orgSlug} role={role} />
      {isAdmin && <InvitationsTable orgSlug={orgSlug} />}
    </div>
  );
}

function assignableRoles(role: Role): Role[] {
  return role === "OWNER" ? [...ROLES] : ROLES.filter((r) => r !== "OWNER");
}

function InviteCard({ orgSlug, role }: { orgSlug: string; role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [inviteRole, setInviteRole] = useState<Role>("VIEWER");
  const [link, setLink] = useState<{ url: string; email: string; emailed: boolean } | null>(null);
  const invite = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: async (data) => {
        setLink({ url: data.url, email: data.invitation.email, emailed: data.emailed });
        setEmail("");
        await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey({ orgSlug }) });
      },
    }),
  );
  const fieldError = invite.error?.data && "fieldErrors" in invite.error.data ? (invite.error.data.fieldErrors as Record<string, string[]>).email?.[0] : undefined;

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Invite someone</CardTitle>
        <CardDescription>They get a link that expires. It is shown here once{""} and emailed when SMTP is configured.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form
          className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            invite.mutate({ orgSlug, email, role: inviteRole });
          }}
        >
          <div className="grid gap-2">
            <Label htmlFor="invite-email">Email</Label>
            <Input
              id="invite-email"
              type="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
              aria-invalid={invite.error ? true : undefined}
              aria-describedby={invite.error ? "invite-error" : undefined}
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="invite-role">Role</Label>
            <NativeSelect id="invite-role" value={inviteRole} onChange={(e) => setInviteRole(e.target.value as Role)}>
              {assignableRoles(role).map((r) => (
                <option key={r} value={r}>
                  {roleLabel[r]}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button type="submit" disabled={invite.isPending}>
            {invite.isPending ? "Inviting…" : "Invite"}
          </Button>
        </form>
        <p className="text-xs text-muted-foreground">{roleDescription[inviteRole]}</p>
        {invite.error && (
          <p id="invite-error" role="alert" className="text-sm text-destructive">
            {fieldError ?? invite.error.message}
          </p>
        )}
        {link && (
          <Alert>
            <AlertTitle>Invitation link for {link.email}</AlertTitle>
            <AlertDescription className="grid gap-2">
              <p>{link.emailed ? "We emailed it too. " : ""}Copy it now: it is not shown again.</p>
              <div className="flex w-full gap-2">
                <Input readOnly value={link.url} aria-label="Invitation link" className="flex-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
                <Button
                  type="button"
                  variant="outline"
                  size="icon"
                  aria-label="Copy invitation link"
                  onClick={async () => {
                    await navigator.clipboard?.writeText(link.url).catch(() => undefined);
                    toast.success("Link copied");
                  }}
                >
                  <Copy />
                </Button>
              </div>
            </AlertDescription>
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}

function MembersTable({ orgSlug, role }: { orgSlug: string; role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions({ orgSlug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey({ orgSlug }) });
  const changeRole = useMutation(
    trpc.member.changeRole.mutationOptions({
      onSuccess: async () => {
        toast.success("Role changed");
        await refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const remove = useMutation(
    trpc.member.remove.mutationOptions({
      onSuccess: async () => {
        toast.success("Member removed");
        await refresh();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const isAdmin = hasRole(role, "ADMIN");

  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Members</CardTitle>
      </CardHeader>
      <CardContent>
        {members.isPending ? (
          <p className="text-sm text-muted-foreground">Loading members…</p>
        ) : members.isError ? (
          <p role="alert" className="text-sm text-destructive">
            {members.error.message}
          </p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Member</TableHead>
                <TableHead>Role</TableHead>
                <TableHead className="hidden sm:table-cell">Joined</TableHead>
                <TableHead className="w-12">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.data.map((m) => {
                const who = m.user.name ?? m.user.email;
                const mayEdit = isAdmin && !m.isYou && (role === "OWNER" || m.role !== "OWNER");
                return (
                  <TableRow key={m.id} data-testid={`member-${m.user.email}`}>
                    <TableCell>
                      <div className="font-medium">
                        {who}
                        {m.isYou && <Badge variant="outline" className="ml-2">you</Badge>}
                      </div>
                      <div className="text-xs text-muted-foreground">{m.user.email}</div>
                    </TableCell>
                    <TableCell>
                      {mayEdit ? (
                        <NativeSelect
                          aria-label={`Role of ${m.user.email}`}
                          className="w-32"
                          value={m.role}
                          disabled={changeRole.isPending}
                          onChange={(e) => changeRole.mutate({ orgSlug, memberId: m.id, role: e.target.value as Role })}
                        >
                          {assignableRoles(role).map((r) => (
                            <option key={r} value={r}>
                              {roleLabel[r]}
                            </option>
                          ))}
                        </NativeSelect>
                      ) : (
                        <Badge variant={m.role === "OWNER" ? "default" : "secondary"}>{roleLabel[m.role]}</Badge>
                      )}
                    </TableCell>
                    <TableCell className="hidden text-sm text-muted-foreground sm:table-cell">{dateFmt.format(m.joinedAt)}</TableCell>
                    <TableCell>
                      {mayEdit && (
                        <AlertDialog>
                          <AlertDialogTrigger asChild>
                            <Button variant="ghost" size="icon" aria-label={`Remove ${m.user.email}`}>
                              <Trash2 />
                            </Button>
                          </AlertDialogTrigger>
                          <AlertDialogContent>
                            <AlertDialogHeader>
                              <AlertDialogTitle>Remove {who}?</AlertDialogTitle>
                              <AlertDialogDescription>
                                {m.user.email} loses access to this organization at once. You can invite them again later.
                              </AlertDialogDescription>
                            </AlertDialogHeader>
                            <AlertDialogFooter>
                              <AlertDialogCancel>Cancel</AlertDialogCancel>
                              <AlertDialogAction onClick={() => remove.mutate({ orgSlug, memberId: m.id })}>Remove</AlertDialogAction>
                            </AlertDialogFooter>
                          </AlertDialogContent>
                        </AlertDialog>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function InvitationsTable({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.invitation.list.queryOptions({ orgSlug }));
  const revoke = useMutation(
    trpc.invitation.revoke.mutationOptions({
      onSuccess: async () => {
        toast.success("Invitation revoked");
        await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey({ orgSlug }) });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  if (!invitations.data?.length) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Open invitations</CardTitle>
      </CardHeader>
      <CardContent>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Email</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="hidden sm:table-cell">Expires</TableHead>
              <TableHead className="w-12">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {invitations.data.map((inv) => (
              <TableRow key={inv.id}>
                <TableCell>{inv.email}</TableCell>
                <TableCell>{roleLabel[inv.role]}</TableCell>
                <TableCell>
                  <Badge variant={inv.status === "expired" ? "destructive" : "secondary"}>{inv.status}</Badge>
                </TableCell>
                <TableCell className="hidden text-sm text-muted-foreground sm:table-cell">{dateFmt.format(inv.expiresAt)}</TableCell>
                <TableCell>
                  <Button variant="ghost" size="icon" aria-label={`Revoke invitation for ${inv.email}`} onClick={() => revoke.mutate({ orgSlug, invitationId: inv.id })}>
                    <Trash2 />
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
