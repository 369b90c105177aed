import { z } from "zod";
import { idSchema } from "@/server/orgs/schema";
import { tagSchema } from "@/server/agents/schema";
import { listingKindSchema } from "./manifest";
import { KEY_ID_PATTERN } from "./signing";

export { listingKindSchema };

// ---------------------------------------------------------------------------------------------
// Categories: a fixed list, so filters mean the same thing for every publisher.

export const CATEGORIES = {
  security: "Security",
  privacy: "Privacy & compliance",
  "content-filtering": "Content filtering",
  routing: "Routing & resilience",
  providers: "Model providers",
  "local-models": "Local models",
  observability: "Observability",
  cost: "Cost control",
  "developer-tools": "Developer tools",
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_SLUGS = Object.keys(CATEGORIES) as [Category, ...Category[]];
export const categorySchema = z.enum(CATEGORY_SLUGS, { message: `A category is one of ${CATEGORY_SLUGS.join(", ")}` });

// ---------------------------------------------------------------------------------------------
// Inputs

const marketplaceSlug = (what: string) =>
  z
    .string({ message: `Give the ${what}'s slug` })
    .trim()
    .min(2, "A slug has at least 2 characters")
    .max(64, "A slug has at most 64 characters")
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "A slug uses lowercase letters, digits and single dashes, e.g. keyword-blocker");

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(2048, `${what} has at most 2048 characters`)
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), `${what} is an http:// or https:// URL`);

const optionalText = (max: number, what: string) => z.string().trim().max(max, `${what} has at most ${max} characters`).nullable().optional();

export const listingSlugSchema = marketplaceSlug("listing");
/** Slugs of the marketplace's own pages under /marketplace/…, which a listing of that slug would hide behind. */
export const RESERVED_LISTING_SLUGS: readonly string[] = ["admin"];
export const publisherSlugSchema = marketplaceSlug("publisher");

export const createPublisherInput = z.object({
  slug: publisherSlugSchema,
  displayName: z.string({ message: "Give the publisher's name" }).trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters"),
  description: optionalText(2000, "A description"),
  website: httpUrl("The website").nullable().optional(),
});

/** The slug is not editable: listing pages and signatures name it. */
export const updatePublisherInput = z.object({
  displayName: createPublisherInput.shape.displayName.optional(),
  description: optionalText(2000, "A description"),
  website: httpUrl("The website").nullable().optional(),
});

export const addKeyInput = z.object({
  /** ed25519 public key: raw 32 bytes in base64, or a PEM "BEGIN PUBLIC KEY" block. */
  publicKey: z.string({ message: "Paste the public key" }).trim().min(1, "Paste the public key").max(1000, "A public key has at most 1000 characters"),
  label: z.string().trim().max(80, "A label has at most 80 characters").nullable().optional(),
});

/** A publisher key, named by its fingerprint (what versions name as their signing key). */
export const revokeKeyInput = z.object({
  signingKeyId: z.string({ message: "Name the key to revoke" }).trim().regex(KEY_ID_PATTERN, 'A key id looks like "ed25519:" followed by 32 hex digits'),
});

export const listingFields = {
  name: z.string({ message: "Give the listing a name" }).trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters"),
  summary: z.string({ message: "Write a one-line summary" }).trim().min(10, "A summary has at least 10 characters").max(200, "A summary has at most 200 characters"),
  /** Markdown; size is checked by the service (100 KB) so the message can say how big it is. */
  readme: z.string().max(1_000_000, "The README is far over the 100 KB limit"),
  /** A data: URL (PNG, JPEG, GIF, WebP, SVG) or SVG markup; null clears it. Capped at 64 KB by the service. */
  icon: z.string().max(1_000_000, "The icon is far over the 64 KB limit").nullable(),
  categories: z.array(categorySchema).min(1, "Choose at least one category").max(3, "Choose at most 3 categories"),
  tags: z.array(tagSchema).max(10, "At most 10 tags"),
  license: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9.+ ()-]{0,63}$/, "Give an SPDX licence id, e.g. MIT or Apache-2.0").nullable(),
  sourceUrl: httpUrl("The source link").nullable(),
};

export const createListingInput = z.object({
  kind: listingKindSchema,
  slug: listingSlugSchema.refine((slug) => !RESERVED_LISTING_SLUGS.includes(slug), "This slug is taken by a marketplace page; choose another"),
  name: listingFields.name,
  summary: listingFields.summary,
  readme: listingFields.readme.default(""),
  icon: listingFields.icon.optional(),
  categories: listingFields.categories,
  tags: listingFields.tags.default([]),
  license: listingFields.license.optional(),
  sourceUrl: listingFields.sourceUrl.optional(),
});

/** The kind and slug stay as created (manifests and signatures depend on them). */
export const updateListingInput = z.object({
  listingId: idSchema,
  name: listingFields.name.optional(),
  summary: listingFields.summary.optional(),
  readme: listingFields.readme.optional(),
  icon: listingFields.icon.optional(),
  categories: listingFields.categories.optional(),
  tags: listingFields.tags.optional(),
  license: listingFields.license.optional(),
  sourceUrl: listingFields.sourceUrl.optional(),
});

