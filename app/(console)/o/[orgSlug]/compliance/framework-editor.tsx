"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ClipboardList, Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { ComplianceStatusBadge } from "@/components/compliance/status-badge";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { CheckKey } from "@/server/compliance/check-keys";
import type { CheckResultView, ControlView, FrameworkView } from "@/server/compliance/schema";

/** Admins' editor for the organization's own frameworks: controls mapped onto the automated checks. */
export function FrameworkEditor({ orgSlug, frameworks, checks }: { orgSlug: string; frameworks: FrameworkView[]; checks: CheckResultView[] }) {
  return (
    <div className="grid gap-6">
      <CreateFrameworkForm orgSlug={orgSlug} />
      {frameworks.length === 0 ? (
        <EmptyState
          icon={ClipboardList}
          titleAs="h3"
          title="No frameworks of your own yet"
          description="Create one above for an internal policy or a standard that is not built in, then map its controls to the automated checks."
        />
      ) : (
        frameworks.map((f) => <FrameworkCard key={f.key} orgSlug={orgSlug} framework={f} checks={checks} />)
      )}
    </div>
  );
}

function useInvalidateOverview(orgSlug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.compliance.overview.queryKey({ orgSlug }) });
}

function CreateFrameworkForm({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateOverview(orgSlug);
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(
    trpc.compliance.createFramework.mutationOptions({
      onSuccess: async (f) => {
        toast.success(`Framework “${f.name}” created (key ${f.key})`);
        setName("");
        setKey("");
        setDescription("");
        await invalidate();
      },
    }),
  );
  const errors = placeErrors(create.error, ["name", "key", "description"] as const, "form");
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="text-base">New framework</h2>
        </CardTitle>
        <CardDescription>Built-in frameworks cannot be changed; your own sit next to them on this page, in the report and in the export.</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          noValidate
          className="grid gap-4 sm:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ orgSlug, name, ...(key.trim() ? { key: key.trim() } : {}), ...(description.trim() ? { description } : {}) });
          }}
        >
          <FormField label="Name" required error={errors.name}>
            <Input name="frameworkName" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" placeholder="ACME security baseline" />
          </FormField>
          <FormField label="Key" description="Lowercase letters, digits and dashes; made from the name when empty." error={errors.key}>
            <Input name="frameworkKey" value={key} onChange={(e) => setKey(e.target.value)} maxLength={40} autoComplete="off" placeholder="acme-baseline" />
          </FormField>
          <FormField label="Description" className="sm:col-span-2" error={errors.description}>
            <Textarea name="frameworkDescription" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} rows={2} />
          </FormField>
          <div className="flex items-center gap-3 sm:col-span-2">
            <Button type="submit" disabled={create.isPending}>
              <Plus aria-hidden="true" />
              Create framework
            </Button>
            {errors.form && (
              <p role="alert" className="text-sm text-destructive">
                {errors.form}
              </p>
            )}
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

