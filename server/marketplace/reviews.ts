import type { Prisma } from "@/server/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { hasRole } from "@/server/auth/roles";
import { authorName, lockListing } from "./common";
import type { ReviewView } from "./schema";

/**
 * Reviews: one per user and listing (editable), publisher replies, reports by anyone signed in,
 * moderation by platform admins. The listing's rating average and count are recomputed in the
 * transaction of every change that affects them, under a lock on the listing row, so concurrent
 * reviews cannot leave them stale. Hidden reviews neither show nor count.
 */

export const reviewViewSelect = {
  id: true,
  rating: true,
  body: true,
  userId: true,
  createdAt: true,
  updatedAt: true,
  reply: true,
  repliedAt: true,
  user: { select: { name: true } },
} as const satisfies Prisma.ReviewSelect;
type ReviewRow = Prisma.ReviewGetPayload<{ select: typeof reviewViewSelect }>;

export function toReviewView(row: ReviewRow, viewerId: string | null): ReviewView {
  const { userId, user, ...rest } = row;
  return { ...rest, author: authorName(user), mine: viewerId !== null && userId === viewerId };
}

/** Recomputes the listing's rating average and count from its visible reviews. */
async function recomputeRating(tx: Tx, listingId: string) {
  await tx.$executeRaw`
    UPDATE "Listing" l SET
      "ratingAvg" = coalesce(r.avg, 0),
      "ratingCount" = r.count
    FROM (SELECT avg(rating)::float8 AS avg, count(*)::int AS count FROM "Review" WHERE "listingId" = ${listingId} AND NOT hidden) r
    WHERE l.id = ${listingId}`;
}

export async function ratingSummaryOf(db: Db | Tx, listingId: string, stored: { average: number; count: number }) {
  const rows = await db.review.groupBy({ by: ["rating"], where: { listingId, hidden: false }, _count: { _all: true } });
  const distribution = [1, 2, 3, 4, 5].map((stars) => rows.find((r) => r.rating === stars)?._count._all ?? 0);
  return { average: Math.round(stored.average * 100) / 100, count: stored.count, distribution };
}

export async function listReviews(opts: { db: Db; listingId: string; viewerId: string | null; page: number; pageSize: number }) {
  const { db, listingId, viewerId, page, pageSize } = opts;
  const where = { listingId, hidden: false };
  const [rows, total] = await Promise.all([
    db.review.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize, select: reviewViewSelect }),
    db.review.count({ where }),
  ]);
  return { items: rows.map((r) => toReviewView(r, viewerId)), total, page, pageSize };
}

/** Reviews of a published listing by its slug, newest first. */
export async function listReviewsBySlug(opts: { db: Db; listingSlug: string; viewerId: string | null; page: number; pageSize: number }) {
  const listing = await opts.db.listing.findFirst({ where: { slug: opts.listingSlug, publishedAt: { not: null } }, select: { id: true } });
  if (!listing) throw notFound("Listing");
  return listReviews({ ...opts, listingId: listing.id });
}

/**
 * Creates the caller's review of a listing, or edits it when there is one: a user has one review per
 * listing however often this is called (the unique (listing, user) pair decides, not a prior read).
 */
export async function upsertReview(opts: { db: Db; user: { id: string }; listingId: string; rating: number; body: string }): Promise<ReviewView> {
  const { db, user, listingId, rating, body } = opts;
  return db.$transaction(async (tx) => {
    const listing = await tx.listing.findFirst({ where: { id: listingId, publishedAt: { not: null } }, select: { id: true, publisher: { select: { orgId: true } } } });
    if (!listing) throw notFound("Listing");
    const ownOrg = await tx.membership.findFirst({ where: { userId: user.id, orgId: listing.publisher.orgId }, select: { id: true } });
    if (ownOrg) throw badRequest("You are a member of this listing's publisher, so you cannot review it; reply to reviews instead", "rating");
    await lockListing(tx, listing.id);
    const review = await tx.review.upsert({
      where: { listingId_userId: { listingId: listing.id, userId: user.id } },
      create: { listingId: listing.id, userId: user.id, rating, body },
      update: { rating, body },
      select: reviewViewSelect,
    });
    await recomputeRating(tx, listing.id);
    return toReviewView(review, user.id);
  });
}

/** The publisher's public reply to a review of one of its listings; empty text removes it. */
export async function replyToReview(opts: { ctx: OrgContext; reviewId: string; reply: string }): Promise<ReviewView> {
  const { ctx, reviewId, reply } = opts;
  return ctx.db.$transaction(async (tx) => {
    const review = await tx.review.findFirst({ where: { id: reviewId, listing: { publisher: { orgId: ctx.org.id } } }, select: { id: true, listingId: true, reply: true } });
    if (!review) throw notFound("Review");
    const text = reply.trim() || null;
    const updated = await tx.review.update({ where: { id: review.id }, data: { reply: text, repliedAt: text ? new Date() : null }, select: reviewViewSelect });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "marketplace.review_replied",
      targetType: "review",
      targetId: review.id,
      before: { reply: review.reply },
      after: { reply: text },
    });
    return toReviewView(updated, ctx.user.id);
  });
}

