import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { auditEventsOf, callerFor, createOrg, createUser, expectTRPCError, rand, type TestUser } from "@/server/test/fixtures";
import { generateSigningKeyPair, signVersion } from "./signing";

// Platform-admin moderation: the reports queue (keep or hide a reported review), hidden reviews
// leaving the public listing and its rating, and the publisher list admins verify publishers from.
// Reports and publishers are platform-wide and other tests leave theirs in the same database, so
// assertions look only at what each test made.

const manifest = { kind: "GATEWAY_PLUGIN", serviceUrl: "http://127.0.0.1:9/plugins/probe", hooks: ["before_request"] };

/** A publisher (its name carries `tag`) with one published listing. */
async function publishedListing(tag = rand(3)) {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const caller = callerFor(owner);
  const keys = generateSigningKeyPair();
  const publisher = await caller.marketplace.publisher.create({ orgSlug: org.slug, slug: `mod-${tag}-${rand(3)}`, displayName: `Moderated ${tag} ${rand(3)}` });
  await caller.marketplace.publisher.addKey({ orgSlug: org.slug, publicKey: keys.publicKey });
  const listing = await caller.marketplace.listing.create({
    orgSlug: org.slug,
    kind: "GATEWAY_PLUGIN",
    slug: `moderated-${rand()}`,
    name: `Moderated plugin ${rand(3)}`,
    summary: "A plugin whose reviews get moderated",
    categories: ["security"],
  });
  await caller.marketplace.version.publish({
    orgSlug: org.slug,
    listingId: listing.id,
    version: "1.0.0",
    manifest,
    signature: signVersion({ privateKey: keys.privateKey, listing: listing.slug, version: "1.0.0", manifest }),
    signingKeyId: keys.keyId,
  });
  return { owner, org, caller, publisher, listing };
}

async function platformAdmin(): Promise<TestUser> {
  const admin = await createUser();
  await db().user.update({ where: { id: admin.id }, data: { platformAdmin: true } });
  return admin;
}

const review = (user: TestUser, listingId: string, rating: number, body: string) => callerFor(user).marketplace.review.upsert({ listingId, rating, body });

/** Every report the queue holds (all pages), oldest first. */
async function allReports(admin: TestUser, includeResolved: boolean) {
  const first = await callerFor(admin).marketplace.admin.reports({ includeResolved });
  const items = [...first.items];
  for (let page = 2; page <= Math.ceil(first.total / first.pageSize); page++) {
    items.push(...(await callerFor(admin).marketplace.admin.reports({ includeResolved, page })).items);
  }
  return items;
}

describe("who may moderate", () => {
  it("refuses signed-in users who are not platform admins (FORBIDDEN) and signed-out callers (UNAUTHORIZED)", async () => {
    const w = await publishedListing();
    const spam = await review(await createUser(), w.listing.id, 1, "Spam");
    // The publisher's own owner is no platform admin either.
    for (const user of [await createUser(), w.owner]) {
      const caller = callerFor(user);
      await expectTRPCError(caller.marketplace.admin.reports({}), "FORBIDDEN", "platform administrator");
      await expectTRPCError(caller.marketplace.admin.publishers({}), "FORBIDDEN", "platform administrator");
      await expectTRPCError(caller.marketplace.admin.hideReview({ reviewId: spam.id, hidden: true }), "FORBIDDEN");
      await expectTRPCError(caller.marketplace.admin.setVerified({ publisherId: w.publisher.id, verified: true }), "FORBIDDEN");
      expect(await caller.marketplace.me()).toEqual({ platformAdmin: false });
    }
    await expectTRPCError(callerFor(null).marketplace.admin.publishers({}), "UNAUTHORIZED");
    await expectTRPCError(callerFor(null).marketplace.admin.reports({}), "UNAUTHORIZED");
    expect(await db().review.findUniqueOrThrow({ where: { id: spam.id }, select: { hidden: true } })).toEqual({ hidden: false });
    expect(await db().publisher.findUniqueOrThrow({ where: { id: w.publisher.id }, select: { verified: true } })).toEqual({ verified: false });
  });
});

