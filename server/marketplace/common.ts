import type { Prisma } from "@/server/generated/prisma/client";
import { worksWith } from "./compatibility";
import { HELIX_VERSION } from "@/server/version";
import type { Tx } from "@/server/db";
import { badRequest, DomainError } from "@/server/errors/domain-error";
import { CATEGORIES, type Category, type ListingSummary } from "./schema";
import { ContentError } from "./content";
import { SigningError } from "./signing";
import { listingKindLabel, type ListingKind } from "./manifest";

/** Shared pieces of the marketplace services: selects, views, search text, error translation. */

export const summarySelect = {
  id: true,
  slug: true,
  kind: true,
  name: true,
  summary: true,
  icon: true,
  categories: true,
  tags: true,
  installCount: true,
  ratingAvg: true,
  ratingCount: true,
  latestVersion: true,
  helixRange: true,
  publishedAt: true,
  publisher: { select: { slug: true, displayName: true, verified: true } },
} as const satisfies Prisma.ListingSelect;
export type SummaryRow = Prisma.ListingGetPayload<{ select: typeof summarySelect }>;

export function toSummary(row: SummaryRow): ListingSummary {
  return { ...row, ratingAvg: Math.round(row.ratingAvg * 100) / 100, compatible: worksWith(row.helixRange, HELIX_VERSION) };
}

export const versionSelect = {
  id: true,
  version: true,
  changelog: true,
  publishedAt: true,
  yankedAt: true,
  yankReason: true,
  keyId: true,
} as const satisfies Prisma.ListingVersionSelect;
type VersionRow = Prisma.ListingVersionGetPayload<{ select: typeof versionSelect }>;

export function toVersionView(v: VersionRow) {
  return { ...v, yanked: v.yankedAt !== null };
}

/** What full-text and trigram search read: name, summary, tags, categories, kind and publisher. */
export function listingSearchText(l: { name: string; summary: string; tags: string[]; categories: string[]; kind: ListingKind; publisherName: string }): string {
  const categories = l.categories.map((c) => CATEGORIES[c as Category] ?? c);
  return [l.name, l.summary, ...l.tags, ...categories, listingKindLabel[l.kind], l.publisherName].join(" ").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Locks a listing row for the rest of the transaction (publishes and reviews of one listing take turns). */
export async function lockListing(tx: Tx, listingId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Listing" WHERE id = ${listingId} FOR UPDATE`;
}

/** Turns content and key errors into BAD_REQUEST with the field they are about. */
export function asDomainError(error: unknown): unknown {
  if (error instanceof ContentError) return badRequest(error.message, error.field);
  if (error instanceof SigningError) return badRequest(error.message, "publicKey");
  return error;
}

/** A unique constraint hit (P2002) as a CONFLICT saying which value is taken; anything else unchanged. */
export function uniqueConflict(error: unknown, message: string, field: string): unknown {
  if ((error as { code?: string }).code === "P2002") return new DomainError("CONFLICT", message, { field });
  return asDomainError(error);
}

/** The name a review shows for its author: never the email address. */
export function authorName(user: { name: string | null }): string {
  return user.name?.trim() || "HelixAgent user";
}
