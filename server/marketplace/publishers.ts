import type { z } from "zod";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, DomainError, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { keyFingerprint, parsePublicKey } from "./signing";
import { asDomainError, listingSearchText, uniqueConflict } from "./common";
import type { addKeyInput, createPublisherInput, PublisherView, revokeKeyInput, updatePublisherInput } from "./schema";
import type { ListingKind } from "./manifest";

/** Publishers: an organization's public profile in the marketplace, its signing keys, and verification. */

const publisherSelect = {
  id: true,
  slug: true,
  displayName: true,
  description: true,
  website: true,
  verified: true,
  verifiedAt: true,
  createdAt: true,
  keys: { select: { keyId: true, publicKey: true, label: true, createdAt: true, revokedAt: true }, orderBy: { createdAt: "asc" as const } },
} as const;

/** At most this many keys that are not revoked (revoked ones stay on record, so the versions they signed can be named). */
export const MAX_KEYS_PER_PUBLISHER = 10;

const day = (d: Date) => d.toISOString().slice(0, 10);

type PublisherRow = Prisma.PublisherGetPayload<{ select: typeof publisherSelect }>;

/** The view of a publisher: its row, with how many versions each key signed (what revoking one would stop). */
async function toPublisherView(tx: Tx | Db, row: PublisherRow): Promise<PublisherView> {
  const counts =
    row.keys.length === 0
      ? []
      : await tx.listingVersion.groupBy({ by: ["keyId"], where: { keyId: { in: row.keys.map((k) => k.keyId) }, listing: { publisherId: row.id } }, _count: { _all: true } });
  const signed = new Map(counts.map((c) => [c.keyId, c._count._all]));
  return { ...row, keys: row.keys.map((k) => ({ ...k, signedVersions: signed.get(k.keyId) ?? 0 })) };
}

/** The publisher with this id, as its view. */
async function loadPublisherView(tx: Tx | Db, id: string): Promise<PublisherView> {
  return toPublisherView(tx, await tx.publisher.findUniqueOrThrow({ where: { id }, select: publisherSelect }));
}

/** The organization's publisher, or NOT_FOUND saying how to become one. */
export async function requirePublisher(tx: Tx | Db, ctx: OrgContext) {
  const publisher = await tx.publisher.findUnique({ where: { orgId: ctx.org.id }, select: { id: true, slug: true, displayName: true } });
  if (!publisher) throw new DomainError("NOT_FOUND", `${ctx.org.name} is not a marketplace publisher yet: create its publisher profile first`);
  return publisher;
}

export async function getOwnPublisher(opts: { ctx: OrgContext }): Promise<PublisherView | null> {
  const row = await opts.ctx.db.publisher.findUnique({ where: { orgId: opts.ctx.org.id }, select: publisherSelect });
  return row && toPublisherView(opts.ctx.db, row);
}

export async function createPublisher(opts: { ctx: OrgContext; input: z.output<typeof createPublisherInput> }): Promise<PublisherView> {
  const { ctx, input } = opts;
  return ctx.db
    .$transaction(async (tx) => {
      if (await tx.publisher.findUnique({ where: { orgId: ctx.org.id }, select: { id: true } })) {
        throw conflict(`${ctx.org.name} is already a publisher; edit its profile instead`);
      }
      const data = { slug: input.slug, displayName: input.displayName, description: input.description ?? null, website: input.website ?? null };
      const publisher = await tx.publisher.create({ data: { orgId: ctx.org.id, ...data }, select: publisherSelect });
      await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.publisher_created", targetType: "publisher", targetId: publisher.id, after: data });
      return toPublisherView(tx, publisher);
    })
    .catch((e: unknown) => {
      throw uniqueConflict(e, `The publisher slug "${input.slug}" is taken; choose another`, "slug");
    });
}

/** Rewrites the search text of a publisher's listings (it holds the publisher's name). */
async function refreshListingSearchText(tx: Tx, publisherId: string, publisherName: string) {
  const listings = await tx.listing.findMany({ where: { publisherId }, select: { id: true, name: true, summary: true, tags: true, categories: true, kind: true } });
  for (const l of listings) {
    await tx.listing.update({ where: { id: l.id }, data: { searchText: listingSearchText({ ...l, kind: l.kind as ListingKind, publisherName }) } });
  }
}

