import type { z } from "zod";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Db } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { normalizeIcon, renderReadme } from "./content";
import { asDomainError, listingSearchText, summarySelect, toSummary, toVersionView, uniqueConflict, versionSelect } from "./common";
import { manifestSchema, type ListingKind } from "./manifest";
import { requirePublisher } from "./publishers";
import { listReviews, ratingSummaryOf, reviewViewSelect, toReviewView } from "./reviews";
import { sortVersionsDesc } from "./versions";
import { CATEGORIES, CATEGORY_SLUGS, type createListingInput, type ListingDetail, type OwnListingDetail, type OwnListingView, type updateListingInput } from "./schema";

/** Listings: what publishers create and edit, and what everyone can read. */

function rendered(input: { readme?: string; icon?: string | null }) {
  try {
    return {
      ...(input.readme !== undefined ? { readme: input.readme, readmeHtml: renderReadme(input.readme) } : {}),
      ...(input.icon !== undefined ? { icon: normalizeIcon(input.icon) } : {}),
    };
  } catch (error) {
    throw asDomainError(error);
  }
}

const ownSelect = {
  ...summarySelect,
  readme: true,
  license: true,
  sourceUrl: true,
  updatedAt: true,
  versions: { select: versionSelect },
} as const satisfies Prisma.ListingSelect;

function toOwnView(row: Prisma.ListingGetPayload<{ select: typeof ownSelect }>): OwnListingView {
  const { versions, ...rest } = row;
  return { ...toSummary(rest), readme: rest.readme, license: rest.license, sourceUrl: rest.sourceUrl, updatedAt: rest.updatedAt, versions: sortVersionsDesc(versions).map(toVersionView) };
}

/** What the audit log keeps of a listing change: not the README or icon themselves (they can be large). */
function auditable(data: Record<string, unknown>) {
  const out: Record<string, Prisma.InputJsonValue | null> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === "readmeHtml" || k === "searchText") continue;
    if (k === "readme" || k === "icon") out[k] = v === null ? null : `${Buffer.byteLength(String(v), "utf8")} bytes`;
    else out[k] = (v ?? null) as Prisma.InputJsonValue | null;
  }
  return out;
}

export async function createListing(opts: { ctx: OrgContext; input: z.output<typeof createListingInput> }): Promise<OwnListingView> {
  const { ctx, input } = opts;
  const content = rendered({ readme: input.readme, icon: input.icon ?? null });
  return ctx.db
    .$transaction(async (tx) => {
      const publisher = await requirePublisher(tx, ctx);
      const data = {
        kind: input.kind,
        slug: input.slug,
        name: input.name,
        summary: input.summary,
        categories: input.categories,
        tags: [...new Set(input.tags)],
        license: input.license ?? null,
        sourceUrl: input.sourceUrl ?? null,
        ...content,
      };
      const listing = await tx.listing.create({
        data: { ...data, publisherId: publisher.id, searchText: listingSearchText({ ...data, publisherName: publisher.displayName }) },
        select: ownSelect,
      });
      await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.listing_created", targetType: "listing", targetId: listing.id, after: auditable(data) });
      return toOwnView(listing);
    })
    .catch((e: unknown) => {
      throw uniqueConflict(e, `The listing slug "${input.slug}" is taken; choose another`, "slug");
    });
}

export async function updateListing(opts: { ctx: OrgContext; input: z.output<typeof updateListingInput> }): Promise<OwnListingView> {
  const { ctx, input } = opts;
  return ctx.db.$transaction(async (tx) => {
    const current = await tx.listing.findFirst({
      where: { id: input.listingId, publisher: { orgId: ctx.org.id } },
      select: { id: true, kind: true, name: true, summary: true, tags: true, categories: true, license: true, sourceUrl: true, readme: true, icon: true, publisher: { select: { displayName: true } } },
    });
    if (!current) throw notFound("Listing");
    const changes: Record<string, unknown> = {};
    for (const key of ["name", "summary", "license", "sourceUrl"] as const) {
      if (input[key] !== undefined && (input[key] ?? null) !== current[key]) changes[key] = input[key] ?? null;
    }
    for (const key of ["tags", "categories"] as const) {
      const next = input[key] === undefined ? undefined : [...new Set(input[key] as string[])];
      if (next && next.join("\u0000") !== current[key].join("\u0000")) changes[key] = next;
    }
    if (input.readme !== undefined && input.readme !== current.readme) Object.assign(changes, rendered({ readme: input.readme }));
    if (input.icon !== undefined) {
      const icon = rendered({ icon: input.icon }).icon;
      if (icon !== current.icon) changes.icon = icon;
    }
    if (Object.keys(changes).length) {
      const merged = { name: current.name, summary: current.summary, tags: current.tags, categories: current.categories, ...changes } as { name: string; summary: string; tags: string[]; categories: string[] };
      await tx.listing.update({
        where: { id: current.id },
        data: { ...(changes as Prisma.ListingUpdateInput), searchText: listingSearchText({ ...merged, kind: current.kind as ListingKind, publisherName: current.publisher.displayName }) },
      });
      const before = auditable(Object.fromEntries(Object.keys(changes).map((k) => [k, (current as Record<string, unknown>)[k] ?? null])));
      await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.listing_updated", targetType: "listing", targetId: current.id, before, after: auditable(changes) });
    }
    return toOwnView(await tx.listing.findUniqueOrThrow({ where: { id: current.id }, select: ownSelect }));
  });
}

