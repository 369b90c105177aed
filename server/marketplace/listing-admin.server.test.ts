import { describe, expect, it } from "vitest";
import { callerFor, createMember, createOrg, createUser, expectTRPCError, rand } from "@/server/test/fixtures";
import { generateSigningKeyPair, signVersion } from "./signing";

// What the publisher's console pages read: one of its own listings with every version
// (marketplace.listing.own), and which organization a visitor replies to reviews as
// (marketplace.review.replyAs).

const manifestFor = (hooks: string[]) => ({ kind: "GATEWAY_PLUGIN", serviceUrl: "http://127.0.0.1:9/plugins/admin-probe", hooks });

async function publisherWorld() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const caller = callerFor(owner);
  const keys = generateSigningKeyPair();
  await caller.marketplace.publisher.create({ orgSlug: org.slug, slug: `pub-${rand()}`, displayName: `Publisher ${rand(3)}` });
  await caller.marketplace.publisher.addKey({ orgSlug: org.slug, publicKey: keys.publicKey });
  const listing = await caller.marketplace.listing.create({
    orgSlug: org.slug,
    kind: "GATEWAY_PLUGIN",
    slug: `admin-probe-${rand()}`,
    name: `Admin probe ${rand(3)}`,
    summary: "A plugin the listing admin tests publish",
    readme: "# Admin probe",
    categories: ["security"],
  });
  const publish = (version: string, manifest: Record<string, unknown>) =>
    caller.marketplace.version.publish({
      orgSlug: org.slug,
      listingId: listing.id,
      version,
      changelog: `Changes in ${version}`,
      manifest,
      signature: signVersion({ privateKey: keys.privateKey, listing: listing.slug, version, manifest }),
      signingKeyId: keys.keyId,
    });
  return { owner, org, caller, keys, listing, publish };
}

describe("marketplace.listing.own", () => {
  it("reads a draft, then every version newest first with its signing key and yanked state, and the newest manifest as signed", async () => {
    const w = await publisherWorld();
    const draft = await w.caller.marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: w.listing.slug });
    expect(draft).toMatchObject({ id: w.listing.id, slug: w.listing.slug, readme: "# Admin probe", versions: [], latestManifest: null, publishedAt: null });

    await w.publish("1.0.0", manifestFor(["before_request"]));
    const second = manifestFor(["before_request", "after_response"]);
    await w.publish("1.1.0", second);
    const [, v1] = (await w.caller.marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: w.listing.slug })).versions;
    await w.caller.marketplace.version.yank({ orgSlug: w.org.slug, versionId: v1!.id, reason: "Broken hook" });
    // The newest one yanked too: it is still where the next version starts from.
    const [v11] = (await w.caller.marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: w.listing.slug })).versions;
    await w.caller.marketplace.version.yank({ orgSlug: w.org.slug, versionId: v11!.id });

    const own = await w.caller.marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: w.listing.slug });
    expect(own.versions).toEqual([
      expect.objectContaining({ version: "1.1.0", yanked: true, yankReason: null, keyId: w.keys.keyId, changelog: "Changes in 1.1.0" }),
      expect.objectContaining({ version: "1.0.0", yanked: true, yankReason: "Broken hook", keyId: w.keys.keyId }),
    ]);
    // Exactly as signed: no defaults (timeoutMs, failMode) filled in, so it can be signed again as is.
    expect(own.latestManifest).toEqual(second);
    expect(own.latestVersion).toBeNull();
    // The public page still exists (published once), showing both as yanked.
    const page = await callerFor(null).marketplace.listing.get({ listingSlug: w.listing.slug });
    expect(page.versions.map((v) => [v.version, v.yanked])).toEqual([
      ["1.1.0", true],
      ["1.0.0", true],
    ]);
  });

  it("is readable by any member, and another organization's listing is NOT_FOUND even through the caller's own organization", async () => {
    const w = await publisherWorld();
    const viewer = await createMember(w.org, "VIEWER");
    expect((await callerFor(viewer.user).marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: w.listing.slug })).id).toBe(w.listing.id);

    const other = await publisherWorld();
    await expectTRPCError(other.caller.marketplace.listing.own({ orgSlug: other.org.slug, listingSlug: w.listing.slug }), "NOT_FOUND");
    await expectTRPCError(other.caller.marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: w.listing.slug }), "NOT_FOUND");
    await expectTRPCError(w.caller.marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: "no-such-listing" }), "NOT_FOUND");
    await expectTRPCError(w.caller.marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: "Not A Slug" }), "BAD_REQUEST");
    await expectTRPCError(callerFor(null).marketplace.listing.own({ orgSlug: w.org.slug, listingSlug: w.listing.slug }), "UNAUTHORIZED");
  });

  it("says how to become a publisher to an organization that is not one", async () => {
    const owner = await createUser();
    const org = await createOrg({ owner });
    await expectTRPCError(callerFor(owner).marketplace.listing.own({ orgSlug: org.slug, listingSlug: "anything" }), "NOT_FOUND");
  });
});

describe("marketplace.review.replyAs", () => {
  it("names the publisher's organization to its admins only, and to them replying works", async () => {
    const w = await publisherWorld();
    // A draft has no public page, so no reviews to reply to.
    expect(await w.caller.marketplace.review.replyAs({ listingSlug: w.listing.slug })).toBeNull();
    await w.publish("1.0.0", manifestFor(["before_request"]));

    const admin = await createMember(w.org, "ADMIN");
    const editor = await createMember(w.org, "EDITOR");
    const outsider = await createUser();
    const replyAs = { orgSlug: w.org.slug, orgName: w.org.name };
    expect(await w.caller.marketplace.review.replyAs({ listingSlug: w.listing.slug })).toEqual(replyAs);
    expect(await callerFor(admin.user).marketplace.review.replyAs({ listingSlug: w.listing.slug })).toEqual(replyAs);
    expect(await callerFor(editor.user).marketplace.review.replyAs({ listingSlug: w.listing.slug })).toBeNull();
    expect(await callerFor(outsider).marketplace.review.replyAs({ listingSlug: w.listing.slug })).toBeNull();
    expect(await w.caller.marketplace.review.replyAs({ listingSlug: "no-such-listing" })).toBeNull();
    await expectTRPCError(callerFor(null).marketplace.review.replyAs({ listingSlug: w.listing.slug }), "UNAUTHORIZED");

    const review = await callerFor(outsider).marketplace.review.upsert({ listingId: w.listing.id, rating: 3, body: "Needs a timeout setting" });
    const replied = await callerFor(admin.user).marketplace.review.reply({ orgSlug: replyAs.orgSlug, reviewId: review.id, reply: "Added in 1.1.0" });
    expect(replied).toMatchObject({ id: review.id, reply: "Added in 1.1.0", mine: false });
    await expectTRPCError(callerFor(editor.user).marketplace.review.reply({ orgSlug: w.org.slug, reviewId: review.id, reply: "Not mine to say" }), "FORBIDDEN");
  });
});
