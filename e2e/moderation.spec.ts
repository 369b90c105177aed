import { expect, test } from "@playwright/test";
import { db } from "@/server/db";
import { generateSigningKeyPair, signVersion } from "@/server/marketplace/signing";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { signInWithPassword } from "./support/auth";
import { seedOrg, seedUser, unique, type SeededUser } from "./support/seed";

// Platform-admin moderation, end to end: a signed-in user reports a review from the listing page, a
// platform admin finds it in the queue and hides the review, and it leaves the public page and its
// rating; the admin verifies and unverifies the publisher. Everything is made here and removed
// afterwards (other specs share the database; the reports queue and the publisher list are global).

const api = (user: { id: string }) => createCaller(createContext({ db: db(), session: { id: user.id } }));
const made: { users: SeededUser[]; orgIds: string[] } = { users: [], orgIds: [] };

async function user(prefix: string) {
  const u = await seedUser(prefix);
  made.users.push(u);
  return u;
}

/** A publisher with one published gateway plugin, a 1-star spam review and a fair 5-star one. */
async function reviewedListing(token: string) {
  const owner = await user("moderation-publisher");
  const org = await seedOrg(owner, "moderation");
  made.orgIds.push(org.id);
  const keys = generateSigningKeyPair();
  const publisher = await api(owner).marketplace.publisher.create({ orgSlug: org.slug, slug: unique("mod-pub"), displayName: `Moderation Labs ${token}` });
  await api(owner).marketplace.publisher.addKey({ orgSlug: org.slug, publicKey: keys.publicKey });
  const listing = await api(owner).marketplace.listing.create({
    orgSlug: org.slug,
    kind: "GATEWAY_PLUGIN",
    slug: unique("moderated-plugin"),
    name: `Moderated plugin ${token}`,
    summary: "A plugin whose reviews get reported and moderated",
    categories: ["security"],
  });
  const manifest = { kind: "GATEWAY_PLUGIN", serviceUrl: "http://127.0.0.1:9/plugins/probe", hooks: ["before_request"] };
  await api(owner).marketplace.version.publish({
    orgSlug: org.slug,
    listingId: listing.id,
    version: "1.0.0",
    manifest,
    signature: signVersion({ privateKey: keys.privateKey, listing: listing.slug, version: "1.0.0", manifest }),
    signingKeyId: keys.keyId,
  });
  const spammer = await user("watch-seller");
  const fan = await user("happy-user");
  await api(spammer).marketplace.review.upsert({ listingId: listing.id, rating: 1, body: `Buy cheap watches at watches-${token}.example` });
  await api(fan).marketplace.review.upsert({ listingId: listing.id, rating: 5, body: "Does what it says." });
  return { publisher, listing, spammer };
}

test.afterAll(async () => {
  // The organization takes its publisher, listing, reviews and their reports with it.
  await db().organization.deleteMany({ where: { id: { in: made.orgIds } } });
  await db().user.deleteMany({ where: { id: { in: made.users.map((u) => u.id) } } });
});

