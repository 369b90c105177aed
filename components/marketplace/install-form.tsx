"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, Loader2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import type { ListingKind } from "@/server/marketplace/manifest";
import { ConfigFields } from "./config-fields";
import { carryDrafts, configErrorPaths, configFields, readConfig, readConfigSchema, type ConfigDrafts } from "./config-form";
import { installActionLabel, isTemplate, manifestFailMode, type FailMode, type VersionOption } from "./install-model";
import { FailModeField, RouteScopeField } from "./plugin-scope-fields";

interface Props {
  orgSlug: string;
  orgName: string;
  listing: { slug: string; name: string; kind: ListingKind };
  /** Every version, newest first; yanked ones are shown but cannot be picked. */
  versions: VersionOption[];
  defaultVersion: string;
}

/** Scoped errors the server may name, besides configuration fields. */
const SCOPE_FIELDS = ["version", "routeIds", "failMode"] as const;

/**
 * Installing a listing into the organization: a version, the configuration its manifest asks for
 * (checked in the browser with the server's own validator first), and for gateway plugins the
 * routes and the fail mode. For a route or agent template the same form creates the route or
 * registers the agent instead, and opens it. The server checks the publisher's signature again and
 * says which field is wrong; each message goes next to its field.
 */
export function InstallForm({ orgSlug, orgName, listing, versions, defaultVersion }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const isPlugin = listing.kind === "GATEWAY_PLUGIN";
  const template = isTemplate(listing.kind);
  const action = installActionLabel(listing.kind);

  const [version, setVersion] = useState(defaultVersion);
  const [edited, setEdited] = useState<ConfigDrafts>({});
  const [allRoutes, setAllRoutes] = useState(true);
  const [selectedRoutes, setSelectedRoutes] = useState<Set<string>>(() => new Set());
  const [failMode, setFailMode] = useState<FailMode | null>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const manifestQuery = useQuery(trpc.marketplace.version.get.queryOptions({ listingSlug: listing.slug, version }));
  const manifest = manifestQuery.data?.resolvedManifest;
  const schema = useMemo(() => readConfigSchema(manifest), [manifest]);
  const fields = useMemo(() => configFields(schema), [schema]);
  const drafts = useMemo(() => carryDrafts(fields, edited), [fields, edited]);
  const needsAgents = fields.some((f) => f.control.kind === "agent");

  const routes = useQuery({ ...trpc.route.list.queryOptions({ orgSlug }), enabled: isPlugin });
  const agents = useQuery({ ...trpc.agent.list.queryOptions({ orgSlug, pageSize: 100 }), enabled: needsAgents });
  const defaultFailMode = manifestFailMode(manifest);
  const chosenFailMode = failMode ?? defaultFailMode;

  const create = useMutation(
    trpc.marketplace.install.create.mutationOptions({
      onSuccess: async (install) => {
        toast.success(`${install.listing.name} ${install.version} installed`, {
          description: isPlugin ? "The gateway runs it within a second." : "Its policies are in place.",
        });
        await queryClient.invalidateQueries({ queryKey: trpc.marketplace.install.list.queryKey({ orgSlug }) });
        router.push(`/o/${orgSlug}/marketplace`);
      },
    }),
  );

  const apply = useMutation(
    trpc.marketplace.template.create.mutationOptions({
      onSuccess: async (created) => {
        toast.success(created.type === "route" ? `Route ${created.name} created` : `Agent ${created.name} registered`, {
          description: `From ${listing.name} ${version}.`,
        });
        await queryClient.invalidateQueries({ queryKey: created.type === "route" ? trpc.route.list.queryKey({ orgSlug }) : trpc.agent.list.queryKey({ orgSlug }) });
        router.push(`/o/${orgSlug}/${created.type === "route" ? "routes" : "agents"}/${created.id}`);
      },
    }),
  );

  const paths = configErrorPaths(fields);
  const serverErrors = placeErrors(template ? apply.error : create.error, [...SCOPE_FIELDS, ...paths], "form");
  const configErrors: Record<string, string | undefined> = { ...localErrors };
  for (const f of fields) configErrors[f.name] ??= serverErrors[`config.${f.name}`];

  const busy = create.isPending || apply.isPending;
  const pickable = versions.filter((v) => !v.yanked);

  return (
    <form
      noValidate
      aria-label={template ? `${action} from ${listing.name}` : `Install ${listing.name}`}
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        if (!manifestQuery.data) return;
        const read = readConfig(schema, drafts);
        if (!read.ok) {
          setLocalErrors(read.errors);
          return;
        }
        setLocalErrors({});
        if (template) {
          apply.mutate({ orgSlug, listingSlug: listing.slug, version, config: read.config });
          return;
        }
        create.mutate({
          orgSlug,
          listingSlug: listing.slug,
          version,
          config: read.config,
          routeIds: isPlugin && !allRoutes ? [...selectedRoutes] : [],
          failMode: isPlugin ? chosenFailMode : undefined,
        });
      }}
    >
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 className="text-base">Version</h2>
          </CardTitle>
          <CardDescription>Each version is signed by its publisher; the signature is checked again when you {template ? "use it" : "install"}.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <FormField label="Version" error={serverErrors.version} description={manifestQuery.data?.changelog ? `What changed: ${manifestQuery.data.changelog}` : undefined}>
            <NativeSelect
              name="version"
              value={version}
              disabled={busy}
              onChange={(e) => {
                setVersion(e.target.value);
                setLocalErrors({});
              }}
            >
              {versions.map((v) => (
                <option key={v.version} value={v.version} disabled={v.yanked}>
                  {v.version}
                  {v.version === pickable[0]?.version ? " (latest)" : ""}
                  {v.yanked ? " (yanked)" : ""}
                </option>
              ))}
            </NativeSelect>
          </FormField>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2 className="text-base">Configuration</h2>
          </CardTitle>
          <CardDescription>
            {listing.kind === "ROUTE_TEMPLATE"
              ? `The new route in ${orgName}: the agents it sends requests to and what clients call it.`
              : listing.kind === "AGENT_TEMPLATE"
                ? `Where the agent is and how to reach it; HelixAgent connects to it and reads its models or skills before registering it. Secrets are stored encrypted and never shown again.`
                : `What ${listing.name} needs to run in ${orgName}. Secret fields are stored encrypted and never shown again.`}
          </CardDescription>
        </CardHeader>
        <CardContent>
          {manifestQuery.isPending ? (
            <div role="status" aria-label="Loading the configuration form" className="grid gap-3">
              <Skeleton className="h-9 w-full" />
              <Skeleton className="h-9 w-full" />
            </div>
          ) : manifestQuery.isError ? (
            <Alert variant="destructive">
              <AlertTitle>Version {version} cannot be {template ? "used" : "installed"}</AlertTitle>
              <AlertDescription>{manifestQuery.error.message}</AlertDescription>
            </Alert>
          ) : fields.length === 0 ? (
            <p className="text-sm text-muted-foreground">This version needs no configuration.</p>
          ) : (
            <ConfigFields
              fields={fields}
              drafts={drafts}
              errors={configErrors}
              agents={agents.data?.agents.map((a) => ({ slug: a.slug, name: a.name }))}
              disabled={busy}
              onChange={(name, value) => {
                setEdited((prev) => ({ ...prev, [name]: value }));
                setLocalErrors(({ [name]: _dropped, ...rest }) => rest);
              }}
            />
          )}
        </CardContent>
      </Card>

      {isPlugin && (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2 className="text-base">Where it runs</h2>
            </CardTitle>
            <CardDescription>The gateway calls the plugin on requests to these routes.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            <RouteScopeField
              orgSlug={orgSlug}
              routes={routes.data}
              allRoutes={allRoutes}
              selected={selectedRoutes}
              onAllRoutes={setAllRoutes}
              onToggle={(id, checked) =>
                setSelectedRoutes((prev) => {
                  const next = new Set(prev);
                  if (checked) next.add(id);
                  else next.delete(id);
                  return next;
                })
              }
              error={serverErrors.routeIds}
              disabled={busy}
            />
            <FailModeField value={chosenFailMode} onChange={setFailMode} manifestDefault={defaultFailMode} error={serverErrors.failMode} disabled={busy} />
          </CardContent>
        </Card>
      )}

      {serverErrors.form && (
        <Alert variant="destructive">
          <AlertTitle>{listing.kind === "ROUTE_TEMPLATE" ? "The route was not created" : listing.kind === "AGENT_TEMPLATE" ? "The agent was not registered" : `${listing.name} was not installed`}</AlertTitle>
          <AlertDescription>{serverErrors.form}</AlertDescription>
        </Alert>
      )}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={busy || !manifestQuery.data || (isPlugin && !allRoutes && selectedRoutes.size === 0)}>
          {busy ? <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" /> : <Download aria-hidden="true" />}
          {template ? action : `Install ${version}`}
        </Button>
        <Button asChild variant="outline">
          <Link href={`/marketplace/${listing.slug}`}>Cancel</Link>
        </Button>
        {isPlugin && !allRoutes && selectedRoutes.size === 0 && <p className="text-sm text-muted-foreground">Choose at least one route, or apply it to every route.</p>}
      </div>
    </form>
  );
}