describe("publishers for platform admins", () => {
  it("pages newest first and searches by name (any case) or slug, with published listing counts", async () => {
    const tag = `pubs${rand(3)}`;
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await publishedListing(tag));
    // A publisher without a published listing (a draft only) counts none.
    const draftOwner = await createUser();
    const draftOrg = await createOrg({ owner: draftOwner });
    const draft = await callerFor(draftOwner).marketplace.publisher.create({ orgSlug: draftOrg.slug, slug: `mod-${tag}-draft`, displayName: `Moderated ${tag} draft` });
    const admin = callerFor(await platformAdmin());

    const byName = await admin.marketplace.admin.publishers({ q: `MODERATED ${tag.toUpperCase()}` });
    expect(byName.total).toBe(4);
    expect(byName.items.map((p) => p.id)).toEqual([draft.id, ...made.map((m) => m.publisher.id).reverse()]);
    expect(byName.items[0]).toMatchObject({ slug: draft.slug, verified: false, verifiedAt: null, publishedListings: 0 });
    expect(byName.items[1]).toMatchObject({ publishedListings: 1, displayName: made[2]!.publisher.displayName });
    // Only what the output schema allows: no organization, no keys.
    expect(Object.keys(byName.items[0]!).sort()).toEqual(["createdAt", "description", "displayName", "id", "publishedListings", "slug", "verified", "verifiedAt", "website"]);

    const page1 = await admin.marketplace.admin.publishers({ q: tag, pageSize: 3 });
    const page2 = await admin.marketplace.admin.publishers({ q: tag, pageSize: 3, page: 2 });
    expect(page1).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(page1.items).toHaveLength(3);
    expect(page2.items.map((p) => p.id)).toEqual([made[0]!.publisher.id]);

    const bySlug = await admin.marketplace.admin.publishers({ q: made[1]!.publisher.slug });
    expect(bySlug.items.map((p) => p.id)).toEqual([made[1]!.publisher.id]);
    expect(await admin.marketplace.admin.publishers({ q: `nothing-${rand()}` })).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    // LIKE wildcards are text, not patterns.
    expect((await admin.marketplace.admin.publishers({ q: "%" })).items.map((p) => p.id)).not.toContain(draft.id);
    expect((await admin.marketplace.admin.publishers({ q: `mod_${tag}` })).total).toBe(0);
    await expectTRPCError(admin.marketplace.admin.publishers({ pageSize: 51 }), "BAD_REQUEST", "At most 50 per page");
  });

  it("verifies and unverifies a publisher: the list, the public listing and the organization's audit log follow", async () => {
    const w = await publishedListing();
    const adminUser = await platformAdmin();
    const admin = callerFor(adminUser);
    const row = async () => (await admin.marketplace.admin.publishers({ q: w.publisher.slug })).items[0];

    await admin.marketplace.admin.setVerified({ publisherId: w.publisher.id, verified: true });
    expect(await row()).toMatchObject({ id: w.publisher.id, verified: true, verifiedAt: expect.any(Date) });
    expect((await callerFor(null).marketplace.listing.get({ listingSlug: w.listing.slug })).publisher.verified).toBe(true);

    await admin.marketplace.admin.setVerified({ publisherId: w.publisher.id, verified: false });
    expect(await row()).toMatchObject({ verified: false, verifiedAt: null });
    expect((await callerFor(null).marketplace.listing.get({ listingSlug: w.listing.slug })).publisher.verified).toBe(false);
    const actions = (await auditEventsOf(w.org.id)).filter((e) => e.action.startsWith("marketplace.publisher_") && e.action.endsWith("verified"));
    expect(actions.map((e) => [e.action, e.actorEmail])).toEqual([
      ["marketplace.publisher_verified", adminUser.email],
      ["marketplace.publisher_unverified", adminUser.email],
    ]);
  });
});