export async function updatePublisher(opts: { ctx: OrgContext; input: z.output<typeof updatePublisherInput> }): Promise<PublisherView> {
  const { ctx, input } = opts;
  return ctx.db.$transaction(async (tx) => {
    const current = await tx.publisher.findUnique({ where: { orgId: ctx.org.id }, select: { id: true, displayName: true, description: true, website: true } });
    if (!current) throw new DomainError("NOT_FOUND", `${ctx.org.name} is not a marketplace publisher yet: create its publisher profile first`);
    const changes: { displayName?: string; description?: string | null; website?: string | null } = {};
    if (input.displayName !== undefined && input.displayName !== current.displayName) changes.displayName = input.displayName;
    if (input.description !== undefined && (input.description ?? null) !== current.description) changes.description = input.description ?? null;
    if (input.website !== undefined && (input.website ?? null) !== current.website) changes.website = input.website ?? null;
    if (Object.keys(changes).length === 0) return loadPublisherView(tx, current.id);
    const updated = await tx.publisher.update({ where: { id: current.id }, data: changes, select: publisherSelect });
    if (changes.displayName) await refreshListingSearchText(tx, current.id, changes.displayName);
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, current[k as keyof typeof changes] ?? null]));
    await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.publisher_updated", targetType: "publisher", targetId: current.id, before, after: changes });
    return toPublisherView(tx, updated);
  });
}

/** Registers an ed25519 public key; versions are signed with it from then on. */
export async function addPublisherKey(opts: { ctx: OrgContext; input: z.output<typeof addKeyInput> }): Promise<PublisherView> {
  const { ctx, input } = opts;
  let raw: Buffer;
  try {
    raw = parsePublicKey(input.publicKey);
  } catch (error) {
    throw asDomainError(error);
  }
  const keyId = keyFingerprint(raw);
  return ctx.db
    .$transaction(async (tx) => {
      const publisher = await requirePublisher(tx, ctx);
      const existing = await tx.publisherKey.findUnique({ where: { keyId }, select: { publisherId: true, revokedAt: true } });
      if (existing) {
        if (existing.publisherId !== publisher.id) {
          throw conflict(`This key (${keyId}) is registered to another publisher; a key belongs to one publisher only. Generate a new key pair`, "publicKey");
        }
        throw conflict(
          existing.revokedAt ? `This key (${keyId}) was revoked on ${day(existing.revokedAt)} and cannot be registered again; generate a new key pair` : `This key (${keyId}) is already registered`,
          "publicKey",
        );
      }
      if ((await tx.publisherKey.count({ where: { publisherId: publisher.id, revokedAt: null } })) >= MAX_KEYS_PER_PUBLISHER) {
        throw badRequest(`A publisher has at most ${MAX_KEYS_PER_PUBLISHER} keys in use; revoke one it no longer signs with first`, "publicKey");
      }
      await tx.publisherKey.create({ data: { publisherId: publisher.id, keyId, publicKey: raw.toString("base64"), label: input.label ?? null } });
      await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.publisher_key_added", targetType: "publisher", targetId: publisher.id, after: { keyId, label: input.label ?? null } });
      return loadPublisherView(tx, publisher.id);
    })
    .catch((e: unknown) => {
      throw uniqueConflict(e, `This key (${keyId}) is already registered`, "publicKey");
    });
}

/**
 * Revokes one of the publisher's keys, for good: it signs no new version, and the versions it
 * signed are no longer installed or upgraded to (installs already made keep running). The key stays
 * on record so those versions can still name it. Revoking the last key is allowed; the publisher
 * adds a new one before publishing again.
 */
