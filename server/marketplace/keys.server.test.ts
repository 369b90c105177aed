import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectTRPCError, rand } from "@/server/test/fixtures";
import { MAX_KEYS_PER_PUBLISHER } from "./publishers";
import { generateSigningKeyPair, signVersion, type SigningKeyPair } from "./signing";

// Publisher key revocation through the API, against Postgres: a revoked key signs nothing new, and
// the versions it signed are no longer installed or upgraded to.

const pack = (name: string) => ({
  kind: "POLICY_PACK",
  policies: [{ name, mode: "MONITOR", condition: '"PHI" in request.labels', effect: "REDACT", params: { kinds: ["EMAIL"], direction: "BOTH" } }],
});

/** A publisher organization with two keys (A and B) and a draft policy-pack listing. */
async function publisherWorld() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const caller = callerFor(owner);
  const [a, b] = [generateSigningKeyPair(), generateSigningKeyPair()];
  const publisher = await caller.marketplace.publisher.create({ orgSlug: org.slug, slug: `pub-${rand()}`, displayName: `Keyed ${rand(3)}` });
  await caller.marketplace.publisher.addKey({ orgSlug: org.slug, publicKey: a.publicKey, label: "A" });
  await caller.marketplace.publisher.addKey({ orgSlug: org.slug, publicKey: b.publicKey, label: "B" });
  const listing = await caller.marketplace.listing.create({ orgSlug: org.slug, kind: "POLICY_PACK", slug: `pack-${rand()}`, name: `Pack ${rand(3)}`, summary: "A pack for the key tests", categories: ["privacy"] });
  const publish = (version: string, signer: SigningKeyPair) => {
    const manifest = pack(`Mask ${version}`);
    return caller.marketplace.version.publish({
      orgSlug: org.slug,
      listingId: listing.id,
      version,
      manifest,
      signature: signVersion({ privateKey: signer.privateKey, listing: listing.slug, version, manifest }),
      signingKeyId: signer.keyId,
    });
  };
  const revoke = (key: SigningKeyPair) => caller.marketplace.publisher.revokeKey({ orgSlug: org.slug, signingKeyId: key.keyId });
  return { owner, org, caller, a, b, publisher, listing, publish, revoke };
}

/** Another organization that installs from the marketplace. */
async function consumer() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  return { org, caller: callerFor(owner) };
}

