import type { z } from "zod";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, DomainError, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { lockListing, toVersionView, versionSelect } from "./common";
import { canonicalJson, checkManifest, listingKindLabel, manifestSchema, MAX_MANIFEST_BYTES, type ListingKind } from "./manifest";
import { checkSignature, verifyVersion } from "./signing";
import { helixRangeSchema, multirangeLiteral, worksWith } from "./compatibility";
import { HELIX_VERSION } from "@/server/version";
import { checkNextVersion, latestAvailable, parseVersion, sortVersionsDesc } from "./versions";
import type { publishVersionInput } from "./schema";

/**
 * Publishing versions: a version is accepted only when its number is semver and greater than every
 * version published before, its manifest is valid for the listing's kind, and its signature verifies
 * with one of the listing's publisher's keys. Yanked versions stay listed (flagged) but cannot be
 * installed.
 */

/** The listing's latest installable version, and the HelixAgent versions that one works with. */
async function refreshLatest(tx: Tx, listingId: string) {
  const versions = await tx.listingVersion.findMany({ where: { listingId }, select: { version: true, yankedAt: true, manifest: true } });
  const latest = latestAvailable(versions);
  const parsedRange = helixRangeSchema.safeParse((versions.find((v) => v.version === latest)?.manifest as { helixVersion?: unknown } | undefined)?.helixVersion);
  const range = parsedRange.success ? parsedRange.data : null;
  await tx.listing.update({ where: { id: listingId }, data: { latestVersion: latest, helixRange: range } });
  await tx.$executeRaw`UPDATE "Listing" SET "helixVersions" = ${range === null ? null : multirangeLiteral(range)}::int8multirange WHERE "id" = ${listingId}`;
}

export async function publishVersion(opts: { ctx: OrgContext; input: z.output<typeof publishVersionInput> }) {
  const { ctx, input } = opts;
  return ctx.db
    .$transaction(async (tx) => {
      const listing = await tx.listing.findFirst({
        where: { id: input.listingId, publisher: { orgId: ctx.org.id } },
        select: { id: true, slug: true, name: true, kind: true, publishedAt: true, publisher: { select: { id: true, displayName: true, keys: { select: { keyId: true, publicKey: true, revokedAt: true } } } } },
      });
      if (!listing) throw notFound("Listing");
      await lockListing(tx, listing.id);

      let size: number;
      try {
        size = Buffer.byteLength(canonicalJson(input.manifest), "utf8");
      } catch (error) {
        throw badRequest(`Invalid manifest: ${(error as Error).message}`, "manifest");
      }
      if (size > MAX_MANIFEST_BYTES) throw badRequest(`The manifest is ${Math.ceil(size / 1024)} KB; the most a manifest may have is ${MAX_MANIFEST_BYTES / 1024} KB`, "manifest");
      const manifest = checkManifest(input.manifest);
      if (!manifest.ok) throw badRequest(manifest.message, manifest.path);
      const kind = listing.kind as ListingKind;
      if (manifest.manifest.kind !== kind) {
        throw badRequest(`The manifest is a ${listingKindLabel[manifest.manifest.kind].toLowerCase()} (${manifest.manifest.kind}) but ${listing.name} is a ${listingKindLabel[kind].toLowerCase()} (${kind}) listing`, "manifest.kind");
      }

      const published = await tx.listingVersion.findMany({ where: { listingId: listing.id }, select: { version: true } });
      const next = checkNextVersion(input.version, published.map((v) => v.version));
      if (!next.ok) throw badRequest(next.message, "version");

      const named = listing.publisher.keys.find((k) => k.keyId === input.signingKeyId);
      const current = listing.publisher.keys.filter((k) => !k.revokedAt);
      if (named?.revokedAt) {
        throw badRequest(
          `Key ${named.keyId} was revoked on ${named.revokedAt.toISOString().slice(0, 10)} and signs no new versions: ${current.length ? `sign with one of ${listing.publisher.displayName}'s current keys` : `add a new key to ${listing.publisher.displayName} and sign with it`}`,
          "signingKeyId",
        );
      }
      const elsewhere = await tx.publisherKey.findFirst({ where: { keyId: input.signingKeyId, publisherId: { not: listing.publisher.id } }, select: { id: true } });
      const signature = checkSignature({
        signature: input.signature,
        keyId: input.signingKeyId,
        listing: listing.slug,
        version: next.version.version,
        manifest: input.manifest,
        publisherName: listing.publisher.displayName,
        publisherKeys: current,
        keyOwnedElsewhere: elsewhere !== null,
      });
      if (!signature.ok) throw badRequest(signature.message, signature.reason === "malformed" || signature.reason === "mismatch" ? "signature" : "signingKeyId");

      const { version, major, minor, patch, prerelease } = next.version;
      const created = await tx.listingVersion.create({
        data: {
          listingId: listing.id,
          version,
          major,
          minor,
          patch,
          prerelease,
          changelog: input.changelog,
          // Stored exactly as signed, so the signature can be checked again at any time.
          manifest: input.manifest as Prisma.InputJsonValue,
          signature: input.signature.trim(),
          keyId: signature.keyId,
          publishedById: ctx.user.id,
        },
        select: versionSelect,
      });
      await tx.listing.update({ where: { id: listing.id }, data: { publishedAt: listing.publishedAt ?? created.publishedAt } });
      await refreshLatest(tx, listing.id);
      await recordAudit(tx, {
        orgId: ctx.org.id,
        actor: ctx.user,
        action: "marketplace.version_published",
        targetType: "listing",
        targetId: listing.id,
        after: { listing: listing.slug, version, keyId: signature.keyId },
      });
      return toVersionView(created);
    })
    .catch((e: unknown) => {
      if ((e as { code?: string }).code === "P2002") throw conflict(`Version ${input.version} is already published`, "version");
      throw e;
    });
}

