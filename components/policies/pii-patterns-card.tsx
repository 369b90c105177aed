"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fingerprint, Loader2, Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
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
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { MAX_CUSTOM_MATCH_LENGTH, MAX_NAME_LENGTH, MAX_PATTERN_LENGTH } from "@/server/policies/pii/limits";
import type { PiiPatternView } from "@/server/policies/pii-patterns/schema";

const FIELDS = ["name", "pattern", "description"] as const;

/** The organization's own PII kinds: listed for everyone, added, edited and deleted by admins. */
export function PiiPatternsCard({ orgSlug, canEdit }: { orgSlug: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const patterns = useQuery(trpc.piiPattern.list.queryOptions({ orgSlug }));
  /** The pattern being edited, "new" while adding one, null when the dialog is closed. */
  const [editing, setEditing] = useState<PiiPatternView | "new" | null>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.piiPattern.list.queryKey({ orgSlug }) });
  const remove = useMutation(
    trpc.piiPattern.delete.mutationOptions({
      onSuccess: async () => {
        toast.success("Pattern deleted");
        await invalidate();
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <section aria-labelledby="pii-patterns-title" aria-busy={patterns.isFetching || undefined}>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 id="pii-patterns-title" className="text-base">
              PII patterns
            </h2>
          </CardTitle>
          <CardDescription>
            Your own kinds of personal data, found with an{" "}
            <a className="underline underline-offset-2" href="https://github.com/google/re2/wiki/Syntax" target="_blank" rel="noreferrer">
              RE2 pattern
            </a>
            . REDACT policies mask them by name, like EMAIL, PHONE, CARD, IBAN, SSN and IP — in streamed answers too, so every repetition needs a bound
            (<code className="font-mono text-xs">{"[0-9]{6}"}</code>, not <code className="font-mono text-xs">[0-9]+</code>).
          </CardDescription>
          {canEdit && (
            <CardAction>
              <Button size="sm" onClick={() => setEditing("new")}>
                <Plus aria-hidden="true" />
                Add pattern
              </Button>
            </CardAction>
          )}
        </CardHeader>
        <CardContent>
          {patterns.isPending ? (
            <div role="status" aria-label="Loading PII patterns" className="grid gap-2">
              <Skeleton className="h-6 w-full" />
              <Skeleton className="h-6 w-full" />
            </div>
          ) : patterns.isError ? (
            <Alert variant="destructive">
              <AlertTitle>The PII patterns could not be loaded</AlertTitle>
              <AlertDescription>
                <p>{patterns.error.message}</p>
                <Button variant="outline" size="sm" onClick={() => void patterns.refetch()}>
                  Try again
                </Button>
              </AlertDescription>
            </Alert>
          ) : patterns.data.length === 0 ? (
            <EmptyState
              icon={Fingerprint}
              titleAs="h3"
              title="No PII patterns yet"
              description={canEdit ? "Add one for identifiers only your organization has, such as employee or case numbers." : "Admins can add patterns for identifiers only your organization has."}
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Name</TableHead>
                  <TableHead>Pattern</TableHead>
                  <TableHead className="hidden md:table-cell">Used by</TableHead>
                  {canEdit && (
                    <TableHead className="w-24">
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  )}
                </TableRow>
              </TableHeader>
              <TableBody>
                {patterns.data.map((p) => (
                  <TableRow key={p.id} data-testid={`pii-pattern-${p.name}`}>
                    <TableCell className="align-top">
                      <div className="grid gap-0.5">
                        <code className="font-mono text-sm font-medium">{p.name}</code>
                        {p.description && <span className="max-w-72 text-xs whitespace-normal text-muted-foreground">{p.description}</span>}
                      </div>
                    </TableCell>
                    <TableCell className="align-top">
                      <div className="grid gap-0.5">
                        <code className="max-w-96 font-mono text-xs break-all whitespace-normal">{p.pattern}</code>
                        <span className="text-xs text-muted-foreground">
                          {p.maxLength === null ? "No longer compiles; edit it" : `Matches at most ${p.maxLength} characters`}
                        </span>
                      </div>
                    </TableCell>
                    <TableCell className="hidden align-top text-xs whitespace-normal md:table-cell">
                      {p.usedBy.length === 0 ? (
                        <span className="text-muted-foreground">No policy</span>
                      ) : (
                        <div className="flex flex-wrap gap-1">
                          {p.usedBy.map((name) => (
                            <Badge key={name} variant="outline">
                              {name}
                            </Badge>
                          ))}
                        </div>
                      )}
                    </TableCell>
                    {canEdit && (
                      <TableCell className="align-top">
                        <div className="flex gap-1">
                          <Button variant="ghost" size="icon" aria-label={`Edit ${p.name}`} onClick={() => setEditing(p)}>
                            <Pencil />
                          </Button>
                          <DeletePattern pattern={p} pending={remove.isPending} onDelete={() => remove.mutate({ orgSlug, patternId: p.id })} />
                        </div>
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)}>
        <DialogContent>
          {editing !== null && (
            <PatternForm
              // A fresh form (and fresh errors) for each pattern opened.
              key={editing === "new" ? "new" : editing.id}
              orgSlug={orgSlug}
              pattern={editing === "new" ? null : editing}
              onSaved={async (saved, created) => {
                toast.success(created ? `${saved.name} added` : `${saved.name} saved`, { description: "The gateway applies it within seconds." });
                setEditing(null);
                await invalidate();
              }}
              onCancel={() => setEditing(null)}
            />
          )}
        </DialogContent>
      </Dialog>
    </section>
  );
}

function DeletePattern({ pattern, pending, onDelete }: { pattern: PiiPatternView; pending: boolean; onDelete: () => void }) {
  const inUse = pattern.usedBy.length > 0;
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Delete ${pattern.name}`} disabled={pending}>
          <Trash2 />
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{inUse ? `${pattern.name} is in use` : `Delete ${pattern.name}?`}</AlertDialogTitle>
          <AlertDialogDescription>
            {inUse
              ? `The ${pattern.usedBy.length === 1 ? "policy" : "policies"} ${pattern.usedBy.map((n) => `“${n}”`).join(", ")} mask ${pattern.name}. Remove it from ${pattern.usedBy.length === 1 ? "that policy" : "them"} first, so nothing stops being masked unnoticed.`
              : `Text matching ${pattern.pattern} is no longer recognised as ${pattern.name}. This cannot be undone.`}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>{inUse ? "Close" : "Cancel"}</AlertDialogCancel>
          {!inUse && (
            <AlertDialogAction className={buttonVariants({ variant: "destructive" })} onClick={onDelete}>
              Delete pattern
            </AlertDialogAction>
          )}
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function PatternForm({
  orgSlug,
  pattern,
  onSaved,
  onCancel,
}: {
  orgSlug: string;
  pattern: PiiPatternView | null;
  onSaved: (saved: PiiPatternView, created: boolean) => Promise<void>;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState(pattern?.name ?? "");
  const [source, setSource] = useState(pattern?.pattern ?? "");
  const [description, setDescription] = useState(pattern?.description ?? "");
  const create = useMutation(trpc.piiPattern.create.mutationOptions({ onSuccess: (saved) => onSaved(saved, true) }));
  const update = useMutation(trpc.piiPattern.update.mutationOptions({ onSuccess: (saved) => onSaved(saved, false) }));
  const save = pattern ? update : create;
  const errors = placeErrors(save.error, FIELDS, "form");
  const renameLocked = pattern !== null && pattern.usedBy.length > 0;

  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const input = { orgSlug, name: name.trim(), pattern: source, description: description.trim() || null };
        if (pattern) update.mutate({ ...input, patternId: pattern.id });
        else create.mutate(input);
      }}
    >
      <DialogHeader>
        <DialogTitle>{pattern ? `Edit ${pattern.name}` : "Add a PII pattern"}</DialogTitle>
        <DialogDescription>Checked when you save: valid RE2, never matching empty text, at most {MAX_CUSTOM_MATCH_LENGTH} characters per match.</DialogDescription>
      </DialogHeader>
      <FormField
        label="Name"
        required
        error={errors.name}
        description={renameLocked ? `Used by ${pattern.usedBy.join(", ")}: the name stays while policies mask it.` : "UPPER_SNAKE_CASE, as policies name it, e.g. EMPLOYEE_ID."}
      >
        <Input
          name="piiPatternName"
          value={name}
          onChange={(e) => setName(e.target.value.toUpperCase())}
          maxLength={MAX_NAME_LENGTH}
          autoComplete="off"
          spellCheck={false}
          readOnly={renameLocked}
          className="font-mono"
          placeholder="EMPLOYEE_ID"
        />
      </FormField>
      <FormField label="Pattern" required error={errors.pattern} description="RE2 syntax; (?i) at the start ignores case.">
        <Input
          name="piiPattern"
          value={source}
          onChange={(e) => setSource(e.target.value)}
          maxLength={MAX_PATTERN_LENGTH}
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
          placeholder="EMP-[0-9]{6}"
        />
      </FormField>
      <FormField label="Description" error={errors.description}>
        <Textarea name="piiPatternDescription" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} rows={2} placeholder="What it identifies, and where it appears" />
      </FormField>
      {errors.form && (
        <p role="alert" className="text-sm text-destructive">
          {errors.form}
        </p>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending && <Loader2 aria-hidden="true" className="animate-spin" />}
          {pattern ? "Save" : "Add pattern"}
        </Button>
      </DialogFooter>
    </form>
  );
}