/** The organization's own listings, drafts (no version yet) included. */
export async function listOwnListings(opts: { ctx: OrgContext }): Promise<OwnListingView[]> {
  const rows = await opts.ctx.db.listing.findMany({ where: { publisher: { orgId: opts.ctx.org.id } }, orderBy: [{ name: "asc" }, { id: "asc" }], select: ownSelect, take: 500 });
  return rows.map(toOwnView);
}

/**
 * One of the organization's own listings by slug (a draft too) for its console page: every version,
 * yanked ones included, with the key that signed it, and the newest version's manifest. Another
 * organization's listing is NOT_FOUND.
 */
export async function getOwnListing(opts: { ctx: OrgContext; listingSlug: string }): Promise<OwnListingDetail> {
  const row = await opts.ctx.db.listing.findFirst({
    where: { slug: opts.listingSlug, publisher: { orgId: opts.ctx.org.id } },
    select: { ...ownSelect, versions: { select: { ...versionSelect, manifest: true } } },
  });
  if (!row) throw notFound("Listing");
  const versions = sortVersionsDesc(row.versions);
  return {
    ...toOwnView({ ...row, versions: versions.map(({ manifest: _manifest, ...v }) => v) }),
    latestManifest: (versions[0]?.manifest ?? null) as Record<string, unknown> | null,
  };
}

/**
 * A listing's public page: the listing, its publisher, the sanitized README, every version (yanked
 * ones flagged), the rating summary, the first page of reviews and, when signed in, the caller's own
 * review. Drafts (nothing published yet) are not found.
 */
export async function getListingDetail(opts: { db: Db; listingSlug: string; viewerId: string | null }): Promise<ListingDetail> {
  const { db, listingSlug, viewerId } = opts;
  const listing = await db.listing.findFirst({
    where: { slug: listingSlug, publishedAt: { not: null } },
    select: {
      ...summarySelect,
      readmeHtml: true,
      license: true,
      sourceUrl: true,
      updatedAt: true,
      publisher: { select: { slug: true, displayName: true, description: true, website: true, verified: true } },
      versions: { select: { ...versionSelect, manifest: true } },
    },
  });
  if (!listing) throw notFound("Listing");
  const { versions, readmeHtml, license, sourceUrl, updatedAt, publisher, ...summary } = listing;
  const sorted = sortVersionsDesc(versions);
  const latestRow = sorted.find((v) => !v.yankedAt) ?? null;
  const parsedLatest = latestRow ? manifestSchema.safeParse(latestRow.manifest) : null;
  const [rating, reviews, mine] = await Promise.all([
    ratingSummaryOf(db, listing.id, { average: listing.ratingAvg, count: listing.ratingCount }),
    listReviews({ db, listingId: listing.id, viewerId, page: 1, pageSize: 10 }),
    viewerId ? db.review.findUnique({ where: { listingId_userId: { listingId: listing.id, userId: viewerId } }, select: reviewViewSelect }) : null,
  ]);
  return {
    ...toSummary({ ...summary, publisher }),
    publisher,
    readmeHtml,
    license,
    sourceUrl,
    updatedAt,
    versions: sorted.map(({ manifest: _manifest, ...v }) => toVersionView(v)),
    latest: latestRow ? { version: latestRow.version, manifest: (parsedLatest?.success ? parsedLatest.data : latestRow.manifest) as Record<string, unknown> } : null,
    rating,
    reviews,
    myReview: mine ? toReviewView(mine, viewerId) : null,
  };
}

/** Every category with how many listings are in search under it. */
export async function listCategories(opts: { db: Db }) {
  const rows = await opts.db.$queryRaw<{ category: string; count: bigint }[]>`
    SELECT c AS category, count(*) AS count
    FROM "Listing" l, unnest(l."categories") AS c
    WHERE l."latestVersion" IS NOT NULL
    GROUP BY c`;
  const counts = new Map(rows.map((r) => [r.category, Number(r.count)]));
  return CATEGORY_SLUGS.map((slug) => ({ slug, label: CATEGORIES[slug], count: counts.get(slug) ?? 0 }));
}
