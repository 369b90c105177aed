"use client";

import { ChevronDown, Download } from "lucide-react";
import Link from "next/link";
import { DisabledAction } from "@/components/agents/disabled-action";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import type { ListingKind } from "@/server/marketplace/manifest";
import { installActionLabel } from "./install-model";
import { SignInLink } from "./sign-in-link";

export const installHref = (orgSlug: string, listingSlug: string) => `/o/${orgSlug}/marketplace/install/${listingSlug}`;

interface Props {
  listingSlug: string;
  kind: ListingKind;
  /** False when every version is yanked. */
  installable: boolean;
  /** Why the latest version cannot be used with this HelixAgent, when it cannot. */
  incompatible?: string | null;
  /** null when signed out; else the organizations where the visitor is an Admin or Owner. */
  targets: { slug: string; name: string }[] | null;
}

/**
 * Install (or, for a template, create the route or agent it describes): signed out → sign in first; one organization to install into → straight to its install
 * page; several → pick one; none (not an Admin anywhere) → the reason.
 */
export function InstallButton({ listingSlug, kind, installable, incompatible, targets }: Props) {
  const label = installActionLabel(kind);
  if (incompatible) return <DisabledAction variant="default" reason={incompatible}>{label}</DisabledAction>;
  if (!installable) return <DisabledAction variant="default" reason="Every version of this listing has been withdrawn (yanked); there is nothing to install.">{label}</DisabledAction>;
  if (targets === null) return <SignInLink label={`Sign in to ${label.toLowerCase()}`} variant="default" />;
  if (targets.length === 0) {
    return (
      <DisabledAction variant="default" reason={`${label} needs the Admin role in an organization; ask an admin of yours to do it.`}>
        <Download aria-hidden="true" />
        {label}
      </DisabledAction>
    );
  }
  if (targets.length === 1) {
    return (
      <Button asChild>
        <Link href={installHref(targets[0]!.slug, listingSlug)}>
          <Download aria-hidden="true" />
          {label}
        </Link>
      </Button>
    );
  }
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button>
          <Download aria-hidden="true" />
          {label}
          <ChevronDown aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel>{label === "Install" ? "Install into" : `${label} in`}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {targets.map((org) => (
          <DropdownMenuItem key={org.slug} asChild>
            <Link href={installHref(org.slug, listingSlug)}>{org.name}</Link>
          </DropdownMenuItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