export const publishVersionInput = z.object({
  listingId: idSchema,
  /** MAJOR.MINOR.PATCH[-prerelease], greater than every version published before. */
  version: z.string({ message: "Give the version, e.g. 1.0.0" }).trim().min(1, "Give the version, e.g. 1.0.0").max(64, "A version has at most 64 characters"),
  changelog: z.string().max(20_000, "A changelog has at most 20,000 characters").default(""),
  /** The manifest exactly as signed (validated by server/marketplace/manifest.ts). */
  manifest: z.record(z.string(), z.unknown(), { message: "The manifest is a JSON object" }),
  /** base64 ed25519 signature over the canonical JSON of { listing, manifest, version }. */
  signature: z.string({ message: "Give the signature" }).trim().max(200, "A signature has at most 200 characters"),
  /** The fingerprint of the publisher key that signed ("ed25519:…"). */
  signingKeyId: z.string({ message: "Name the signing key" }).trim().regex(KEY_ID_PATTERN, 'A key id looks like "ed25519:" followed by 32 hex digits'),
});

export const yankVersionInput = z.object({
  versionId: idSchema,
  reason: z.string().trim().max(500, "A reason has at most 500 characters").nullable().optional(),
});

export const SEARCH_SORTS = ["relevance", "popular", "rating", "newest"] as const;
export const searchInput = z.object({
  q: z.string().trim().max(200, "A search has at most 200 characters").optional(),
  kind: listingKindSchema.optional(),
  category: categorySchema.optional(),
  verifiedOnly: z.boolean().default(false),
  /** Only listings whose latest version works with this HelixAgent (their manifest's helixVersion). */
  compatibleOnly: z.boolean().default(false),
  /** Default: relevance with a query, popular without. */
  sort: z.enum(SEARCH_SORTS, { message: "Sort by relevance, popular, rating or newest" }).optional(),
  page: z.number().int().min(1, "Pages start at 1").max(1000, "At most 1000 pages").default(1),
  pageSize: z.number().int().min(1).max(50, "At most 50 per page").default(20),
});

export const listingSlugInput = z.object({ listingSlug: listingSlugSchema });
export const versionLookupInput = z.object({
  listingSlug: listingSlugSchema,
  /** A specific version; the latest one that is not yanked when left out. */
  version: z.string().trim().max(64).optional(),
});
export const reviewListInput = z.object({
  listingSlug: listingSlugSchema,
  page: z.number().int().min(1).max(1000).default(1),
  pageSize: z.number().int().min(1).max(50).default(10),
});

export const upsertReviewInput = z.object({
  listingId: idSchema,
  rating: z.number({ message: "Give a rating from 1 to 5" }).int("A rating is a whole number of stars").min(1, "A rating is 1–5 stars").max(5, "A rating is 1–5 stars"),
  body: z.string().trim().max(5000, "A review has at most 5000 characters").default(""),
});
export const replyReviewInput = z.object({
  reviewId: idSchema,
  /** Empty text removes the reply. */
  reply: z.string().trim().max(5000, "A reply has at most 5000 characters"),
});
export const reportReviewInput = z.object({
  reviewId: idSchema,
  reason: z.string({ message: "Say what is wrong with the review" }).trim().min(3, "Say what is wrong with the review").max(1000, "A reason has at most 1000 characters"),
});
export const setVerifiedInput = z.object({ publisherId: idSchema, verified: z.boolean() });
export const hideReviewInput = z.object({ reviewId: idSchema, hidden: z.boolean() });
export const reportListInput = z.object({
  page: z.number().int().min(1).max(1000).default(1),
  includeResolved: z.boolean().default(false),
});
/** Platform admins' list of publishers: newest first, searched by name or slug. */
export const adminPublisherListInput = z.object({
  q: z.string().trim().max(200, "A search has at most 200 characters").optional(),
  page: z.number().int().min(1, "Pages start at 1").max(1000, "At most 1000 pages").default(1),
  pageSize: z.number().int().min(1).max(50, "At most 50 per page").default(20),
});

// ---------------------------------------------------------------------------------------------
// Outputs

export const publisherKeyView = z.object({
  keyId: z.string(),
  publicKey: z.string(),
  label: z.string().nullable(),
  createdAt: z.date(),
  /** When the key was revoked; null while it may sign. */
  revokedAt: z.date().nullable(),
  /** How many of the publisher's versions this key signed (revoking it makes them uninstallable). */
  signedVersions: z.number().int(),
});
export const publisherView = z.object({
  id: z.string(),
  slug: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  website: z.string().nullable(),
  verified: z.boolean(),
  verifiedAt: z.date().nullable(),
  createdAt: z.date(),
  keys: z.array(publisherKeyView),
});
export type PublisherView = z.infer<typeof publisherView>;

