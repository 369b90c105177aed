import { z } from "zod";
import { authedProcedure, orgProcedure, platformAdminProcedure, publicProcedure, router } from "@/server/trpc/init";
import {
  addKeyInput,
  adminPublisherListInput,
  adminPublisherPage,
  categoryView,
  createListingInput,
  createPublisherInput,
  hideReviewInput,
  installableVersion,
  listingDetail,
  listingSlugInput,
  marketplaceMe,
  ownListingDetail,
  ownListingView,
  publisherView,
  publishVersionInput,
  replyAsView,
  replyReviewInput,
  reportListInput,
  reportPage,
  reportReviewInput,
  reviewListInput,
  reviewPage,
  reviewView,
  revokeKeyInput,
  searchInput,
  searchResult,
  setVerifiedInput,
  updateListingInput,
  updatePublisherInput,
  upsertReviewInput,
  versionLookupInput,
  versionView,
  yankVersionInput,
} from "./schema";
import { addPublisherKey, createPublisher, getOwnPublisher, marketplaceStanding, revokePublisherKey, setPublisherVerified, updatePublisher, listPublishersForAdmin } from "./publishers";
import { createListing, getListingDetail, getOwnListing, listCategories, listOwnListings, updateListing } from "./listings";
import { getInstallableVersion, publishVersion, yankVersion } from "./publishing";
import { listReports, listReviewsBySlug, replyAs, replyToReview, reportReview, setReviewHidden, upsertReview } from "./reviews";
import { searchListings } from "./search";
import { installRouter } from "./installs/router";
import { applyTemplateInput, appliedTemplate } from "./template-schema";
import { applyTemplate } from "./templates";

/** Strips the organization slug the org procedures take, leaving the service's input. */
const withoutOrg = <T extends { orgSlug: string }>({ orgSlug: _orgSlug, ...rest }: T) => rest;

const publisherRouter = router({
  /** The organization's publisher profile with its keys; null when it is not a publisher. */
  get: orgProcedure("VIEWER")
    .output(publisherView.nullable())
    .query(({ ctx }) => getOwnPublisher({ ctx })),

  create: orgProcedure("ADMIN")
    .input(createPublisherInput)
    .output(publisherView)
    .mutation(({ ctx, input }) => createPublisher({ ctx, input: withoutOrg(input) })),

  update: orgProcedure("ADMIN")
    .input(updatePublisherInput)
    .output(publisherView)
    .mutation(({ ctx, input }) => updatePublisher({ ctx, input: withoutOrg(input) })),

  /** Registers an ed25519 public key (raw base64 or PEM); versions name it by its fingerprint. */
  addKey: orgProcedure("ADMIN")
    .input(addKeyInput)
    .output(publisherView)
    .mutation(({ ctx, input }) => addPublisherKey({ ctx, input: withoutOrg(input) })),

  /** Revokes a key by fingerprint: it signs nothing new, and the versions it signed are no longer installable. */
  revokeKey: orgProcedure("ADMIN")
    .input(revokeKeyInput)
    .output(publisherView)
    .mutation(({ ctx, input }) => revokePublisherKey({ ctx, input: withoutOrg(input) })),
});

const listingRouter = router({
  /** Public: a published listing's page by slug. */
  get: publicProcedure
    .input(listingSlugInput)
    .output(listingDetail)
    .query(({ ctx, input }) => getListingDetail({ db: ctx.db, listingSlug: input.listingSlug, viewerId: ctx.session?.id ?? null })),

  /** The organization's own listings, drafts included. */
  mine: orgProcedure("VIEWER")
    .output(z.array(ownListingView))
    .query(({ ctx }) => listOwnListings({ ctx })),

  /** One of the organization's own listings by slug, drafts included, with every version (yanked ones too). */
  own: orgProcedure("VIEWER")
    .input(listingSlugInput)
    .output(ownListingDetail)
    .query(({ ctx, input }) => getOwnListing({ ctx, listingSlug: input.listingSlug })),

  create: orgProcedure("ADMIN")
    .input(createListingInput)
    .output(ownListingView)
    .mutation(({ ctx, input }) => createListing({ ctx, input: withoutOrg(input) })),

  update: orgProcedure("ADMIN")
    .input(updateListingInput)
    .output(ownListingView)
    .mutation(({ ctx, input }) => updateListing({ ctx, input: withoutOrg(input) })),
});