test("moderation: a reported review is hidden by a platform admin and leaves the listing; publishers are verified and unverified", async ({ page, browser }) => {
  const token = unique("t");
  const { publisher, listing, spammer } = await reviewedListing(token);
  const listingPath = `/marketplace/${listing.slug}`;
  const reason = `Advertises watches (${token})`;

  // Signed out, the moderation page sends the visitor to sign in and back.
  const visitor = await browser.newPage();
  await visitor.goto("/marketplace/admin");
  await expect(visitor).toHaveURL(`/signin?callbackUrl=${encodeURIComponent("/marketplace/admin")}`);

  // 1. A signed-in user reports the spam from the listing page.
  const reporter = await user("careful-reader");
  await signInWithPassword(page, reporter.email, reporter.password);
  await page.goto(listingPath);
  await expect(page.getByTestId("rating-summary")).toContainText("2 ratings");
  const spam = page.getByRole("article", { name: `Review by ${spammer.name}` }).filter({ hasText: `watches-${token}` });
  await spam.getByRole("button", { name: `Report the review by ${spammer.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Report the review by ${spammer.name}` });
  await dialog.getByRole("textbox", { name: "What is wrong with it?" }).fill(reason);
  await dialog.getByRole("button", { name: "Report review" }).click();
  await expect(page.getByText("Review reported")).toBeVisible();
  await expect(dialog).toBeHidden();

  // Someone who is not a platform admin has no way in: no header link, and the page is a 404.
  await expect(page.getByRole("banner").getByRole("link", { name: "Moderation" })).toHaveCount(0);
  const refused = await page.goto("/marketplace/admin");
  expect(refused?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Nothing here for you" })).toBeVisible();

  // 2. A platform admin finds Moderation in the marketplace header and the report in the queue.
  const moderator = await user("moderator");
  await db().user.update({ where: { id: moderator.id }, data: { platformAdmin: true } });
  const admin = await (await browser.newContext()).newPage();
  await signInWithPassword(admin, moderator.email, moderator.password, `/signin?callbackUrl=${encodeURIComponent("/marketplace")}`);
  await expect(admin).toHaveURL("/marketplace");
  await admin.getByRole("banner").getByRole("link", { name: "Moderation" }).click();
  await expect(admin).toHaveURL("/marketplace/admin");
  await expect(admin.getByRole("heading", { level: 1, name: "Moderation" })).toBeVisible();
  await expect(admin.getByRole("navigation", { name: "Moderation sections" }).getByRole("link", { name: "Reported reviews" })).toHaveAttribute("aria-current", "page");

  const report = admin.getByRole("article").filter({ hasText: reason });
  await expect(report).toContainText(listing.name);
  await expect(report).toContainText(`Buy cheap watches at watches-${token}.example`);
  await expect(report).toContainText(spammer.name);
  await expect(report).toContainText(`Reported by ${reporter.name}`);
  await expect(report).toContainText("Open");
  await expect(report.getByRole("img", { name: "1.0 out of 5 stars" })).toBeVisible();

  // 3. Hide it: the report is resolved and leaves the open queue; with resolved reports shown, it can be restored.
  await report.getByRole("button", { name: `Hide the review by ${spammer.name}` }).click();
  await expect(admin.getByText(`Review by ${spammer.name} hidden`)).toBeVisible();
  await expect(report).toHaveCount(0);
  await admin.getByRole("checkbox", { name: "Show resolved reports" }).check();
  await expect(admin).toHaveURL("/marketplace/admin?resolved=1");
  await expect(report).toContainText("Resolved");
  await expect(report).toContainText("Review hidden");
  await expect(report.getByRole("button", { name: `Restore the review by ${spammer.name}` })).toBeVisible();

  // 4. The public listing page no longer shows the review or counts it.
  await visitor.goto(listingPath);
  await expect(visitor.getByRole("article", { name: `Review by ${spammer.name}` })).toHaveCount(0);
  await expect(visitor.getByText(`watches-${token}`)).toHaveCount(0);
  await expect(visitor.getByTestId("rating-summary")).toContainText("1 rating");
  await expect(visitor.getByTestId("rating-summary")).toContainText("5.0");

  // 5. Publishers: search, verify (the listing shows the mark), unverify.
  await admin.getByRole("navigation", { name: "Moderation sections" }).getByRole("link", { name: "Publishers" }).click();
  await expect(admin).toHaveURL("/marketplace/admin/publishers");
  await admin.getByRole("searchbox", { name: "Name or slug" }).fill(token);
  await admin.getByRole("button", { name: "Search", exact: true }).click();
  await expect(admin).toHaveURL(`/marketplace/admin/publishers?q=${token}`);
  await expect(admin.getByText("1 publisher", { exact: true })).toBeVisible();
  const row = admin.getByTestId(`publisher-${publisher.slug}`);
  await expect(row).toContainText(publisher.displayName);
  await expect(row.getByTestId("verified-state")).toHaveText("Not verified");

  await row.getByRole("button", { name: `Verify ${publisher.displayName}` }).click();
  await expect(row.getByTestId("verified-state")).toContainText("Verified");
  await visitor.goto(listingPath);
  await expect(visitor.getByTitle("Verified publisher").first()).toBeVisible();

  await row.getByRole("button", { name: `Unverify ${publisher.displayName}` }).click();
  await expect(row.getByTestId("verified-state")).toHaveText("Not verified");
  await visitor.reload();
  await expect(visitor.getByRole("heading", { level: 1, name: listing.name })).toBeVisible();
  await expect(visitor.getByTitle("Verified publisher")).toHaveCount(0);

  await visitor.close();
  await admin.context().close();
});
