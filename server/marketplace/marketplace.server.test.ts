import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectTRPCError, rand, type TestUser } from "@/server/test/fixtures";
import { DEMO_PUBLISHER, ensureDemoMarketplace } from "@/server/demo/marketplace";
import { generateSigningKeyPair, signVersion, type SigningKeyPair } from "./signing";
import { ICON_MAX_BYTES, README_MAX_BYTES } from "./content";

const pluginManifest = (over: Record<string, unknown> = {}) => ({
  kind: "GATEWAY_PLUGIN",
  serviceUrl: "http://127.0.0.1:9/plugins/probe",
  hooks: ["before_request"],
  configSchema: { type: "object", properties: { keywords: { type: "string" } }, required: ["keywords"] },
  ...over,
});

/** An organization that is a publisher with one registered key and one draft listing. */
async function publisherWorld(opts: { name?: string; summary?: string } = {}) {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const caller = callerFor(owner);
  const keys = generateSigningKeyPair();
  const publisher = await caller.marketplace.publisher.create({ orgSlug: org.slug, slug: `pub-${rand()}`, displayName: `Publisher ${rand(3)}` });
  await caller.marketplace.publisher.addKey({ orgSlug: org.slug, publicKey: keys.publicKey, label: "laptop" });
  const listing = await caller.marketplace.listing.create({
    orgSlug: org.slug,
    kind: "GATEWAY_PLUGIN",
    slug: `plugin-${rand()}`,
    name: opts.name ?? `Probe plugin ${rand(3)}`,
    summary: opts.summary ?? "A plugin used by the server tests",
    readme: "# Probe\n\nSee [docs](https://example.com/docs) <script>alert(1)</script>",
    categories: ["security"],
    tags: ["probe"],
  });
  const publish = (version: string, manifest: Record<string, unknown> = pluginManifest(), signer: SigningKeyPair = keys, signingKeyId = signer.keyId) =>
    caller.marketplace.version.publish({
      orgSlug: org.slug,
      listingId: listing.id,
      version,
      changelog: `Changes in ${version}`,
      manifest,
      signature: signVersion({ privateKey: signer.privateKey, listing: listing.slug, version, manifest }),
      signingKeyId,
    });
  return { owner, org, caller, keys, publisher, listing, publish };
}

const versionCount = (listingId: string) => db().listingVersion.count({ where: { listingId } });