const versionRouter = router({
  /** Public: the version an install would use (named, or the latest not yanked), signature checked again. */
  get: publicProcedure
    .input(versionLookupInput)
    .output(installableVersion)
    .query(({ ctx, input }) => getInstallableVersion({ db: ctx.db, listingSlug: input.listingSlug, version: input.version })),

  publish: orgProcedure("ADMIN")
    .input(publishVersionInput)
    .output(versionView)
    .mutation(({ ctx, input }) => publishVersion({ ctx, input: withoutOrg(input) })),

  yank: orgProcedure("ADMIN")
    .input(yankVersionInput)
    .output(versionView)
    .mutation(({ ctx, input }) => yankVersion({ ctx, versionId: input.versionId, reason: input.reason ?? null })),
});

const reviewRouter = router({
  /** Public: a page of a listing's reviews, newest first. */
  list: publicProcedure
    .input(reviewListInput)
    .output(reviewPage)
    .query(({ ctx, input }) => listReviewsBySlug({ db: ctx.db, listingSlug: input.listingSlug, viewerId: ctx.session?.id ?? null, page: input.page, pageSize: input.pageSize })),

  /** The caller's one review of a listing: created the first time, edited after. */
  upsert: authedProcedure
    .input(upsertReviewInput)
    .output(reviewView)
    .mutation(({ ctx, input }) => upsertReview({ db: ctx.db, user: ctx.user, listingId: input.listingId, rating: input.rating, body: input.body })),

  /** The organization the caller may reply to this listing's reviews as (its publisher's, as an Admin or above), or null. */
  replyAs: authedProcedure
    .input(listingSlugInput)
    .output(replyAsView.nullable())
    .query(({ ctx, input }) => replyAs({ db: ctx.db, userId: ctx.user.id, listingSlug: input.listingSlug })),

  /** The publisher's reply to a review of one of its listings. */
  reply: orgProcedure("ADMIN")
    .input(replyReviewInput)
    .output(reviewView)
    .mutation(({ ctx, input }) => replyToReview({ ctx, reviewId: input.reviewId, reply: input.reply })),

  report: authedProcedure
    .input(reportReviewInput)
    .output(z.object({ id: z.string(), reported: z.literal(true) }))
    .mutation(({ ctx, input }) => reportReview({ db: ctx.db, user: ctx.user, reviewId: input.reviewId, reason: input.reason })),
});

const templateRouter = router({
  /** Creates the route or registers the agent a template describes, from its form's values. */
  create: orgProcedure("ADMIN")
    .input(applyTemplateInput)
    .output(appliedTemplate)
    .mutation(({ ctx, input }) => applyTemplate({ ctx, input: withoutOrg(input) })),
});

const adminRouter = router({
  setVerified: platformAdminProcedure
    .input(setVerifiedInput)
    .output(publisherView)
    .mutation(({ ctx, input }) => setPublisherVerified({ db: ctx.db, admin: ctx.user, publisherId: input.publisherId, verified: input.verified })),

  hideReview: platformAdminProcedure
    .input(hideReviewInput)
    .output(z.object({ id: z.string(), hidden: z.boolean() }))
    .mutation(({ ctx, input }) => setReviewHidden({ db: ctx.db, admin: ctx.user, reviewId: input.reviewId, hidden: input.hidden })),

  reports: platformAdminProcedure
    .input(reportListInput)
    .output(reportPage)
    .query(({ ctx, input }) => listReports({ db: ctx.db, page: input.page, includeResolved: input.includeResolved })),

  /** Every publisher, newest first, searched by name or slug: whom to verify. */
  publishers: platformAdminProcedure
    .input(adminPublisherListInput)
    .output(adminPublisherPage)
    .query(({ ctx, input }) => listPublishersForAdmin({ db: ctx.db, q: input.q, page: input.page, pageSize: input.pageSize })),
});

export const marketplaceRouter = router({
  /** Public: full-text, typo-tolerant search with filters and sorting. */
  search: publicProcedure
    .input(searchInput)
    .output(searchResult)
    .query(({ ctx, input }) => searchListings({ db: ctx.db, input })),

  /** Public: the categories with how many listings each has. */
  categories: publicProcedure.output(z.array(categoryView)).query(({ ctx }) => listCategories({ db: ctx.db })),

  /** What the signed-in caller may do in the marketplace beyond their organizations. */
  me: authedProcedure.output(marketplaceMe).query(({ ctx }) => marketplaceStanding({ db: ctx.db, userId: ctx.user.id })),

  publisher: publisherRouter,
  listing: listingRouter,
  version: versionRouter,
  review: reviewRouter,
  admin: adminRouter,
  install: installRouter,
  template: templateRouter,
});
