import { beforeAll, describe, expect, it } from "vitest";
import { generateSigningKeyPair, signVersion } from "@/server/marketplace/signing";
import { HELIX_VERSION } from "@/server/version";
import { callerFor, createOrg, createUser, expectTRPCError, rand, type TestOrg, type TestUser } from "@/server/test/fixtures";

// Which HelixAgent versions a listing works with: published through the API, filtered in search,
// refused at install when this HelixAgent is not among them.

const signer = generateSigningKeyPair();
let publisher: TestUser;
let publisherOrg: TestOrg;
let admin: TestUser;
let org: TestOrg;
const [major, minor] = HELIX_VERSION.split(".").map(Number) as [number, number];
const FUTURE = `>=${major + 1}.0.0`;
const CURRENT = `^${HELIX_VERSION} || ${major}.${minor}.x`;

const pack = (name: string, helixVersion?: string) => ({
  kind: "POLICY_PACK",
  ...(helixVersion ? { helixVersion } : {}),
  policies: [{ name, mode: "MONITOR", condition: "true", effect: "REDACT", params: { kinds: ["EMAIL"], direction: "BOTH" } }],
});

async function listing(word: string) {
  const slug = `compat-${word}-${rand(4)}`;
  const created = await callerFor(publisher).marketplace.listing.create({ orgSlug: publisherOrg.slug, kind: "POLICY_PACK", slug, name: `Compat ${word}`, summary: `A pack about ${word} for compatibility tests`, categories: ["privacy"] });
  return { slug, id: created.id };
}

async function publish(l: { slug: string; id: string }, version: string, manifest: Record<string, unknown>) {
  return callerFor(publisher).marketplace.version.publish({
    orgSlug: publisherOrg.slug,
    listingId: l.id,
    version,
    changelog: "",
    manifest,
    signature: signVersion({ privateKey: signer.privateKey, listing: l.slug, version, manifest }),
    signingKeyId: signer.keyId,
  });
}

const search = (q: string, compatibleOnly: boolean) => callerFor(null).marketplace.search({ q, compatibleOnly, page: 1, pageSize: 24 });

beforeAll(async () => {
  publisher = await createUser();
  publisherOrg = await createOrg({ owner: publisher });
  await callerFor(publisher).marketplace.publisher.create({ orgSlug: publisherOrg.slug, slug: `compat-${rand(4)}`, displayName: "Compat Publisher" });
  await callerFor(publisher).marketplace.publisher.addKey({ orgSlug: publisherOrg.slug, publicKey: signer.publicKey });
  admin = await createUser();
  org = await createOrg({ owner: admin });
});

describe("HelixAgent compatibility", () => {
  it("refuses a helixVersion that is not a semver range, naming the field", async () => {
    const l = await listing("invalid");
    const { shape } = await expectTRPCError(publish(l, "1.0.0", pack("Bad range", "version two please")), "BAD_REQUEST", "manifest.helixVersion");
    expect(shape.message).toContain("is not a semver range");
  });

  it("filters search to listings whose latest version works with this HelixAgent, and follows the latest version", async () => {
    const word = `zebrafish${rand(3)}`;
    const future = await listing(`${word}-future`);
    await publish(future, "1.0.0", pack("Future pack", FUTURE));
    const current = await listing(`${word}-current`);
    await publish(current, "1.0.0", pack("Current pack", CURRENT));
    const any = await listing(`${word}-any`);
    await publish(any, "1.0.0", pack("Any pack"));

    const all = await search(word, false);
    expect(all.items.map((i) => i.slug).sort()).toEqual([any.slug, current.slug, future.slug].sort());
    expect(all.items.find((i) => i.slug === future.slug)).toMatchObject({ helixRange: FUTURE, compatible: false });
    expect(all.items.find((i) => i.slug === any.slug)).toMatchObject({ helixRange: null, compatible: true });
    expect((await search(word, true)).items.map((i) => i.slug).sort()).toEqual([any.slug, current.slug].sort());

    // A newer version made for this HelixAgent makes the listing compatible; yanking it goes back.
    const v2 = await publish(future, "2.0.0", pack("Future pack", CURRENT));
    expect((await search(word, true)).items.map((i) => i.slug)).toContain(future.slug);
    await callerFor(publisher).marketplace.version.yank({ orgSlug: publisherOrg.slug, versionId: v2.id, reason: "test" });
    expect((await search(word, true)).items.map((i) => i.slug)).not.toContain(future.slug);
  });

  it("does not install a version made for another HelixAgent, and says which versions it needs", async () => {
    const l = await listing("install");
    await publish(l, "1.0.0", pack("Compat install pack", CURRENT));
    await publish(l, "2.0.0", pack("Compat install pack", FUTURE));
    const caller = callerFor(admin);
    const { shape } = await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: l.slug }), "BAD_REQUEST", `works with HelixAgent ${FUTURE}; this is HelixAgent ${HELIX_VERSION}`);
    expect(shape.data.fieldErrors).toHaveProperty(["version"]);
    await expectTRPCError(callerFor(null).marketplace.version.get({ listingSlug: l.slug, version: "2.0.0" }), "BAD_REQUEST", "works with HelixAgent");

    const installed = await caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: l.slug, version: "1.0.0" });
    expect(installed.version).toBe("1.0.0");
    await expectTRPCError(caller.marketplace.install.upgrade({ orgSlug: org.slug, installId: installed.id, version: "2.0.0" }), "BAD_REQUEST", "works with HelixAgent");
    expect((await caller.marketplace.install.get({ orgSlug: org.slug, installId: installed.id })).version).toBe("1.0.0");
  });
});