describe("revoking a publisher key", () => {
  it("shows the revocation on the key, audits it, and refuses new versions signed with it", async () => {
    const w = await publisherWorld();
    await w.publish("1.0.0", w.a);
    const before = await w.caller.marketplace.publisher.get({ orgSlug: w.org.slug });
    expect(before?.keys.map((k) => [k.label, k.revokedAt, k.signedVersions])).toEqual([
      ["A", null, 1],
      ["B", null, 0],
    ]);

    const after = await w.revoke(w.a);
    expect(after.keys).toEqual([
      expect.objectContaining({ keyId: w.a.keyId, label: "A", revokedAt: expect.any(Date), signedVersions: 1 }),
      expect.objectContaining({ keyId: w.b.keyId, label: "B", revokedAt: null }),
    ]);
    const [event] = await auditEventsOf(w.org.id, { action: "marketplace.publisher_key_revoked" });
    expect(event).toMatchObject({ actorEmail: w.owner.email, targetType: "publisher", targetId: w.publisher.id, after: { keyId: w.a.keyId, label: "A", signedVersions: 1 } });

    const { shape } = await expectTRPCError(w.publish("1.1.0", w.a), "BAD_REQUEST", `Key ${w.a.keyId} was revoked on`);
    expect(shape.data.fieldErrors).toEqual({ signingKeyId: [expect.stringContaining("sign with one of")] });
    expect(await db().listingVersion.count({ where: { listingId: w.listing.id } })).toBe(1);
    // The current key still signs.
    expect((await w.publish("1.1.0", w.b)).keyId).toBe(w.b.keyId);
  });

  it("makes the versions the key signed uninstallable and not upgradable, naming a version that is; installs already made stay", async () => {
    const w = await publisherWorld();
    await w.publish("1.0.0", w.a);
    const c = await consumer();
    const installed = await c.caller.marketplace.install.create({ orgSlug: c.org.slug, listingSlug: w.listing.slug, version: "1.0.0" });
    await w.publish("2.0.0", w.b);

    await w.revoke(w.b);
    const anon = callerFor(null);
    const { shape } = await expectTRPCError(
      anon.marketplace.version.get({ listingSlug: w.listing.slug }),
      "BAD_REQUEST",
      "The publisher revoked the key that signed version 2.0.0",
    );
    expect(shape.message).toContain("ask them to publish a new version signed with a current key, or install 1.0.0");
    await expectTRPCError(c.caller.marketplace.install.upgrade({ orgSlug: c.org.slug, installId: installed.id, version: "2.0.0" }), "BAD_REQUEST", "revoked the key that signed version 2.0.0");
    await expectTRPCError(c.caller.marketplace.install.preview({ orgSlug: c.org.slug, installId: installed.id, version: "2.0.0" }), "BAD_REQUEST", "revoked the key");
    const fresh = await consumer();
    await expectTRPCError(fresh.caller.marketplace.install.create({ orgSlug: fresh.org.slug, listingSlug: w.listing.slug }), "BAD_REQUEST", "revoked the key that signed version 2.0.0");
    // 1.0.0 was signed with the key that is still current.
    expect((await anon.marketplace.version.get({ listingSlug: w.listing.slug, version: "1.0.0" })).keyId).toBe(w.a.keyId);
    expect((await fresh.caller.marketplace.install.create({ orgSlug: fresh.org.slug, listingSlug: w.listing.slug, version: "1.0.0" })).version).toBe("1.0.0");
    // The existing install keeps its version.
    expect((await c.caller.marketplace.install.list({ orgSlug: c.org.slug })).map((i) => [i.id, i.version])).toEqual([[installed.id, "1.0.0"]]);
  });

  it("may revoke the last key; publishing then needs a new key, whose versions install again", async () => {
    const w = await publisherWorld();
    await w.publish("1.0.0", w.a);
    await w.revoke(w.a);
    const last = await w.revoke(w.b);
    expect(last.keys.every((k) => k.revokedAt !== null)).toBe(true);
    await expectTRPCError(callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug, version: "1.0.0" }), "BAD_REQUEST", /signed with a current key$/);
    await expectTRPCError(w.publish("1.0.1", w.b), "BAD_REQUEST", "add a new key to");

    const c = generateSigningKeyPair();
    await w.caller.marketplace.publisher.addKey({ orgSlug: w.org.slug, publicKey: c.publicKey, label: "C" });
    await w.publish("1.0.1", c);
    expect(await callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug })).toMatchObject({ version: "1.0.1", keyId: c.keyId, signatureValid: true });
  });

  it("answers a second revocation with CONFLICT, and refuses to register a revoked key again", async () => {
    const w = await publisherWorld();
    await w.revoke(w.a);
    const { shape } = await expectTRPCError(w.revoke(w.a), "CONFLICT", `Key ${w.a.keyId} was already revoked on`);
    expect(shape.data.fieldErrors).toHaveProperty("signingKeyId");
    await expectTRPCError(w.caller.marketplace.publisher.addKey({ orgSlug: w.org.slug, publicKey: w.a.publicKey }), "CONFLICT", "cannot be registered again; generate a new key pair");
    expect((await auditEventsOf(w.org.id, { action: "marketplace.publisher_key_revoked" })).length).toBe(1);
  });

  it("is NOT_FOUND for an unknown key and for another publisher's key, with the same words", async () => {
    const w = await publisherWorld();
    const other = await publisherWorld();
    const stranger = generateSigningKeyPair();
    await expectTRPCError(w.revoke(stranger), "NOT_FOUND", `Key ${stranger.keyId} is not one of`);
    await expectTRPCError(w.revoke(other.a), "NOT_FOUND", `Key ${other.a.keyId} is not one of ${w.publisher.displayName}'s keys`);
    expect((await other.caller.marketplace.publisher.get({ orgSlug: other.org.slug }))?.keys.every((k) => k.revokedAt === null)).toBe(true);
    await expectTRPCError(w.caller.marketplace.publisher.revokeKey({ orgSlug: w.org.slug, signingKeyId: "laptop" }), "BAD_REQUEST", 'looks like "ed25519:"');
    const plain = await consumer();
    await expectTRPCError(plain.caller.marketplace.publisher.revokeKey({ orgSlug: plain.org.slug, signingKeyId: w.a.keyId }), "NOT_FOUND", "not a marketplace publisher yet");
  });

  it("is for admins; other members see the keys and their revocation", async () => {
    const w = await publisherWorld();
    const editor = await createMember(w.org, "EDITOR");
    await expectTRPCError(callerFor(editor.user).marketplace.publisher.revokeKey({ orgSlug: w.org.slug, signingKeyId: w.a.keyId }), "FORBIDDEN", "Admin role");
    await w.revoke(w.a);
    const seen = await callerFor(editor.user).marketplace.publisher.get({ orgSlug: w.org.slug });
    expect(seen?.keys.find((k) => k.keyId === w.a.keyId)?.revokedAt).toBeInstanceOf(Date);
  });

  it(`caps keys in use at ${MAX_KEYS_PER_PUBLISHER}; revoked keys do not count`, async () => {
    const w = await publisherWorld();
    const more = Array.from({ length: MAX_KEYS_PER_PUBLISHER - 2 }, () => generateSigningKeyPair());
    for (const k of more) await w.caller.marketplace.publisher.addKey({ orgSlug: w.org.slug, publicKey: k.publicKey });
    const extra = generateSigningKeyPair();
    await expectTRPCError(w.caller.marketplace.publisher.addKey({ orgSlug: w.org.slug, publicKey: extra.publicKey }), "BAD_REQUEST", "revoke one it no longer signs with first");
    await w.revoke(w.a);
    const added = await w.caller.marketplace.publisher.addKey({ orgSlug: w.org.slug, publicKey: extra.publicKey });
    expect(added.keys).toHaveLength(MAX_KEYS_PER_PUBLISHER + 1);
  });
});