export async function revokePublisherKey(opts: { ctx: OrgContext; input: z.output<typeof revokeKeyInput> }): Promise<PublisherView> {
  const { ctx, input } = opts;
  return ctx.db.$transaction(async (tx) => {
    const publisher = await requirePublisher(tx, ctx);
    // Another publisher's key is NOT_FOUND with the same words as a key nobody registered.
    const key = await tx.publisherKey.findFirst({ where: { keyId: input.signingKeyId, publisherId: publisher.id }, select: { id: true, keyId: true, label: true, revokedAt: true } });
    if (!key) throw new DomainError("NOT_FOUND", `Key ${input.signingKeyId} is not one of ${publisher.displayName}'s keys`, { field: "signingKeyId" });
    const revokedAt = new Date();
    // Conditional on not being revoked yet, so two admins revoking at once get one revocation and one answer.
    const { count } = await tx.publisherKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt } });
    if (count === 0) {
      const when = key.revokedAt ?? (await tx.publisherKey.findUniqueOrThrow({ where: { id: key.id }, select: { revokedAt: true } })).revokedAt;
      throw conflict(`Key ${key.keyId} was already revoked${when ? ` on ${day(when)}` : ""}; nothing changed`, "signingKeyId");
    }
    const signedVersions = await tx.listingVersion.count({ where: { keyId: key.keyId, listing: { publisherId: publisher.id } } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "marketplace.publisher_key_revoked",
      targetType: "publisher",
      targetId: publisher.id,
      before: { keyId: key.keyId, revokedAt: null },
      after: { keyId: key.keyId, label: key.label, revokedAt: revokedAt.toISOString(), signedVersions },
    });
    return loadPublisherView(tx, publisher.id);
  });
}

/** Platform admins only (the procedure checks): marks a publisher verified or not, audited in its organization. */
export async function setPublisherVerified(opts: { db: Db; admin: { id: string; email: string }; publisherId: string; verified: boolean }) {
  const { db, admin, publisherId, verified } = opts;
  return db.$transaction(async (tx) => {
    const publisher = await tx.publisher.findUnique({ where: { id: publisherId }, select: { id: true, orgId: true, verified: true } });
    if (!publisher) throw notFound("Publisher");
    if (publisher.verified === verified) return loadPublisherView(tx, publisherId);
    const updated = await tx.publisher.update({ where: { id: publisherId }, data: { verified, verifiedAt: verified ? new Date() : null }, select: publisherSelect });
    await recordAudit(tx, {
      orgId: publisher.orgId,
      actor: admin,
      action: verified ? "marketplace.publisher_verified" : "marketplace.publisher_unverified",
      targetType: "publisher",
      targetId: publisher.id,
      before: { verified: publisher.verified },
      after: { verified },
    });
    return toPublisherView(tx, updated);
  });
}

/** What the caller may do in the marketplace beyond their organizations' roles. */
export async function marketplaceStanding(opts: { db: Db; userId: string }) {
  const row = await opts.db.user.findUnique({ where: { id: opts.userId }, select: { platformAdmin: true } });
  return { platformAdmin: row?.platformAdmin ?? false };
}

/**
 * Platform admins only (the procedure checks): every publisher, newest first, searched by name or
 * slug, with how many listings each has published, to decide whom to verify.
 */
export async function listPublishersForAdmin(opts: { db: Db; q?: string; page: number; pageSize: number }) {
  const { db, page, pageSize } = opts;
  // Prisma's `contains` passes LIKE wildcards through: a search for "%" means the character.
  const q = opts.q?.trim().replace(/[\\%_]/g, (c) => `\\${c}`);
  const where = q ? { OR: [{ displayName: { contains: q, mode: "insensitive" as const } }, { slug: { contains: q.toLowerCase() } }] } : {};
  const [rows, total] = await Promise.all([
    db.publisher.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        slug: true,
        displayName: true,
        description: true,
        website: true,
        verified: true,
        verifiedAt: true,
        createdAt: true,
        _count: { select: { listings: { where: { publishedAt: { not: null } } } } },
      },
    }),
    db.publisher.count({ where }),
  ]);
  return { items: rows.map(({ _count, ...p }) => ({ ...p, publishedListings: _count.listings })), total, page, pageSize };
}