describe("hidden reviews", () => {
  it("leave the public review list, the rating and search; restoring brings them back", async () => {
    const w = await publishedListing();
    const [ann, bob] = [await createUser({ name: "Ann" }), await createUser({ name: "Bob" })];
    const spam = await review(ann, w.listing.id, 1, "Buy cheap watches");
    const fair = await review(bob, w.listing.id, 5, "Works");
    const admin = callerFor(await platformAdmin());
    const anon = callerFor(null);
    const publicView = async () => {
      const [page, list, search] = await Promise.all([
        anon.marketplace.listing.get({ listingSlug: w.listing.slug }),
        anon.marketplace.review.list({ listingSlug: w.listing.slug }),
        anon.marketplace.search({ q: w.listing.name }),
      ]);
      const found = search.items.find((i) => i.id === w.listing.id);
      return {
        rating: page.rating,
        firstPage: page.reviews.items.map((r) => r.id),
        list: { ids: list.items.map((r) => r.id), total: list.total },
        search: { ratingAvg: found?.ratingAvg, ratingCount: found?.ratingCount },
      };
    };
    expect(await publicView()).toEqual({
      rating: { average: 3, count: 2, distribution: [1, 0, 0, 0, 1] },
      firstPage: [fair.id, spam.id],
      list: { ids: [fair.id, spam.id], total: 2 },
      search: { ratingAvg: 3, ratingCount: 2 },
    });

    expect(await admin.marketplace.admin.hideReview({ reviewId: spam.id, hidden: true })).toEqual({ id: spam.id, hidden: true });
    const hiddenView = {
      rating: { average: 5, count: 1, distribution: [0, 0, 0, 0, 1] },
      firstPage: [fair.id],
      list: { ids: [fair.id], total: 1 },
      search: { ratingAvg: 5, ratingCount: 1 },
    };
    expect(await publicView()).toEqual(hiddenView);
    // Nobody can report a hidden review; its author editing it leaves it hidden and uncounted.
    await expectTRPCError(callerFor(bob).marketplace.review.report({ reviewId: spam.id, reason: "Spam" }), "NOT_FOUND");
    await review(ann, w.listing.id, 2, "Buy cheaper watches");
    expect(await publicView()).toEqual(hiddenView);

    await admin.marketplace.admin.hideReview({ reviewId: spam.id, hidden: false });
    expect(await publicView()).toMatchObject({ rating: { average: 3.5, count: 2, distribution: [0, 1, 0, 0, 1] }, list: { ids: [fair.id, spam.id], total: 2 } });
    expect((await auditEventsOf(w.org.id)).map((e) => e.action).filter((a) => a.startsWith("marketplace.review_"))).toEqual(["marketplace.review_hidden", "marketplace.review_unhidden"]);
  });
});