/**
 * The organization the caller may reply to a published listing's reviews as: the listing's
 * publisher's, when the caller is an Admin or above there; null otherwise (no other organization
 * is named to anyone).
 */
export async function replyAs(opts: { db: Db; userId: string; listingSlug: string }): Promise<{ orgSlug: string; orgName: string } | null> {
  const listing = await opts.db.listing.findFirst({
    where: { slug: opts.listingSlug, publishedAt: { not: null } },
    select: { publisher: { select: { org: { select: { slug: true, name: true, memberships: { where: { userId: opts.userId }, select: { role: true } } } } } } },
  });
  const org = listing?.publisher.org;
  const role = org?.memberships[0]?.role;
  return org && role && hasRole(role, "ADMIN") ? { orgSlug: org.slug, orgName: org.name } : null;
}

/** Any signed-in user may report a review once; platform admins see the reports. */
export async function reportReview(opts: { db: Db; user: { id: string }; reviewId: string; reason: string }) {
  const { db, user, reviewId, reason } = opts;
  const review = await db.review.findFirst({ where: { id: reviewId, hidden: false, listing: { publishedAt: { not: null } } }, select: { id: true, userId: true } });
  if (!review) throw notFound("Review");
  if (review.userId === user.id) throw badRequest("This is your own review: edit it instead of reporting it", "reason");
  try {
    const report = await db.reviewReport.create({ data: { reviewId, reporterId: user.id, reason }, select: { id: true } });
    return { id: report.id, reported: true as const };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw conflict("You have already reported this review; a platform admin will look at it", "reason");
    throw error;
  }
}

/**
 * Platform admins only: hides a review (or shows it again), resolves its reports, recomputes the
 * rating; audited in the publisher's organization. Asked to leave a visible review visible, it is
 * the "keep" decision on its reports: they are resolved and the review stays as it is.
 */
export async function setReviewHidden(opts: { db: Db; admin: { id: string; email: string }; reviewId: string; hidden: boolean }) {
  const { db, admin, reviewId, hidden } = opts;
  return db.$transaction(async (tx) => {
    const review = await tx.review.findUnique({ where: { id: reviewId }, select: { id: true, hidden: true, listingId: true, listing: { select: { publisher: { select: { orgId: true } } } } } });
    if (!review) throw notFound("Review");
    const resolved = await tx.reviewReport.updateMany({ where: { reviewId, resolvedAt: null }, data: { resolvedAt: new Date() } });
    if (review.hidden === hidden && resolved.count > 0) {
      await recordAudit(tx, {
        orgId: review.listing.publisher.orgId,
        actor: admin,
        action: "marketplace.review_kept",
        targetType: "review",
        targetId: reviewId,
        before: { openReports: resolved.count },
        after: { openReports: 0, hidden },
      });
    }
    if (review.hidden !== hidden) {
      await lockListing(tx, review.listingId);
      await tx.review.update({ where: { id: reviewId }, data: { hidden, hiddenAt: hidden ? new Date() : null } });
      await recomputeRating(tx, review.listingId);
      await recordAudit(tx, {
        orgId: review.listing.publisher.orgId,
        actor: admin,
        action: hidden ? "marketplace.review_hidden" : "marketplace.review_unhidden",
        targetType: "review",
        targetId: reviewId,
        before: { hidden: review.hidden },
        after: { hidden },
      });
    }
    return { id: reviewId, hidden };
  });
}

const REPORT_PAGE = 50;

/**
 * Reports for platform admins: the open ones first, oldest first (a queue); with resolved ones
 * included, those follow, the most recently decided first.
 */
export async function listReports(opts: { db: Db; page: number; includeResolved: boolean }) {
  const { db, page, includeResolved } = opts;
  const where = includeResolved ? {} : { resolvedAt: null };
  const [rows, total] = await Promise.all([
    db.reviewReport.findMany({
      where,
      orderBy: [{ resolvedAt: { sort: "desc", nulls: "first" } }, { createdAt: "asc" }, { id: "asc" }],
      skip: (page - 1) * REPORT_PAGE,
      take: REPORT_PAGE,
      select: {
        id: true,
        reason: true,
        createdAt: true,
        resolvedAt: true,
        reporter: { select: { name: true } },
        review: { select: { id: true, rating: true, body: true, hidden: true, user: { select: { name: true } }, listing: { select: { slug: true, name: true } } } },
      },
    }),
    db.reviewReport.count({ where }),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      reason: r.reason,
      createdAt: r.createdAt,
      resolvedAt: r.resolvedAt,
      reporter: authorName(r.reporter),
      review: { id: r.review.id, rating: r.review.rating, body: r.review.body, hidden: r.review.hidden, author: authorName(r.review.user), listingSlug: r.review.listing.slug, listingName: r.review.listing.name },
    })),
    total,
    page,
    pageSize: REPORT_PAGE,
  };
}
