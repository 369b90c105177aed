import type { z } from "zod";
import type { Db, Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, DomainError, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { keyFingerprint, parsePublicKey } from "./signing";
import { asDomainError, listingSearchText, uniqueConflict } from "./common";
import type { addKeyInput, createPublisherInput, PublisherView, updatePublisherInput } from "./schema";
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
  keys: { select: { keyId: true, publicKey: true, label: true, createdAt: true }, orderBy: { createdAt: "asc" as const } },
} as const;

export const MAX_KEYS_PER_PUBLISHER = 10;

/** The organization's publisher, or NOT_FOUND saying how to become one. */
export async function requirePublisher(tx: Tx | Db, ctx: OrgContext) {
  const publisher = await tx.publisher.findUnique({ where: { orgId: ctx.org.id }, select: { id: true, slug: true, displayName: true } });
  if (!publisher) throw new DomainError("NOT_FOUND", `${ctx.org.name} is not a marketplace publisher yet: create its publisher profile first`);
  return publisher;
}

export async function getOwnPublisher(opts: { ctx: OrgContext }): Promise<PublisherView | null> {
  return opts.ctx.db.publisher.findUnique({ where: { orgId: opts.ctx.org.id }, select: publisherSelect });
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
      return publisher;
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
    if (Object.keys(changes).length === 0) return tx.publisher.findUniqueOrThrow({ where: { id: current.id }, select: publisherSelect });
    const updated = await tx.publisher.update({ where: { id: current.id }, data: changes, select: publisherSelect });
    if (changes.displayName) await refreshListingSearchText(tx, current.id, changes.displayName);
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, current[k as keyof typeof changes] ?? null]));
    await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.publisher_updated", targetType: "publisher", targetId: current.id, before, after: changes });
    return updated;
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
      const existing = await tx.publisherKey.findUnique({ where: { keyId }, select: { publisherId: true } });
      if (existing) {
        throw conflict(existing.publisherId === publisher.id ? `This key (${keyId}) is already registered` : `This key (${keyId}) is registered to another publisher; a key belongs to one publisher only. Generate a new key pair`, "publicKey");
      }
      if ((await tx.publisherKey.count({ where: { publisherId: publisher.id } })) >= MAX_KEYS_PER_PUBLISHER) {
        throw badRequest(`A publisher has at most ${MAX_KEYS_PER_PUBLISHER} keys`, "publicKey");
      }
      await tx.publisherKey.create({ data: { publisherId: publisher.id, keyId, publicKey: raw.toString("base64"), label: input.label ?? null } });
      await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "marketplace.publisher_key_added", targetType: "publisher", targetId: publisher.id, after: { keyId, label: input.label ?? null } });
      return tx.publisher.findUniqueOrThrow({ where: { id: publisher.id }, select: publisherSelect });
    })
    .catch((e: unknown) => {
      throw uniqueConflict(e, `This key (${keyId}) is already registered`, "publicKey");
    });
}

/** Platform admins only (the procedure checks): marks a publisher verified or not, audited in its organization. */
export async function setPublisherVerified(opts: { db: Db; admin: { id: string; email: string }; publisherId: string; verified: boolean }) {
  const { db, admin, publisherId, verified } = opts;
  return db.$transaction(async (tx) => {
    const publisher = await tx.publisher.findUnique({ where: { id: publisherId }, select: { id: true, orgId: true, verified: true } });
    if (!publisher) throw notFound("Publisher");
    if (publisher.verified === verified) return tx.publisher.findUniqueOrThrow({ where: { id: publisherId }, select: publisherSelect });
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
    return updated;
  });
}

/** What the caller may do in the marketplace beyond their organizations' roles. */
export async function marketplaceStanding(opts: { db: Db; userId: string }) {
  const row = await opts.db.user.findUnique({ where: { id: opts.userId }, select: { platformAdmin: true } });
  return { platformAdmin: row?.platformAdmin ?? false };
}
