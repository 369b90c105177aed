"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Loader2, Plus } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { DisabledAction } from "@/components/agents/disabled-action";
import { placeErrors } from "@/components/agents/form-errors";
import { formatDay } from "@/components/marketplace/format";
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
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import type { PublisherView } from "@/server/marketplace/schema";
import { revokeConsequences, type PublisherKey } from "./publisher-model";

const GENERATE_COMMAND = "npm run marketplace:sign -- --generate-key private.pem";

/** The publisher's signing keys: the public halves of the keys its versions are signed with. */
export function KeysCard({ orgSlug, publisher, canEdit, readOnlyReason }: { orgSlug: string; publisher: PublisherView; canEdit: boolean; readOnlyReason: string }) {
  const addButton = canEdit ? (
    <AddKeyDialog orgSlug={orgSlug} />
  ) : (
    <DisabledAction reason={readOnlyReason}>
      <Plus aria-hidden="true" />
      Add key
    </DisabledAction>
  );
  return (
    <section aria-labelledby="signing-keys-heading">
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 id="signing-keys-heading" className="text-base">
              Signing keys
            </h2>
          </CardTitle>
          <CardDescription>
            Every version {publisher.displayName} publishes is signed with the ed25519 private key of one of these keys, and installs check the signature. The marketplace keeps only
            the public keys; the private keys stay with you.
          </CardDescription>
          {publisher.keys.length > 0 && <CardAction>{addButton}</CardAction>}
        </CardHeader>
        <CardContent>
          {publisher.keys.length === 0 ? (
            <EmptyState
              icon={KeyRound}
              titleAs="h3"
              title="No signing keys yet"
              description={
                <>
                  Make a key pair, for example with <code className="font-mono">{GENERATE_COMMAND}</code>, and add its public key here before publishing a version.
                </>
              }
              action={addButton}
            />
          ) : (
            <KeysTable orgSlug={orgSlug} keys={publisher.keys} canEdit={canEdit} />
          )}
        </CardContent>
      </Card>
    </section>
  );
}

function KeysTable({ orgSlug, keys, canEdit }: { orgSlug: string; keys: PublisherView["keys"]; canEdit: boolean }) {
  return (
    <Table>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Key</TableHead>
          <TableHead className="hidden sm:table-cell">Added</TableHead>
          <TableHead className="hidden text-right md:table-cell">Versions signed</TableHead>
          <TableHead>Status</TableHead>
          {canEdit && (
            <TableHead className="w-24">
              <span className="sr-only">Actions</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((k) => (
          <TableRow key={k.keyId} data-testid={`publisher-key-${k.keyId}`}>
            <TableCell className="align-top whitespace-normal">
              <div className="grid gap-0.5">
                <span className="font-medium">{k.label ?? <span className="text-muted-foreground">No label</span>}</span>
                <code className="font-mono text-xs break-all text-muted-foreground">{k.keyId}</code>
              </div>
            </TableCell>
            <TableCell className="hidden align-top text-xs sm:table-cell">{formatDay(k.createdAt)}</TableCell>
            <TableCell className="hidden text-right align-top text-xs tabular-nums md:table-cell">{k.signedVersions}</TableCell>
            <TableCell className="align-top">
              {k.revokedAt ? <Badge variant="destructive">Revoked {formatDay(k.revokedAt)}</Badge> : <Badge variant="success">In use</Badge>}
            </TableCell>
            {canEdit && <TableCell className="align-top text-right">{k.revokedAt === null && <RevokeKeyButton orgSlug={orgSlug} signingKey={k} keys={keys} />}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function RevokeKeyButton({ orgSlug, signingKey, keys }: { orgSlug: string; signingKey: PublisherKey; keys: PublisherView["keys"] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const name = signingKey.label ?? signingKey.keyId;
  const revoke = useMutation(
    trpc.marketplace.publisher.revokeKey.mutationOptions({
      onSuccess: (publisher) => {
        queryClient.setQueryData(trpc.marketplace.publisher.get.queryKey({ orgSlug }), publisher);
        toast.success(`Key ${name} revoked`, {
          description: signingKey.signedVersions ? "The versions it signed can no longer be installed; publish new ones signed with a current key." : "It can no longer sign versions.",
        });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm" disabled={revoke.isPending} aria-label={`Revoke key ${name}`}>
          {revoke.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          Revoke
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke key {name}?</AlertDialogTitle>
          <AlertDialogDescription asChild>
            <div className="grid gap-2">
              <code className="font-mono text-xs break-all">{signingKey.keyId}</code>
              <ul className="grid list-disc gap-1 pl-5">
                {revokeConsequences(signingKey, keys).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
              <p>Revoke a key when its private key may have leaked or is no longer used.</p>
            </div>
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction className={buttonVariants({ variant: "destructive" })} onClick={() => revoke.mutate({ orgSlug, signingKeyId: signingKey.keyId })}>
            Revoke key
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

const KEY_FIELDS = ["publicKey", "label"] as const;

function AddKeyDialog({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [publicKey, setPublicKey] = useState("");
  const [label, setLabel] = useState("");
  const add = useMutation(
    trpc.marketplace.publisher.addKey.mutationOptions({
      onSuccess: (publisher) => {
        queryClient.setQueryData(trpc.marketplace.publisher.get.queryKey({ orgSlug }), publisher);
        const added = publisher.keys.at(-1);
        toast.success("Signing key added", { description: added ? `Sign versions with it and name it as ${added.keyId}.` : undefined });
        setOpen(false);
        setPublicKey("");
        setLabel("");
      },
    }),
  );
  const errors = placeErrors(add.error, KEY_FIELDS, "form");

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) add.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline">
          <Plus aria-hidden="true" />
          Add key
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Add a signing key</DialogTitle>
          <DialogDescription>
            Paste an ed25519 public key: the base64 line <code className="font-mono">{GENERATE_COMMAND}</code> prints, or a PEM &quot;BEGIN PUBLIC KEY&quot; block. Never paste the
            private key.
          </DialogDescription>
        </DialogHeader>
        <form
          noValidate
          aria-busy={add.isPending || undefined}
          className="grid gap-5"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ orgSlug, publicKey, label: label.trim() || null });
          }}
        >
          {errors.form && (
            <Alert variant="destructive">
              <AlertTitle>The key was not added</AlertTitle>
              <AlertDescription>{errors.form}</AlertDescription>
            </Alert>
          )}
          <FormField label="Public key" required error={errors.publicKey}>
            <Textarea name="publicKey" value={publicKey} onChange={(e) => setPublicKey(e.target.value)} rows={4} spellCheck={false} autoComplete="off" className="font-mono text-xs" disabled={add.isPending} />
          </FormField>
          <FormField label="Label" error={errors.label} description="Optional. Where the private key lives, e.g. release CI or Ann's laptop.">
            <Input name="label" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} autoComplete="off" disabled={add.isPending} />
          </FormField>
          <DialogFooter>
            <Button type="button" variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={add.isPending}>
              {add.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
              {add.isPending ? "Adding…" : "Add key"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