export const publisherPublic = z.object({
  slug: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  website: z.string().nullable(),
  verified: z.boolean(),
});

export const listingSummary = z.object({
  id: z.string(),
  slug: z.string(),
  kind: listingKindSchema,
  name: z.string(),
  summary: z.string(),
  icon: z.string().nullable(),
  categories: z.array(z.string()),
  tags: z.array(z.string()),
  installCount: z.number().int(),
  ratingAvg: z.number(),
  ratingCount: z.number().int(),
  latestVersion: z.string().nullable(),
  /** The HelixAgent versions the latest version works with (a semver range); null = any. */
  helixRange: z.string().nullable(),
  /** Whether the latest version works with this HelixAgent. */
  compatible: z.boolean(),
  publishedAt: z.date().nullable(),
  publisher: z.object({ slug: z.string(), displayName: z.string(), verified: z.boolean() }),
});
export type ListingSummary = z.infer<typeof listingSummary>;

export const searchResult = z.object({
  items: z.array(listingSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  pageCount: z.number().int(),
  sort: z.enum(SEARCH_SORTS),
});

export const categoryView = z.object({ slug: categorySchema, label: z.string(), count: z.number().int() });

const manifestView = z.record(z.string(), z.unknown());

export const versionView = z.object({
  id: z.string(),
  version: z.string(),
  changelog: z.string(),
  publishedAt: z.date(),
  yanked: z.boolean(),
  yankedAt: z.date().nullable(),
  yankReason: z.string().nullable(),
  keyId: z.string(),
});

export const reviewView = z.object({
  id: z.string(),
  rating: z.number().int(),
  body: z.string(),
  /** The reviewer's display name (never their email). */
  author: z.string(),
  mine: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  reply: z.string().nullable(),
  repliedAt: z.date().nullable(),
});
export type ReviewView = z.infer<typeof reviewView>;

export const reviewPage = z.object({ items: z.array(reviewView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const ratingSummary = z.object({
  average: z.number(),
  count: z.number().int(),
  /** Reviews per star, index 0 = 1 star. */
  distribution: z.array(z.number().int()).length(5),
});

export const listingDetail = listingSummary.extend({
  readmeHtml: z.string(),
  license: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  updatedAt: z.date(),
  publisher: publisherPublic,
  versions: z.array(versionView),
  /** The latest version that is not yanked, with its manifest (what it hooks, its configuration form). */
  latest: z.object({ version: z.string(), manifest: manifestView }).nullable(),
  rating: ratingSummary,
  reviews: reviewPage,
  /** The signed-in caller's own review, to edit; null when signed out or not reviewed. */
  myReview: reviewView.nullable(),
});
export type ListingDetail = z.infer<typeof listingDetail>;

/** A publisher's own listing, drafts included, with what only the publisher sees. */
export const ownListingView = listingSummary.extend({
  readme: z.string(),
  license: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  versions: z.array(versionView),
  updatedAt: z.date(),
});
export type OwnListingView = z.infer<typeof ownListingView>;

/** One of the publisher's own listings for its console page: with the manifest of its newest version (yanked or not), where the next one starts from. */
export const ownListingDetail = ownListingView.extend({ latestManifest: manifestView.nullable() });
export type OwnListingDetail = z.infer<typeof ownListingDetail>;

/** The organization a signed-in visitor replies to a listing's reviews as: the publisher's, where they are an Admin or above. */
export const replyAsView = z.object({ orgSlug: z.string(), orgName: z.string() });

export const installableVersion = z.object({
  listingId: z.string(),
  listingSlug: z.string(),
  kind: listingKindSchema,
  version: z.string(),
  changelog: z.string(),
  publishedAt: z.date(),
  /** The manifest exactly as signed. */
  manifest: manifestView,
  /** The same manifest with defaults filled in (failMode, timeoutMs, …): what an install uses. */
  resolvedManifest: manifestView,
  signature: z.string(),
  keyId: z.string(),
  /** The signing key (base64 raw ed25519), so anyone can check the signature themselves. */
  publicKey: z.string(),
  /** Checked again on this read against the publisher's key. */
  signatureValid: z.literal(true),
});

export const marketplaceMe = z.object({ platformAdmin: z.boolean() });

export const reportView = z.object({
  id: z.string(),
  reason: z.string(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  reporter: z.string(),
  review: z.object({ id: z.string(), rating: z.number().int(), body: z.string(), author: z.string(), hidden: z.boolean(), listingSlug: z.string(), listingName: z.string() }),
});
export const reportPage = z.object({ items: z.array(reportView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/** A publisher as platform admins see it to decide on verification (no organization data). */
export const adminPublisherView = z.object({
  id: z.string(),
  slug: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  website: z.string().nullable(),
  verified: z.boolean(),
  verifiedAt: z.date().nullable(),
  createdAt: z.date(),
  /** Listings with at least one published version. */
  publishedListings: z.number().int(),
});
export const adminPublisherPage = z.object({ items: z.array(adminPublisherView), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