describe("the reports queue", () => {
  it("shows open reports with the review; keeping or hiding resolves every report of that review", async () => {
    const w = await publishedListing();
    const [ann, bob, cat, dan] = [await createUser({ name: "Ann" }), await createUser({ name: "Bob" }), await createUser({ name: "Cat" }), await createUser({ name: "Dan" })];
    const rude = await review(ann, w.listing.id, 1, "Rude words");
    const harsh = await review(bob, w.listing.id, 2, "Too slow for us");
    await callerFor(cat).marketplace.review.report({ reviewId: rude.id, reason: "Insults the publisher" });
    await callerFor(dan).marketplace.review.report({ reviewId: rude.id, reason: "Offensive" });
    await callerFor(cat).marketplace.review.report({ reviewId: harsh.id, reason: "I disagree" });
    const adminUser = await platformAdmin();
    const admin = callerFor(adminUser);
    const mine = (items: Awaited<ReturnType<typeof allReports>>) => items.filter((r) => r.review.id === rude.id || r.review.id === harsh.id);

    const open = mine(await allReports(adminUser, false));
    expect(open.map((r) => [r.review.id, r.reason, r.reporter, r.resolvedAt])).toEqual([
      [rude.id, "Insults the publisher", "Cat", null],
      [rude.id, "Offensive", "Dan", null],
      [harsh.id, "I disagree", "Cat", null],
    ]);
    expect(open[0]!.review).toEqual({ id: rude.id, rating: 1, body: "Rude words", author: "Ann", hidden: false, listingSlug: w.listing.slug, listingName: w.listing.name });
    expect(JSON.stringify(open)).not.toMatch(/@test\.helix/);

    // Keep the harsh but fair review: its report is resolved, the review stays, audited as kept.
    await admin.marketplace.admin.hideReview({ reviewId: harsh.id, hidden: false });
    expect(mine(await allReports(adminUser, false)).map((r) => r.review.id)).toEqual([rude.id, rude.id]);
    expect((await callerFor(null).marketplace.review.list({ listingSlug: w.listing.slug })).items.map((r) => r.id)).toContain(harsh.id);
    expect(await auditEventsOf(w.org.id, { action: "marketplace.review_kept" })).toEqual([
      expect.objectContaining({ targetId: harsh.id, actorEmail: adminUser.email, before: { openReports: 1 }, after: { openReports: 0, hidden: false } }),
    ]);

    // Hide the rude one: both of its reports are resolved at once.
    await admin.marketplace.admin.hideReview({ reviewId: rude.id, hidden: true });
    expect(mine(await allReports(adminUser, false))).toEqual([]);
    const resolved = mine(await allReports(adminUser, true));
    expect(resolved).toHaveLength(3);
    for (const r of resolved) expect(r.resolvedAt).toEqual(expect.any(Date));
    expect(resolved.filter((r) => r.review.id === rude.id).every((r) => r.review.hidden)).toBe(true);

    // Keeping again with nothing open changes nothing and writes no audit event.
    await admin.marketplace.admin.hideReview({ reviewId: harsh.id, hidden: false });
    expect(await auditEventsOf(w.org.id, { action: "marketplace.review_kept" })).toHaveLength(1);
    await expectTRPCError(admin.marketplace.admin.hideReview({ reviewId: `c${rand(12)}`, hidden: true }), "NOT_FOUND");
  });

  it("pages the queue, oldest first, without overlap", async () => {
    const w = await publishedListing();
    const target = await review(await createUser(), w.listing.id, 1, "Reported by many");
    const reporters = Array.from({ length: 55 }, () => ({ email: `r-${rand()}@test.helix`, name: "Reporter" }));
    await db().user.createMany({ data: reporters });
    const ids = await db().user.findMany({ where: { email: { in: reporters.map((r) => r.email) } }, select: { id: true } });
    const base = Date.now();
    await db().reviewReport.createMany({ data: ids.map((u, i) => ({ reviewId: target.id, reporterId: u.id, reason: `Report ${i}`, createdAt: new Date(base + i) })) });
    const adminUser = await platformAdmin();

    const first = await callerFor(adminUser).marketplace.admin.reports({});
    expect(first.pageSize).toBe(50);
    expect(first.items.length).toBe(Math.min(50, first.total));
    expect(first.total).toBeGreaterThanOrEqual(55);
    const all = await allReports(adminUser, false);
    expect(all).toHaveLength(first.total);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(all.filter((r) => r.review.id === target.id).map((r) => r.reason)).toEqual(Array.from({ length: 55 }, (_, i) => `Report ${i}`));

    await callerFor(adminUser).marketplace.admin.hideReview({ reviewId: target.id, hidden: true });
    expect((await allReports(adminUser, false)).filter((r) => r.review.id === target.id)).toEqual([]);

    // With resolved reports shown: the open ones first, then the latest decisions first.
    const shown = await allReports(adminUser, true);
    const resolved = shown.slice(shown.findIndex((r) => r.resolvedAt !== null));
    expect(resolved.every((r) => r.resolvedAt !== null)).toBe(true);
    expect(resolved.every((r, i) => i === 0 || r.resolvedAt!.getTime() <= resolved[i - 1]!.resolvedAt!.getTime())).toBe(true);
    expect(resolved.filter((r) => r.review.id === target.id)).toHaveLength(55);
  });
});

describe("listing slugs", () => {
  it("keeps the moderation page's slug from listings", async () => {
    const w = await publishedListing();
    await expectTRPCError(
      w.caller.marketplace.listing.create({ orgSlug: w.org.slug, kind: "GATEWAY_PLUGIN", slug: "admin", name: "Admin", summary: "A listing that would hide behind a page", categories: ["security"] }),
      "BAD_REQUEST",
      "taken by a marketplace page",
    );
  });
});
