"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { BecomePublisherCard } from "./become-publisher-card";
import { KeysCard } from "./keys-card";
import { OwnListingsCard } from "./own-listings-card";
import { ProfileCard } from "./profile-card";

interface Props {
  orgSlug: string;
  orgName: string;
  role: Role;
}

/** The organization as a marketplace publisher: becoming one, its profile, signing keys and listings. */
export function PublisherView({ orgSlug, orgName, role }: Props) {
  const trpc = useTRPC();
  const publisher = useQuery(trpc.marketplace.publisher.get.queryOptions({ orgSlug }));
  const canEdit = hasRole(role, "ADMIN");
  const readOnlyReason = `Changing the publisher needs the Admin role; you are ${roleLabel[role]}.`;

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Publisher"
        description={`How ${orgName} publishes in the marketplace: the profile people see next to its listings, the keys its versions are signed with, and the listings themselves.`}
      />
      {publisher.isPending ? (
        <Card role="status" aria-label="Loading the publisher profile">
          <CardContent className="grid gap-3">
            <Skeleton className="h-6 w-1/3" />
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-10 w-full" />
          </CardContent>
        </Card>
      ) : publisher.isError ? (
        <Alert variant="destructive">
          <AlertTitle>The publisher profile could not be loaded</AlertTitle>
          <AlertDescription>
            <p>{publisher.error.message}</p>
            <Button variant="outline" size="sm" onClick={() => void publisher.refetch()}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      ) : publisher.data === null ? (
        canEdit ? (
          <BecomePublisherCard orgSlug={orgSlug} orgName={orgName} />
        ) : (
          <Alert>
            <AlertTitle>{orgName} is not a marketplace publisher</AlertTitle>
            <AlertDescription>
              An admin of {orgName} can make it one, to publish gateway plugins, policy packs and templates for other organizations. You are {roleLabel[role]}.
            </AlertDescription>
          </Alert>
        )
      ) : (
        <>
          {!canEdit && (
            <Alert>
              <AlertTitle>Read only</AlertTitle>
              <AlertDescription>{readOnlyReason}</AlertDescription>
            </Alert>
          )}
          <ProfileCard orgSlug={orgSlug} publisher={publisher.data} canEdit={canEdit} />
          <KeysCard orgSlug={orgSlug} publisher={publisher.data} canEdit={canEdit} readOnlyReason={readOnlyReason} />
          <OwnListingsCard orgSlug={orgSlug} canEdit={canEdit} readOnlyReason={readOnlyReason} />
        </>
      )}
    </div>
  );
}
