import "server-only";
import { TRPCError } from "@trpc/server";
import { cache } from "react";
import { serverCaller } from "@/components/trpc/server";
import { getInstallTargets } from "@/components/marketplace/viewer";

/**
 * The organization the visitor replies to this listing's reviews as (the publisher's, where they are
 * an Admin or above), or null. Asked only of visitors who administer some organization, so the
 * listing page costs nobody else a query.
 */
export const getReplyAs = cache(async (listingSlug: string) => {
  const targets = await getInstallTargets();
  if (!targets || targets.installable.length === 0) return null;
  try {
    return await (await serverCaller()).marketplace.review.replyAs({ listingSlug });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "UNAUTHORIZED" || error.code === "BAD_REQUEST")) return null;
    throw error;
  }
});