describe("publishing", () => {
  it("publishes a signed version: the listing becomes public, with a sanitized README, audited", async () => {
    const w = await publisherWorld();
    expect(w.publisher.keys).toEqual([]);
    const withKey = await w.caller.marketplace.publisher.get({ orgSlug: w.org.slug });
    expect(withKey?.keys).toEqual([expect.objectContaining({ keyId: w.keys.keyId, publicKey: w.keys.publicKey, label: "laptop" })]);

    // A draft is not public yet.
    await expectTRPCError(callerFor(null).marketplace.listing.get({ listingSlug: w.listing.slug }), "NOT_FOUND");
    expect((await w.caller.marketplace.listing.mine({ orgSlug: w.org.slug })).map((l) => l.slug)).toEqual([w.listing.slug]);

    const v1 = await w.publish("1.0.0");
    expect(v1).toMatchObject({ version: "1.0.0", yanked: false, keyId: w.keys.keyId });
    await w.publish("1.1.0", pluginManifest({ hooks: ["before_request", "after_response"], failMode: "closed" }));

    const page = await callerFor(null).marketplace.listing.get({ listingSlug: w.listing.slug });
    expect(page).toMatchObject({ latestVersion: "1.1.0", publisher: { slug: w.publisher.slug, verified: false }, myReview: null, rating: { average: 0, count: 0, distribution: [0, 0, 0, 0, 0] } });
    expect(page.versions.map((v) => v.version)).toEqual(["1.1.0", "1.0.0"]);
    expect(page.latest).toMatchObject({ version: "1.1.0", manifest: { failMode: "closed", timeoutMs: 1000, hooks: ["before_request", "after_response"] } });
    expect(page.readmeHtml).toContain('<a href="https://example.com/docs" rel="nofollow noopener noreferrer">docs</a>');
    expect(page.readmeHtml).not.toContain("<script");

    const installable = await callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug });
    expect(installable).toMatchObject({ version: "1.1.0", signatureValid: true, keyId: w.keys.keyId, publicKey: w.keys.publicKey, resolvedManifest: { failMode: "closed" } });

    const actions = (await auditEventsOf(w.org.id)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["marketplace.publisher_created", "marketplace.publisher_key_added", "marketplace.listing_created", "marketplace.version_published"]),
    );
  });

  it("refuses a tampered manifest and writes nothing", async () => {
    const w = await publisherWorld();
    const manifest = pluginManifest();
    const signature = signVersion({ privateKey: w.keys.privateKey, listing: w.listing.slug, version: "1.0.0", manifest });
    const tampered = { ...manifest, serviceUrl: "http://evil.example.com/exfiltrate" };
    const { shape } = await expectTRPCError(
      w.caller.marketplace.version.publish({ orgSlug: w.org.slug, listingId: w.listing.id, version: "1.0.0", manifest: tampered, signature, signingKeyId: w.keys.keyId }),
      "BAD_REQUEST",
      "The signature does not verify",
    );
    expect(shape.data.fieldErrors).toEqual({ signature: [expect.stringContaining("does not verify")] });
    // Signed for 1.0.0, offered as 2.0.0: also refused.
    await expectTRPCError(
      w.caller.marketplace.version.publish({ orgSlug: w.org.slug, listingId: w.listing.id, version: "2.0.0", manifest, signature, signingKeyId: w.keys.keyId }),
      "BAD_REQUEST",
      "does not verify",
    );
    expect(await versionCount(w.listing.id)).toBe(0);
    expect((await db().listing.findUniqueOrThrow({ where: { id: w.listing.id } })).publishedAt).toBeNull();
  });

  it("refuses a signature made with another publisher's key, or an unregistered key", async () => {
    const w = await publisherWorld();
    const other = await publisherWorld();
    await expectTRPCError(w.publish("1.0.0", pluginManifest(), other.keys), "BAD_REQUEST", `Key ${other.keys.keyId} belongs to another publisher`);
    // Naming its own key but signed with the other publisher's private key.
    await expectTRPCError(w.publish("1.0.0", pluginManifest(), other.keys, w.keys.keyId), "BAD_REQUEST", "does not verify");
    const stranger = generateSigningKeyPair();
    await expectTRPCError(w.publish("1.0.0", pluginManifest(), stranger), "BAD_REQUEST", "is not registered to");
    // And the other publisher's key cannot be registered here too.
    await expectTRPCError(w.caller.marketplace.publisher.addKey({ orgSlug: w.org.slug, publicKey: other.keys.publicKey }), "CONFLICT", "registered to another publisher");
    expect(await versionCount(w.listing.id)).toBe(0);
  });

  it("requires semver, strictly greater than every published version", async () => {
    const w = await publisherWorld();
    await w.publish("1.2.0");
    await expectTRPCError(w.publish("1.2.0"), "BAD_REQUEST", "Version 1.2.0 is already published");
    await expectTRPCError(w.publish("1.1.9"), "BAD_REQUEST", "not greater than 1.2.0");
    await expectTRPCError(w.publish("v1.3.0"), "BAD_REQUEST", "is not a semantic version");
    await expectTRPCError(w.publish("1.3"), "BAD_REQUEST", "is not a semantic version");
    await w.publish("1.10.0");
    expect(await versionCount(w.listing.id)).toBe(2);
  });

  it("validates the manifest against the listing's kind, pointing at the field", async () => {
    const w = await publisherWorld();
    const { shape } = await expectTRPCError(w.publish("1.0.0", pluginManifest({ timeoutMs: 0 })), "BAD_REQUEST", "Invalid manifest: manifest.timeoutMs");
    expect(shape.data.fieldErrors).toHaveProperty(["manifest.timeoutMs"]);
    await expectTRPCError(
      w.publish("1.0.0", { kind: "POLICY_PACK", policies: [{ name: "Deny all", condition: "true", effect: "DENY" }] }),
      "BAD_REQUEST",
      "The manifest is a policy pack (POLICY_PACK) but",
    );
    await expectTRPCError(w.publish("1.0.0", pluginManifest({ configSchema: { type: "object", properties: { a: { type: "string", format: "email" } } } })), "BAD_REQUEST", 'Unsupported JSON Schema keyword "format"');
    expect(await versionCount(w.listing.id)).toBe(0);
  });

  it("yanks a version: still listed, flagged, not installable; the latest falls back", async () => {
    const w = await publisherWorld();
    await w.publish("1.0.0");
    const v2 = await w.publish("2.0.0");
    const yanked = await w.caller.marketplace.version.yank({ orgSlug: w.org.slug, versionId: v2.id, reason: "Breaks streaming" });
    expect(yanked).toMatchObject({ yanked: true, yankReason: "Breaks streaming" });
    await expectTRPCError(w.caller.marketplace.version.yank({ orgSlug: w.org.slug, versionId: v2.id }), "BAD_REQUEST", "already yanked");

    const page = await callerFor(null).marketplace.listing.get({ listingSlug: w.listing.slug });
    expect(page.latestVersion).toBe("1.0.0");
    expect(page.versions.map((v) => [v.version, v.yanked])).toEqual([["2.0.0", true], ["1.0.0", false]]);
    await expectTRPCError(callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug, version: "2.0.0" }), "BAD_REQUEST", "was yanked on");
    await expectTRPCError(callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug, version: "2.0.0" }), "BAD_REQUEST", "install 1.0.0 instead");
    await expectTRPCError(callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug, version: "3.0.0" }), "NOT_FOUND", "has no version 3.0.0");
    expect((await callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug })).version).toBe("1.0.0");
    // A yanked number is never reused.
    await expectTRPCError(w.publish("2.0.0"), "BAD_REQUEST", "already published");
    expect((await auditEventsOf(w.org.id, { action: "marketplace.version_yanked" })).length).toBe(1);
  });

  it("refuses a version whose stored manifest was changed after signing", async () => {
    const w = await publisherWorld();
    const v = await w.publish("1.0.0");
    await db().listingVersion.update({ where: { id: v.id }, data: { manifest: pluginManifest({ serviceUrl: "http://evil.example.com/" }) } });
    await expectTRPCError(callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug }), "BAD_REQUEST", "does not verify with its publisher's key");
  });

  it("caps README and icon sizes with clear errors, and refuses hostile icons", async () => {
    const w = await publisherWorld();
    const update = (data: { readme?: string; icon?: string | null }) => w.caller.marketplace.listing.update({ orgSlug: w.org.slug, listingId: w.listing.id, ...data });
    const { shape } = await expectTRPCError(update({ readme: "x".repeat(README_MAX_BYTES + 1) }), "BAD_REQUEST", "the most a README may have is 100 KB");
    expect(shape.data.fieldErrors).toHaveProperty("readme");
    await expectTRPCError(update({ icon: `data:image/png;base64,${"A".repeat(ICON_MAX_BYTES)}` }), "BAD_REQUEST", "the most an icon may have is 64 KB");
    await expectTRPCError(update({ icon: '<svg onload="alert(1)"></svg>' }), "BAD_REQUEST", "event handlers");
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>';
    const updated = await update({ icon: svg, readme: "Plain" });
    expect(updated.icon).toBe(`data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`);
    expect(updated.readme).toBe("Plain");
  });

  it("is for the publisher organization's admins", async () => {
    const w = await publisherWorld();
    const editor = await createMember(w.org, "EDITOR");
    await expectTRPCError(
      callerFor(editor.user).marketplace.listing.create({ orgSlug: w.org.slug, kind: "POLICY_PACK", slug: `pack-${rand()}`, name: "Pack", summary: "A pack of policies", categories: ["privacy"] }),
      "FORBIDDEN",
    );
    await expectTRPCError(w.caller.marketplace.publisher.create({ orgSlug: w.org.slug, slug: `pub-${rand()}`, displayName: "Twice" }), "CONFLICT", "already a publisher");
    const otherOwner = await createUser();
    const other = await createOrg({ owner: otherOwner });
    const outsider = callerFor(otherOwner);
    await expectTRPCError(outsider.marketplace.listing.create({ orgSlug: other.slug, kind: "POLICY_PACK", slug: `pack-${rand()}`, name: "Pack", summary: "A pack of policies", categories: ["privacy"] }), "NOT_FOUND", "not a marketplace publisher yet");
    await expectTRPCError(
      w.caller.marketplace.listing.create({ orgSlug: w.org.slug, kind: "GATEWAY_PLUGIN", slug: w.listing.slug, name: "Copy", summary: "Same slug as before", categories: ["security"] }),
      "CONFLICT",
      `"${w.listing.slug}" is taken`,
    );
  });
});

