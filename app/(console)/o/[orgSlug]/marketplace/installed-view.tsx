"use client";

import { useQuery } from "@tanstack/react-query";
import { Store } from "lucide-react";
import Link from "next/link";
import { RelativeTime } from "@/components/agents/relative-time";
import { ConfigureDialog, InstallEnabledSwitch, UninstallButton, UpgradeDialog } from "@/components/marketplace/install-actions";
import { failModeLabel, hasUpdate, routeScopeText } from "@/components/marketplace/install-model";
import { KindBadge } from "@/components/marketplace/kind-badge";
import { ListingIcon } from "@/components/marketplace/listing-icon";
import { PublisherName } from "@/components/marketplace/verified-badge";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";

/** The organization's installed listings: version and updates, where each runs, and what admins can do with them. */
export function InstalledView({ orgSlug, orgName, role }: { orgSlug: string; orgName: string; role: Role }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.marketplace.install.list.queryOptions({ orgSlug }));
  const routes = useQuery(trpc.route.list.queryOptions({ orgSlug }));
  const canEdit = hasRole(role, "ADMIN");

  const browse = (
    <Button asChild variant={list.data?.length === 0 ? "default" : "outline"}>
      <Link href="/marketplace">
        <Store aria-hidden="true" />
        Browse the marketplace
      </Link>
    </Button>
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Marketplace"
        description={`Plugins and policy packs installed in ${orgName}. Gateway plugins run on the routes you choose; a pack's policies appear under Policies.${canEdit ? "" : ` Installing and changing them needs the Admin role; you are ${roleLabel[role]}.`}`}
        actions={browse}
      />
      <section aria-labelledby="installed-heading" aria-busy={list.isFetching || undefined}>
        <h2 id="installed-heading" className="sr-only">
          Installed listings
        </h2>
        {list.isPending ? (
          <Card className="py-4" role="status" aria-label="Loading installed listings">
            <CardContent className="grid gap-3 px-4">
              {Array.from({ length: 3 }, (_, i) => (
                <Skeleton key={i} className="h-10 w-full" />
              ))}
            </CardContent>
          </Card>
        ) : list.isError ? (
          <Alert variant="destructive">
            <AlertTitle>The installed listings could not be loaded</AlertTitle>
            <AlertDescription>
              <p>{list.error.message}</p>
              <Button variant="outline" size="sm" onClick={() => void list.refetch()}>
                Try again
              </Button>
            </AlertDescription>
          </Alert>
        ) : list.data.length === 0 ? (
          <EmptyState
            icon={Store}
            title="Nothing installed yet"
            description="Gateway plugins check or rewrite requests and answers on their way through the gateway; policy packs add ready-made policies. Find them in the marketplace."
            action={browse}
          />
        ) : (
          <Card className="py-4">
            <CardContent className="px-4">
              <Table>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Listing</TableHead>
                    <TableHead>Version</TableHead>
                    <TableHead className="hidden md:table-cell">Applies to</TableHead>
                    <TableHead>Enabled</TableHead>
                    {canEdit && <TableHead className="text-right">Actions</TableHead>}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.data.map((install) => (
                    <TableRow key={install.id} data-testid={`install-${install.listing.slug}`} className={install.enabled ? undefined : "text-muted-foreground"}>
                      <TableCell className="align-top">
                        <div className="flex min-w-48 items-start gap-3 whitespace-normal">
                          <ListingIcon icon={install.listing.icon} name={install.listing.name} className="size-9" />
                          <div className="grid gap-0.5">
                            <Link href={`/marketplace/${install.listing.slug}`} className="font-medium text-foreground underline-offset-4 hover:underline">
                              {install.listing.name}
                            </Link>
                            <span className="text-xs text-muted-foreground">
                              <PublisherName name={install.listing.publisherName} verified={install.listing.verified} />
                            </span>
                            <span className="mt-1">
                              <KindBadge kind={install.listing.kind} />
                            </span>
                          </div>
                        </div>
                      </TableCell>
                      <TableCell className="align-top">
                        <div className="grid justify-items-start gap-1">
                          <span className="font-mono text-sm">{install.version}</span>
                          {hasUpdate(install) && (
                            <Badge variant="warning" data-testid="update-available">
                              {install.latestVersion} available
                            </Badge>
                          )}
                          <span className="text-xs text-muted-foreground">
                            Updated <RelativeTime date={install.updatedAt} />
                          </span>
                        </div>
                      </TableCell>
                      <TableCell className="hidden align-top whitespace-normal md:table-cell">
                        {install.listing.kind === "GATEWAY_PLUGIN" ? (
                          <div className="grid max-w-xs gap-0.5 text-sm">
                            <span>{routeScopeText(install.routeIds, routes.data)}</span>
                            {install.failMode && <span className="text-xs text-muted-foreground">{failModeLabel[install.failMode]}</span>}
                          </div>
                        ) : (
                          <div className="grid max-w-xs gap-0.5 text-sm">
                            <span>The whole organization</span>
                            {install.policies.length > 0 && (
                              <span className="text-xs text-muted-foreground">
                                Policies:{" "}
                                {install.policies.map((p, i) => (
                                  <span key={p.id}>
                                    {i > 0 && ", "}
                                    <Link href={`/o/${orgSlug}/policies/${p.id}`} className="underline-offset-4 hover:underline">
                                      {p.name}
                                    </Link>
                                  </span>
                                ))}
                              </span>
                            )}
                          </div>
                        )}
                      </TableCell>
                      <TableCell className="align-top">
                        {canEdit ? <InstallEnabledSwitch orgSlug={orgSlug} install={install} /> : <Badge variant={install.enabled ? "success" : "outline"}>{install.enabled ? "Enabled" : "Disabled"}</Badge>}
                      </TableCell>
                      {canEdit && (
                        <TableCell className="align-top">
                          <div className="flex flex-wrap justify-end gap-1">
                            {hasUpdate(install) && <UpgradeDialog orgSlug={orgSlug} install={install} />}
                            <ConfigureDialog orgSlug={orgSlug} install={install} routes={routes.data} />
                            <UninstallButton orgSlug={orgSlug} install={install} />
                          </div>
                        </TableCell>
                      )}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}
      </section>
    </div>
  );
}
