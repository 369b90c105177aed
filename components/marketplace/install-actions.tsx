"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowUpCircle, Loader2, Settings2, Trash2 } from "lucide-react";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { EnabledSwitch } from "@/components/policies/enabled-switch";
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
import { Button, buttonVariants } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import type { InstallView } from "@/server/marketplace/installs/schema";
import { ConfigFields } from "./config-fields";
import { carryDrafts, configErrorPaths, configFields, initialDrafts, readConfig, readConfigSchema, type ConfigDrafts } from "./config-form";
import { upgradeTargets, type FailMode } from "./install-model";
import { FailModeField, RouteScopeField } from "./plugin-scope-fields";

type Install = Pick<InstallView, "id" | "listing" | "version" | "latestVersion" | "enabled" | "failMode" | "routeIds" | "config" | "secretsSet">;

/** After a change to one install: its list and its own query, nothing else. */
function useInvalidateInstall(orgSlug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async (installId: string) => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.marketplace.install.list.queryKey({ orgSlug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.marketplace.install.get.queryKey({ orgSlug, installId }) }),
    ]);
  };
}

const dialogClass = "max-h-[90dvh] overflow-y-auto sm:max-w-2xl";

/** Switches an install on or off; off, the gateway skips the plugin (a pack's policies are switched with it). */
export function InstallEnabledSwitch({ orgSlug, install }: { orgSlug: string; install: Install }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateInstall(orgSlug);
  const update = useMutation(
    trpc.marketplace.install.update.mutationOptions({
      onSuccess: async (updated) => {
        toast.success(updated.enabled ? `${updated.listing.name} enabled` : `${updated.listing.name} disabled`, {
          description: updated.enabled ? "The gateway applies it again within a second." : "The gateway no longer applies it.",
        });
        await invalidate(updated.id);
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <EnabledSwitch
      label={`${install.listing.name} enabled`}
      checked={update.isPending ? Boolean(update.variables.enabled) : install.enabled}
      disabled={update.isPending}
      onChange={(enabled) => update.mutate({ orgSlug, installId: install.id, enabled })}
    />
  );
}

export function UninstallButton({ orgSlug, install }: { orgSlug: string; install: Install }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.marketplace.install.uninstall.mutationOptions({
      onSuccess: async () => {
        toast.success(`${install.listing.name} uninstalled`);
        queryClient.removeQueries({ queryKey: trpc.marketplace.install.get.queryKey({ orgSlug, installId: install.id }) });
        await queryClient.invalidateQueries({ queryKey: trpc.marketplace.install.list.queryKey({ orgSlug }) });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const isPack = install.listing.kind === "POLICY_PACK";
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="ghost" size="sm" disabled={remove.isPending} className="text-destructive hover:text-destructive">
          {remove.isPending ? <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" /> : <Trash2 aria-hidden="true" />}
          Uninstall<span className="sr-only"> {install.listing.name}</span>
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Uninstall {install.listing.name}?</AlertDialogTitle>
          <AlertDialogDescription>
            {isPack
              ? "Its policies are deleted and the gateway stops applying them within a second."
              : "The gateway stops calling it within a second. Its configuration, secrets included, is deleted."}{" "}
            The audit log keeps the record. You can install it again from the marketplace.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep it</AlertDialogCancel>
          <AlertDialogAction className={buttonVariants({ variant: "destructive" })} onClick={() => remove.mutate({ orgSlug, installId: install.id })}>
            Uninstall
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function LoadingForm() {
  return (
    <div role="status" aria-label="Loading" className="grid gap-3">
      <Skeleton className="h-9 w-full" />
      <Skeleton className="h-9 w-full" />
      <Skeleton className="h-9 w-2/3" />
    </div>
  );
}

/** Edits an install's configuration and, for gateway plugins, its routes and fail mode. */
export function ConfigureDialog({ orgSlug, install, routes }: { orgSlug: string; install: Install; routes: { id: string; name: string; alias: string; enabled: boolean }[] | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm">
          <Settings2 aria-hidden="true" />
          Configure<span className="sr-only"> {install.listing.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent className={dialogClass}>
        {/* Mounted only while open: a fresh form from the saved state each time. */}
        {open && <ConfigureForm orgSlug={orgSlug} install={install} routes={routes} onDone={() => setOpen(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function ConfigureForm({ orgSlug, install, routes, onDone }: { orgSlug: string; install: Install; routes: { id: string; name: string; alias: string; enabled: boolean }[] | undefined; onDone: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateInstall(orgSlug);
  const isPlugin = install.listing.kind === "GATEWAY_PLUGIN";
  const detail = useQuery(trpc.marketplace.install.get.queryOptions({ orgSlug, installId: install.id }));
  const schema = useMemo(() => (detail.data ? readConfigSchema({ configSchema: detail.data.configSchema }) : null), [detail.data]);
  const fields = useMemo(() => configFields(schema), [schema]);
  const [edited, setEdited] = useState<ConfigDrafts>({});
  const drafts = useMemo(() => ({ ...initialDrafts(fields, install.config), ...edited }), [fields, install.config, edited]);
  const [allRoutes, setAllRoutes] = useState(install.routeIds.length === 0);
  const [selected, setSelected] = useState(() => new Set(install.routeIds));
  const [failMode, setFailMode] = useState<FailMode>(install.failMode ?? "open");
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const update = useMutation(
    trpc.marketplace.install.update.mutationOptions({
      onSuccess: async (updated) => {
        toast.success(`${updated.listing.name} saved`, { description: "The gateway applies the change within a second." });
        await invalidate(updated.id);
        onDone();
      },
    }),
  );
  const serverErrors = placeErrors(update.error, ["routeIds", "failMode", ...configErrorPaths(fields)], "form");
  const configErrors: Record<string, string | undefined> = { ...localErrors };
  for (const f of fields) configErrors[f.name] ??= serverErrors[`config.${f.name}`];

  return (
    <form
      noValidate
      aria-label={`Configure ${install.listing.name}`}
      className="grid gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        const read = readConfig(schema, drafts, install.secretsSet);
        if (!read.ok) {
          setLocalErrors(read.errors);
          return;
        }
        setLocalErrors({});
        update.mutate({
          orgSlug,
          installId: install.id,
          config: read.config,
          ...(isPlugin ? { routeIds: allRoutes ? [] : [...selected], failMode } : {}),
        });
      }}
    >
      <DialogHeader>
        <DialogTitle>Configure {install.listing.name}</DialogTitle>
        <DialogDescription>Version {install.version}. Changes apply to the next request through the gateway.</DialogDescription>
      </DialogHeader>
      {detail.isPending ? (
        <LoadingForm />
      ) : detail.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{detail.error.message}</AlertDescription>
        </Alert>
      ) : fields.length === 0 ? (
        <p className="text-sm text-muted-foreground">This version has no configuration.</p>
      ) : (
        <ConfigFields
          fields={fields}
          drafts={drafts}
          errors={configErrors}
          secretsSet={install.secretsSet}
          disabled={update.isPending}
          onChange={(name, value) => {
            setEdited((prev) => ({ ...prev, [name]: value }));
            setLocalErrors(({ [name]: _dropped, ...rest }) => rest);
          }}
        />
      )}
      {isPlugin && (
        <>
          <RouteScopeField
            orgSlug={orgSlug}
            routes={routes}
            allRoutes={allRoutes}
            selected={selected}
            onAllRoutes={setAllRoutes}
            onToggle={(id, checked) =>
              setSelected((prev) => {
                const next = new Set(prev);
                if (checked) next.add(id);
                else next.delete(id);
                return next;
              })
            }
            error={serverErrors.routeIds}
            disabled={update.isPending}
          />
          <FailModeField value={failMode} onChange={setFailMode} error={serverErrors.failMode} disabled={update.isPending} />
        </>
      )}
      {serverErrors.form && (
        <Alert variant="destructive">
          <AlertTitle>Not saved</AlertTitle>
          <AlertDescription>{serverErrors.form}</AlertDescription>
        </Alert>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={update.isPending || !detail.data || (isPlugin && !allRoutes && selected.size === 0)}>
          {update.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          Save
        </Button>
      </DialogFooter>
    </form>
  );
}

/** Moves an install to a newer version: the changelogs in between, what changes in the configuration, then the form for the new version. */
export function UpgradeDialog({ orgSlug, install }: { orgSlug: string; install: Install }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <ArrowUpCircle aria-hidden="true" />
          Upgrade<span className="sr-only"> {install.listing.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent className={dialogClass}>{open && <UpgradeForm orgSlug={orgSlug} install={install} onDone={() => setOpen(false)} />}</DialogContent>
    </Dialog>
  );
}

function ChangeList({ label, names }: { label: string; names: string[] }) {
  if (!names.length) return null;
  return (
    <li>
      <span className="font-medium">{label}:</span> {names.join(", ")}
    </li>
  );
}

function UpgradeForm({ orgSlug, install, onDone }: { orgSlug: string; install: Install; onDone: () => void }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateInstall(orgSlug);
  const detail = useQuery(trpc.marketplace.install.get.queryOptions({ orgSlug, installId: install.id }));
  const targets = useMemo(() => (detail.data ? upgradeTargets(detail.data.availableVersions, install.version) : []), [detail.data, install.version]);
  const [picked, setPicked] = useState<string | null>(null);
  const target = picked ?? targets[0]?.version ?? null;

  const preview = useQuery({ ...trpc.marketplace.install.preview.queryOptions({ orgSlug, installId: install.id, version: target ?? "" }), enabled: target !== null });
  const manifest = useQuery({ ...trpc.marketplace.version.get.queryOptions({ listingSlug: install.listing.slug, version: target ?? undefined }), enabled: target !== null });
  const schema = useMemo(() => readConfigSchema(manifest.data?.resolvedManifest), [manifest.data]);
  const fields = useMemo(() => configFields(schema), [schema]);
  const [edited, setEdited] = useState<ConfigDrafts>({});
  // The current values carry over by name; secrets stay stored unless a new value is typed.
  const drafts = useMemo(() => carryDrafts(fields, { ...initialDrafts(fields, install.config), ...edited }), [fields, install.config, edited]);
  const keepSecrets = install.secretsSet.filter((name) => fields.some((f) => f.name === name && f.control.kind === "text" && f.control.secret));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const upgrade = useMutation(
    trpc.marketplace.install.upgrade.mutationOptions({
      onSuccess: async (updated) => {
        toast.success(`${updated.listing.name} upgraded to ${updated.version}`, { description: "The gateway runs the new version within a second." });
        await invalidate(updated.id);
        onDone();
      },
    }),
  );
  const serverErrors = placeErrors(upgrade.error, ["version", ...configErrorPaths(fields)], "form");
  const configErrors: Record<string, string | undefined> = { ...localErrors };
  for (const f of fields) configErrors[f.name] ??= serverErrors[`config.${f.name}`];
  const changes = preview.data?.configChanges;
  const label = (name: string) => fields.find((f) => f.name === name)?.label ?? name;

  return (
    <form
      noValidate
      aria-label={`Upgrade ${install.listing.name}`}
      className="grid gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        if (!target) return;
        const read = readConfig(schema, drafts, keepSecrets);
        if (!read.ok) {
          setLocalErrors(read.errors);
          return;
        }
        setLocalErrors({});
        upgrade.mutate({ orgSlug, installId: install.id, version: target, config: read.config });
      }}
    >
      <DialogHeader>
        <DialogTitle>Upgrade {install.listing.name}</DialogTitle>
        <DialogDescription>From version {install.version}. The new version&apos;s signature is checked before it is installed.</DialogDescription>
      </DialogHeader>
      {detail.isPending ? (
        <LoadingForm />
      ) : detail.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{detail.error.message}</AlertDescription>
        </Alert>
      ) : targets.length === 0 || target === null ? (
        <p className="text-sm text-muted-foreground">Version {install.version} is the newest that can be installed.</p>
      ) : (
        <>
          <FormField label="Upgrade to" error={serverErrors.version}>
            <NativeSelect
              name="upgrade-version"
              value={target}
              disabled={upgrade.isPending}
              onChange={(e) => {
                setPicked(e.target.value);
                setLocalErrors({});
              }}
            >
              {targets.map((v, i) => (
                <option key={v.version} value={v.version}>
                  {v.version}
                  {i === 0 ? " (latest)" : ""}
                </option>
              ))}
            </NativeSelect>
          </FormField>

          <section aria-labelledby="upgrade-changes" className="grid gap-3" data-testid="upgrade-preview">
            <h3 id="upgrade-changes" className="text-sm font-semibold">
              What changes
            </h3>
            {preview.isPending ? (
              <LoadingForm />
            ) : preview.isError ? (
              <Alert variant="destructive">
                <AlertDescription>{preview.error.message}</AlertDescription>
              </Alert>
            ) : (
              <>
                <ol className="grid gap-2">
                  {preview.data.changelogs.map((c) => (
                    <li key={c.version} className="rounded-md border p-3">
                      <p className="font-mono text-sm font-medium">{c.version}</p>
                      <p className="text-sm whitespace-pre-wrap text-muted-foreground">{c.changelog || "No changelog."}</p>
                    </li>
                  ))}
                </ol>
                {changes && changes.added.length + changes.removed.length + changes.changed.length > 0 ? (
                  <ul className="grid gap-1 text-sm" aria-label="Configuration changes">
                    <ChangeList label="New configuration fields" names={changes.added.map(label)} />
                    <ChangeList label="Changed fields" names={changes.changed.map(label)} />
                    <ChangeList label="Removed fields (their values are dropped)" names={changes.removed} />
                  </ul>
                ) : (
                  <p className="text-sm text-muted-foreground">The configuration fields stay the same; your values carry over.</p>
                )}
                {preview.data.policyChanges && preview.data.policyChanges.added.length + preview.data.policyChanges.removed.length > 0 && (
                  <ul className="grid gap-1 text-sm" aria-label="Policy changes">
                    <ChangeList label="Policies added" names={preview.data.policyChanges.added} />
                    <ChangeList label="Policies removed" names={preview.data.policyChanges.removed} />
                  </ul>
                )}
              </>
            )}
          </section>

          <section aria-labelledby="upgrade-config" className="grid gap-3">
            <h3 id="upgrade-config" className="text-sm font-semibold">
              Configuration for {target}
            </h3>
            {manifest.isPending ? (
              <LoadingForm />
            ) : manifest.isError ? (
              <Alert variant="destructive">
                <AlertDescription>{manifest.error.message}</AlertDescription>
              </Alert>
            ) : fields.length === 0 ? (
              <p className="text-sm text-muted-foreground">This version needs no configuration.</p>
            ) : (
              <ConfigFields
                fields={fields}
                drafts={drafts}
                errors={configErrors}
                secretsSet={keepSecrets}
                disabled={upgrade.isPending}
                onChange={(name, value) => {
                  setEdited((prev) => ({ ...prev, [name]: value }));
                  setLocalErrors(({ [name]: _dropped, ...rest }) => rest);
                }}
              />
            )}
          </section>
        </>
      )}
      {serverErrors.form && (
        <Alert variant="destructive">
          <AlertTitle>Not upgraded</AlertTitle>
          <AlertDescription>{serverErrors.form}</AlertDescription>
        </Alert>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={upgrade.isPending || !target || !manifest.data}>
          {upgrade.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
          {target ? `Upgrade to ${target}` : "Upgrade"}
        </Button>
      </DialogFooter>
    </form>
  );
}