describe("search and browsing, signed out", () => {
  it("finds a listing by full text and with a typo, with filters and sorting", async () => {
    const word = `quokka${rand(2)}`;
    const w = await publisherWorld({ name: `Zephyrine ${word} guardrail`, summary: "Blocks prompts that mention secret codenames" });
    await w.publish("1.0.0");
    const anon = callerFor(null);
    const ids = async (input: Parameters<typeof anon.marketplace.search>[0]) => (await anon.marketplace.search({ pageSize: 50, ...input })).items.map((i) => i.id);

    expect(await ids({ q: `zephyrine ${word}` })).toContain(w.listing.id);
    expect(await ids({ q: "codenames" })).toContain(w.listing.id);
    expect(await ids({ q: word.slice(0, 5) })).toContain(w.listing.id); // prefix as you type
    expect(await ids({ q: `zephyrin guardrial ${word}` })).toContain(w.listing.id); // typos
    expect(await ids({ q: "zephyrne" })).toContain(w.listing.id);
    // Two misspelt words where the whole phrase is under the trigram threshold, but one word is not.
    expect(await ids({ q: "zephyrn gardrail" })).toContain(w.listing.id);
    expect(await ids({ q: `zephyrine ${word}`, kind: "POLICY_PACK" })).not.toContain(w.listing.id);
    expect(await ids({ q: `zephyrine ${word}`, category: "security" })).toContain(w.listing.id);
    expect(await ids({ q: `zephyrine ${word}`, category: "cost" })).not.toContain(w.listing.id);
    expect(await ids({ q: `zephyrine ${word}`, verifiedOnly: true })).not.toContain(w.listing.id);

    const newest = await anon.marketplace.search({ sort: "newest", pageSize: 5 });
    expect(newest).toMatchObject({ sort: "newest", page: 1, pageSize: 5 });
    expect(newest.items[0]!.publishedAt!.getTime()).toBeGreaterThanOrEqual(newest.items.at(-1)!.publishedAt!.getTime());
    expect(newest.total).toBeGreaterThanOrEqual(1);

    const categories = await anon.marketplace.categories();
    expect(categories.find((c) => c.slug === "security")!.count).toBeGreaterThanOrEqual(1);
    expect((await anon.marketplace.review.list({ listingSlug: w.listing.slug })).items).toEqual([]);
  });

  it("leaves drafts and fully yanked listings out of search", async () => {
    const word = `wombat${rand(4)}`;
    const w = await publisherWorld({ name: `Draft ${word}` });
    expect((await callerFor(null).marketplace.search({ q: word })).total).toBe(0);
    const v = await w.publish("1.0.0");
    expect((await callerFor(null).marketplace.search({ q: word })).total).toBe(1);
    await w.caller.marketplace.version.yank({ orgSlug: w.org.slug, versionId: v.id });
    expect((await callerFor(null).marketplace.search({ q: word })).total).toBe(0);
    await expectTRPCError(callerFor(null).marketplace.version.get({ listingSlug: w.listing.slug }), "BAD_REQUEST", "Every version");
  });

  it("refuses signed-out writes", async () => {
    const w = await publisherWorld();
    await w.publish("1.0.0");
    await expectTRPCError(callerFor(null).marketplace.review.upsert({ listingId: w.listing.id, rating: 5 }), "UNAUTHORIZED");
  });
});