function FrameworkCard({ orgSlug, framework, checks }: { orgSlug: string; framework: FrameworkView; checks: CheckResultView[] }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateOverview(orgSlug);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(framework.name);
  const [description, setDescription] = useState(framework.description ?? "");
  const [control, setControl] = useState<ControlView | "new" | null>(null);
  const update = useMutation(
    trpc.compliance.updateFramework.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await invalidate();
      },
    }),
  );
  const remove = useMutation(
    trpc.compliance.deleteFramework.mutationOptions({
      onSuccess: async () => {
        toast.success(`Framework “${framework.name}” deleted`);
        await invalidate();
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const removeControl = useMutation(
    trpc.compliance.deleteControl.mutationOptions({ onSuccess: () => invalidate(), onError: (error) => toast.error(error.message) }),
  );
  const errors = placeErrors(update.error, ["name", "description"] as const, "form");
  const headingId = `custom-${framework.key}`;

  return (
    <Card aria-labelledby={headingId}>
      <CardHeader>
        {editing ? (
          <form
            noValidate
            className="grid gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ orgSlug, frameworkKey: framework.key, name, description });
            }}
          >
            <FormField label="Name" required error={errors.name}>
              <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
            </FormField>
            <FormField label="Description" error={errors.description}>
              <Textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} rows={2} />
            </FormField>
            {errors.form && (
              <p role="alert" className="text-sm text-destructive">
                {errors.form}
              </p>
            )}
            <div className="flex gap-2">
              <Button type="submit" size="sm" disabled={update.isPending}>
                Save
              </Button>
              <Button type="button" size="sm" variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div>
              <CardTitle>
                <h3 id={headingId} className="text-base">
                  {framework.name} <code className="ml-1 font-mono text-xs font-normal text-muted-foreground">{framework.key}</code>
                </h3>
              </CardTitle>
              {framework.description && <CardDescription>{framework.description}</CardDescription>}
            </div>
            <div className="flex gap-1">
              <Button
                variant="outline"
                size="sm"
                onClick={() => {
                  setName(framework.name);
                  setDescription(framework.description ?? "");
                  setEditing(true);
                }}
              >
                <Pencil aria-hidden="true" />
                Edit
              </Button>
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Delete ${framework.name}`}
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Delete the framework “${framework.name}” and its ${framework.controls.length} controls?`)) {
                    remove.mutate({ orgSlug, frameworkKey: framework.key });
                  }
                }}
              >
                <Trash2 />
              </Button>
            </div>
          </div>
        )}
      </CardHeader>
      <CardContent className="grid gap-4">
        {framework.controls.length > 0 && (
          <ul className="grid gap-2">
            {framework.controls.map((c) => (
              <li key={c.controlId} className="flex flex-wrap items-start justify-between gap-2 rounded-md border p-3">
                <div className="min-w-0">
                  <p className="text-sm">
                    <code className="mr-2 font-mono text-xs">{c.controlId}</code>
                    <span className="font-medium">{c.title}</span>
                  </p>
                  <p className="text-xs text-muted-foreground">{c.checks.length ? c.checks.map((k) => k.key).join(", ") : "No automated check (manual)"}</p>
                </div>
                <div className="flex items-center gap-1">
                  <ComplianceStatusBadge status={c.status} />
                  <Button variant="ghost" size="icon" aria-label={`Edit control ${c.controlId}`} onClick={() => setControl(c)}>
                    <Pencil />
                  </Button>
                  <Button
                    variant="ghost"
                    size="icon"
                    aria-label={`Remove control ${c.controlId}`}
                    disabled={removeControl.isPending}
                    onClick={() => {
                      if (window.confirm(`Remove the control ${c.controlId} from ${framework.name}?`)) {
                        removeControl.mutate({ orgSlug, frameworkKey: framework.key, code: c.controlId });
                      }
                    }}
                  >
                    <Trash2 />
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        )}
        {control === null ? (
          <div>
            <Button variant="outline" size="sm" onClick={() => setControl("new")}>
              <Plus aria-hidden="true" />
              Add control
            </Button>
          </div>
        ) : (
          <ControlForm
            key={control === "new" ? "new" : control.controlId}
            orgSlug={orgSlug}
            frameworkKey={framework.key}
            control={control === "new" ? null : control}
            checks={checks}
            onDone={() => setControl(null)}
          />
        )}
      </CardContent>
    </Card>
  );
}

function ControlForm({
  orgSlug,
  frameworkKey,
  control,
  checks,
  onDone,
}: {
  orgSlug: string;
  frameworkKey: string;
  control: ControlView | null;
  checks: CheckResultView[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateOverview(orgSlug);
  const [code, setCode] = useState(control?.controlId ?? "");
  const [title, setTitle] = useState(control?.title ?? "");
  const [description, setDescription] = useState(control?.description ?? "");
  const [selected, setSelected] = useState<Set<CheckKey>>(new Set(control?.checks.map((c) => c.key) ?? []));
  const save = useMutation(
    trpc.compliance.upsertControl.mutationOptions({
      onSuccess: async () => {
        toast.success(control ? `Control ${code} saved` : `Control ${code} added`);
        await invalidate();
        onDone();
      },
    }),
  );
  const errors = placeErrors(save.error, ["code", "title", "description", "checks"] as const, "form");
  const toggle = (key: CheckKey, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  return (
    <form
      noValidate
      aria-label={control ? `Edit control ${control.controlId}` : "New control"}
      className="grid gap-4 rounded-md border p-4 sm:grid-cols-[12rem_1fr]"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ orgSlug, frameworkKey, code, title, description, checks: checks.map((c) => c.key).filter((k) => selected.has(k)) });
      }}
    >
      <FormField label="Control ID" required error={errors.code} description={control ? "Fixed: remove the control and add it again to change it." : undefined}>
        <Input value={code} onChange={(e) => setCode(e.target.value)} readOnly={control !== null} maxLength={40} autoComplete="off" placeholder="ACME-4.2" />
      </FormField>
      <FormField label="Title" required error={errors.title}>
        <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={160} autoComplete="off" />
      </FormField>
      <FormField label="Description" className="sm:col-span-2" error={errors.description}>
        <Textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} rows={2} />
      </FormField>
      <fieldset className="grid gap-2 sm:col-span-2">
        <legend className="mb-1 text-sm font-medium">Automated checks that give evidence</legend>
        <div className="grid gap-2 md:grid-cols-2">
          {checks.map((c) => (
            <label key={c.key} className="flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-0.5 size-4 accent-primary" checked={selected.has(c.key)} onChange={(e) => toggle(c.key, e.target.checked)} />
              <span>
                {c.title}
                <span className="block font-mono text-xs text-muted-foreground">{c.key}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.checks && (
          <p role="alert" className="text-sm text-destructive">
            {errors.checks}
          </p>
        )}
      </fieldset>
      <div className="flex items-center gap-2 sm:col-span-2">
        <Button type="submit" size="sm" disabled={save.isPending}>
          {control ? "Save control" : "Add control"}
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        {errors.form && (
          <p role="alert" className="text-sm text-destructive">
            {errors.form}
          </p>
        )}
      </div>
    </form>
  );
}
