import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { serverCaller } from "@/components/trpc/server";

/**
 * A published listing's page data, once per request (the page and its metadata share it). Unknown
 * slugs, drafts and malformed slugs are all "not found".
 */
export const loadListing = cache(async (listingSlug: string) => {
  const caller = await serverCaller();
  try {
    return await caller.marketplace.listing.get({ listingSlug });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
});

/** A later page of reviews (the first comes with the listing). */
export const loadReviewPage = cache(async (listingSlug: string, page: number) => {
  const caller = await serverCaller();
  return caller.marketplace.review.list({ listingSlug, page, pageSize: 10 });
});