describe("reviews", () => {
  async function reviewed() {
    const w = await publisherWorld();
    await w.publish("1.0.0");
    const [ann, bob] = [await createUser({ name: "Ann" }), await createUser({ name: "Bob" })];
    return { ...w, ann, bob };
  }
  const listingRow = (id: string) => db().listing.findUniqueOrThrow({ where: { id }, select: { ratingAvg: true, ratingCount: true } });

  it("keeps one review per user and listing, editable, with the aggregates right", async () => {
    const w = await reviewed();
    await callerFor(w.ann).marketplace.review.upsert({ listingId: w.listing.id, rating: 5, body: "Great" });
    await callerFor(w.bob).marketplace.review.upsert({ listingId: w.listing.id, rating: 3 });
    expect(await listingRow(w.listing.id)).toEqual({ ratingAvg: 4, ratingCount: 2 });
    // A second "create" by Ann edits her review instead of adding one.
    const edited = await callerFor(w.ann).marketplace.review.upsert({ listingId: w.listing.id, rating: 1, body: "Broke my gateway" });
    expect(edited).toMatchObject({ rating: 1, body: "Broke my gateway", author: "Ann", mine: true });
    expect(await db().review.count({ where: { listingId: w.listing.id } })).toBe(2);
    expect(await listingRow(w.listing.id)).toEqual({ ratingAvg: 2, ratingCount: 2 });

    // Concurrent reviews still add up.
    const more = await Promise.all(Array.from({ length: 6 }, () => createUser()));
    await Promise.all(more.map((u, i) => callerFor(u).marketplace.review.upsert({ listingId: w.listing.id, rating: (i % 5) + 1 })));
    const expected = [1, 3, 1, 2, 3, 4, 5, 1];
    const row = await listingRow(w.listing.id);
    expect(row.ratingCount).toBe(8);
    expect(row.ratingAvg).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / expected.length, 6);

    const page = await callerFor(w.ann).marketplace.listing.get({ listingSlug: w.listing.slug });
    expect(page.rating).toEqual({ average: 2.5, count: 8, distribution: [3, 1, 2, 1, 1] });
    expect(page.myReview).toMatchObject({ rating: 1, mine: true });
    expect(JSON.stringify(page.reviews)).not.toContain(w.ann.email);
  });

  it("lets the publisher reply, not review its own listing", async () => {
    const w = await reviewed();
    const review = await callerFor(w.ann).marketplace.review.upsert({ listingId: w.listing.id, rating: 2, body: "Slow" });
    await expectTRPCError(w.caller.marketplace.review.upsert({ listingId: w.listing.id, rating: 5 }), "BAD_REQUEST", "cannot review it");
    const replied = await w.caller.marketplace.review.reply({ orgSlug: w.org.slug, reviewId: review.id, reply: "Fixed in 1.0.1" });
    expect(replied).toMatchObject({ reply: "Fixed in 1.0.1", repliedAt: expect.any(Date) });
    expect((await auditEventsOf(w.org.id, { action: "marketplace.review_replied" })).length).toBe(1);
    const other = await publisherWorld();
    await expectTRPCError(other.caller.marketplace.review.reply({ orgSlug: other.org.slug, reviewId: review.id, reply: "Not mine" }), "NOT_FOUND");
  });

  it("takes reports once per user; platform admins hide reviews and the rating follows", async () => {
    const w = await reviewed();
    const spam = await callerFor(w.ann).marketplace.review.upsert({ listingId: w.listing.id, rating: 1, body: "Buy cheap watches" });
    await callerFor(w.bob).marketplace.review.upsert({ listingId: w.listing.id, rating: 5 });
    await callerFor(w.bob).marketplace.review.report({ reviewId: spam.id, reason: "Spam" });
    await expectTRPCError(callerFor(w.bob).marketplace.review.report({ reviewId: spam.id, reason: "Spam again" }), "CONFLICT", "already reported");
    await expectTRPCError(callerFor(w.ann).marketplace.review.report({ reviewId: spam.id, reason: "Mine" }), "BAD_REQUEST", "your own review");

    await expectTRPCError(callerFor(w.bob).marketplace.admin.hideReview({ reviewId: spam.id, hidden: true }), "FORBIDDEN", "platform administrator");
    const admin: TestUser = await createUser();
    await db().user.update({ where: { id: admin.id }, data: { platformAdmin: true } });
    expect(await callerFor(admin).marketplace.me()).toEqual({ platformAdmin: true });
    const reports = await callerFor(admin).marketplace.admin.reports({});
    expect(reports.items.find((r) => r.review.id === spam.id)).toMatchObject({ reason: "Spam", reporter: "Bob", review: { author: "Ann", listingSlug: w.listing.slug } });

    await callerFor(admin).marketplace.admin.hideReview({ reviewId: spam.id, hidden: true });
    expect(await listingRow(w.listing.id)).toEqual({ ratingAvg: 5, ratingCount: 1 });
    expect((await callerFor(null).marketplace.review.list({ listingSlug: w.listing.slug })).items.map((r) => r.id)).not.toContain(spam.id);
    expect((await callerFor(admin).marketplace.admin.reports({})).items.map((r) => r.review.id)).not.toContain(spam.id);
    expect((await auditEventsOf(w.org.id, { action: "marketplace.review_hidden" }))[0]).toMatchObject({ actorEmail: admin.email });

    const verified = await callerFor(admin).marketplace.admin.setVerified({ publisherId: w.publisher.id, verified: true });
    expect(verified).toMatchObject({ verified: true, verifiedAt: expect.any(Date) });
    expect((await callerFor(null).marketplace.search({ q: w.listing.name, verifiedOnly: true })).items.map((i) => i.id)).toContain(w.listing.id);
  });

  it("refuses a review of a draft or a missing listing, and bad ratings", async () => {
    const w = await publisherWorld();
    const user = await createUser();
    await expectTRPCError(callerFor(user).marketplace.review.upsert({ listingId: w.listing.id, rating: 4 }), "NOT_FOUND");
    await w.publish("1.0.0");
    await expectTRPCError(callerFor(user).marketplace.review.upsert({ listingId: w.listing.id, rating: 6 }), "BAD_REQUEST", "A rating is 1–5 stars");
    await expectTRPCError(callerFor(user).marketplace.review.upsert({ listingId: w.listing.id, rating: 0 }), "BAD_REQUEST", "A rating is 1–5 stars");
  });
});