export async function yankVersion(opts: { ctx: OrgContext; versionId: string; reason: string | null }) {
  const { ctx, versionId, reason } = opts;
  return ctx.db.$transaction(async (tx) => {
    const version = await tx.listingVersion.findFirst({
      where: { id: versionId, listing: { publisher: { orgId: ctx.org.id } } },
      select: { id: true, version: true, yankedAt: true, listingId: true, listing: { select: { slug: true } } },
    });
    if (!version) throw notFound("Version");
    if (version.yankedAt) throw badRequest(`Version ${version.version} was already yanked on ${version.yankedAt.toISOString().slice(0, 10)}`, "versionId");
    await lockListing(tx, version.listingId);
    const updated = await tx.listingVersion.update({ where: { id: version.id }, data: { yankedAt: new Date(), yankReason: reason }, select: versionSelect });
    await refreshLatest(tx, version.listingId);
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "marketplace.version_yanked",
      targetType: "listing",
      targetId: version.listingId,
      after: { listing: version.listing.slug, version: version.version, reason },
    });
    return toVersionView(updated);
  });
}

/**
 * The version an organization would install: the named one, or the latest that is not yanked. A
 * yanked version is refused with the alternative named; the signature is checked again against
 * the publisher's key on every read (a manifest changed in the database after publishing fails here).
 * A version signed by a key the publisher has since revoked is refused too, with a version signed
 * by a current key named when there is one.
 */
export async function getInstallableVersion(opts: { db: Db; listingSlug: string; version?: string }) {
  const { db, listingSlug } = opts;
  const listing = await db.listing.findFirst({
    where: { slug: listingSlug, publishedAt: { not: null } },
    select: { id: true, slug: true, name: true, kind: true, publisherId: true, versions: { select: { ...versionSelect, manifest: true, signature: true } } },
  });
  if (!listing) throw notFound("Listing");
  const keys = new Map((await db.publisherKey.findMany({ where: { publisherId: listing.publisherId }, select: { keyId: true, publicKey: true, revokedAt: true } })).map((k) => [k.keyId, k]));
  const sorted = sortVersionsDesc(listing.versions);
  const latest = sorted.find((v) => !v.yankedAt);
  let chosen: (typeof sorted)[number] | undefined;
  if (opts.version !== undefined) {
    const wanted = parseVersion(opts.version)?.version ?? opts.version.trim();
    chosen = sorted.find((v) => v.version === wanted);
    if (!chosen) throw new DomainError("NOT_FOUND", `${listing.name} has no version ${wanted.slice(0, 64)}${latest ? `; the latest is ${latest.version}` : ""}`);
    if (chosen.yankedAt) {
      throw badRequest(
        `Version ${chosen.version} of ${listing.name} was yanked on ${chosen.yankedAt.toISOString().slice(0, 10)}${chosen.yankReason ? ` (${chosen.yankReason})` : ""} and cannot be installed${latest ? `; install ${latest.version} instead` : ""}`,
        "version",
      );
    }
  } else {
    chosen = latest;
    if (!chosen) throw badRequest(`Every version of ${listing.name} has been yanked; there is nothing to install`, "version");
  }
  const key = keys.get(chosen.keyId);
  if (key?.revokedAt) {
    const alternative = sorted.find((v) => !v.yankedAt && v.version !== chosen.version && keys.get(v.keyId) && !keys.get(v.keyId)?.revokedAt);
    throw badRequest(
      `The publisher revoked the key that signed version ${chosen.version} of ${listing.name} (on ${key.revokedAt.toISOString().slice(0, 10)}), so it is no longer installed or upgraded to; ask them to publish a new version signed with a current key${alternative ? `, or install ${alternative.version}, which is signed with one` : ""}`,
      "version",
    );
  }
  if (!key || !verifyVersion({ publicKey: key.publicKey, signature: chosen.signature, listing: listing.slug, version: chosen.version, manifest: chosen.manifest })) {
    throw badRequest(`The signature of ${listing.name} ${chosen.version} does not verify with its publisher's key, so it will not be installed; the publisher must publish it again`, "version");
  }
  const resolved = manifestSchema.safeParse(chosen.manifest);
  if (!resolved.success) throw badRequest(`The manifest of ${listing.name} ${chosen.version} is no longer valid: ${resolved.error.issues[0]?.message ?? "unknown problem"}`, "version");
  const helixRange = resolved.data.helixVersion;
  if (!worksWith(helixRange, HELIX_VERSION)) {
    throw badRequest(`${listing.name} ${chosen.version} works with HelixAgent ${helixRange}; this is HelixAgent ${HELIX_VERSION}. Choose a version made for it, or upgrade HelixAgent first`, "version");
  }
  return {
    listingId: listing.id,
    listingSlug: listing.slug,
    kind: listing.kind as ListingKind,
    version: chosen.version,
    changelog: chosen.changelog,
    publishedAt: chosen.publishedAt,
    manifest: chosen.manifest as Record<string, unknown>,
    resolvedManifest: resolved.data as unknown as Record<string, unknown>,
    signature: chosen.signature,
    keyId: chosen.keyId,
    publicKey: key.publicKey,
    signatureValid: true as const,
  };
}
