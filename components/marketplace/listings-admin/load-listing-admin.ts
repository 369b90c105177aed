import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getQueryClient, trpc } from "@/components/trpc/server";
import { ICON_MAX_BYTES, README_MAX_BYTES } from "@/server/marketplace/content";
import { CATEGORIES, CATEGORY_SLUGS } from "@/server/marketplace/schema";
import type { CategoryOption, ContentLimits } from "./listing-form-model";

/** The category list and size caps the listing forms check against, from the server's own definitions. */
export const listingFormOptions = (): { categories: CategoryOption[]; limits: ContentLimits } => ({
  categories: CATEGORY_SLUGS.map((slug) => ({ slug, label: CATEGORIES[slug] })),
  limits: { readmeBytes: README_MAX_BYTES, iconBytes: ICON_MAX_BYTES },
});

/** The organization's publisher profile (null when it is not one), into this request's query client. */
export function loadPublisher(orgSlug: string) {
  return getQueryClient().fetchQuery(trpc.marketplace.publisher.get.queryOptions({ orgSlug }));
}

/** One of the organization's own listings, into this request's query client; 404 for another's, an unknown or a malformed slug. */
export async function loadOwnListing(orgSlug: string, listingSlug: string) {
  try {
    return await getQueryClient().fetchQuery(trpc.marketplace.listing.own.queryOptions({ orgSlug, listingSlug }));
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
}