describe("demo catalog", () => {
  // The end-to-end tests seed the demo catalog into the same database with their own fleet's URL;
  // a catalog left here would point their keyword blocker at a port nothing listens on.
  afterAll(async () => {
    await db().organization.deleteMany({ where: { slug: DEMO_PUBLISHER.orgSlug } });
    await db().user.deleteMany({ where: { email: DEMO_PUBLISHER.ownerEmail } });
  });

  it("seeds a verified publisher with signed listings of every kind, once", async () => {
    await ensureDemoMarketplace(db(), { pluginBaseUrl: "http://127.0.0.1:4099" });
    const again = await ensureDemoMarketplace(db(), { pluginBaseUrl: "http://127.0.0.1:4099" });
    expect(again).toEqual({ created: 0, published: 0 });
    const anon = callerFor(null);
    for (const slug of ["keyword-blocker", "pii-essentials", "latency-first-fallback", "openai-compatible-endpoint", "local-ollama"]) {
      const version = await anon.marketplace.version.get({ listingSlug: slug });
      expect(version.signatureValid).toBe(true);
      const page = await anon.marketplace.listing.get({ listingSlug: slug });
      expect(page.publisher).toMatchObject({ slug: "helix-labs", verified: true });
    }
    const plugin = await anon.marketplace.version.get({ listingSlug: "keyword-blocker" });
    expect(plugin).toMatchObject({ kind: "GATEWAY_PLUGIN", version: "1.1.0", manifest: { serviceUrl: expect.stringMatching(/\/plugins\/keyword-blocker$/) } });
    const kinds = new Set((await db().listing.findMany({ where: { publisher: { slug: "helix-labs" } }, select: { kind: true } })).map((l) => l.kind));
    expect([...kinds].sort()).toEqual(["AGENT_TEMPLATE", "GATEWAY_PLUGIN", "POLICY_PACK", "ROUTE_TEMPLATE"]);
    // Only public keys are stored.
    const keys = await db().publisherKey.findMany({ where: { publisher: { slug: "helix-labs" } } });
    for (const k of keys) expect(Buffer.from(k.publicKey, "base64")).toHaveLength(32);
  });
});
