import { generateKeyPairSync } from "node:crypto";
import { expect, test } from "@playwright/test";
import { db } from "@/server/db";
import { keyFingerprint } from "@/server/marketplace/signing";
import { signInWithPassword } from "./support/auth";
import { addMember, seedOrg, seedUser, unique } from "./support/seed";

// The organizations this spec makes publishers of. Publishers are platform-wide (platform admins
// list them all), so they go again at the end; deleting the organization removes its publisher.
const orgIds: string[] = [];
test.afterAll(async () => {
  await db().organization.deleteMany({ where: { id: { in: orgIds } } });
});

test("publisher: become one, add a signing key, see it, revoke it; members see it read-only", async ({ page, browser }) => {
  const owner = await seedUser("publisher-admin");
  const org = await seedOrg(owner, "publisher");
  orgIds.push(org.id);
  await signInWithPassword(page, owner.email, owner.password);

  // 1. The Publisher section, next to Marketplace: not a publisher yet, so the form to become one.
  await page.goto(`/o/${org.slug}`);
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Publisher" }).click();
  await expect(page).toHaveURL(`/o/${org.slug}/publisher`);
  await expect(page).toHaveTitle("Publisher · HelixAgent");
  await expect(page.getByRole("heading", { level: 1, name: "Publisher" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Become a publisher" })).toBeVisible();

  // The name suggests the slug; a server error lands next to its field.
  const publisherSlug = unique("e2e-pub");
  await page.getByRole("textbox", { name: "Publisher name" }).fill("E2E Tools, Inc.");
  await expect(page.getByRole("textbox", { name: "Slug" })).toHaveValue("e2e-tools-inc");
  await page.getByRole("textbox", { name: "Slug" }).fill(publisherSlug);
  await page.getByRole("textbox", { name: "Website" }).fill("ftp://tools.example.com");
  await page.getByRole("button", { name: "Become a publisher" }).click();
  await expect(page.getByRole("textbox", { name: "Website" })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "The website is an http:// or https:// URL" })).toBeVisible();
  await page.getByRole("textbox", { name: "Website" }).fill("https://tools.example.com");
  await page.getByRole("button", { name: "Become a publisher" }).click();

  // 2. The profile, not verified (platform admins verify), no keys and no listings yet.
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  await expect(page.getByText(publisherSlug, { exact: true })).toBeVisible();
  await expect(page.getByTestId("publisher-verification")).toContainText("Not verified");
  await expect(page.getByTestId("publisher-verification")).toContainText("platform administrators");
  await expect(page.getByRole("heading", { name: "No signing keys yet" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No listings yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New listing" })).toHaveAttribute("href", `/o/${org.slug}/publisher/listings/new`);

  // 3. Add a key: a PEM public key made here, as any ed25519 tool would.
  const { publicKey } = generateKeyPairSync("ed25519");
  const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
  const keyId = keyFingerprint(Buffer.from(publicKey.export({ format: "der", type: "spki" }).subarray(-32)));
  await page.getByRole("button", { name: "Add key" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a signing key" });
  // A private key or junk is refused, with the reason next to the field.
  await dialog.getByRole("textbox", { name: "Public key" }).fill("not a key");
  await dialog.getByRole("button", { name: "Add key" }).click();
  await expect(dialog.getByRole("alert").filter({ hasText: "That is not an ed25519 public key" })).toBeVisible();
  await dialog.getByRole("textbox", { name: "Public key" }).fill(pem);
  await dialog.getByRole("textbox", { name: "Label" }).fill("E2E laptop");
  await dialog.getByRole("button", { name: "Add key" }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId(`publisher-key-${keyId}`);
  await expect(row).toContainText("E2E laptop");
  await expect(row).toContainText(keyId);
  await expect(row).toContainText("In use");

  // 4. Revoke it: the dialog says what that does; the row shows it revoked, with no action left.
  await row.getByRole("button", { name: "Revoke key E2E laptop" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Revoke key E2E laptop?" });
  await expect(confirm).toContainText("It can no longer sign new versions.");
  await expect(confirm).toContainText("It is your last key in use");
  await expect(confirm).toContainText("This cannot be undone");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId(`publisher-key-${keyId}`)).toContainText("Revoked");

  // 5. A viewer sees the same page read-only, with the reason.
  const viewer = await seedUser("publisher-viewer");
  await addMember(org.id, viewer, "VIEWER");
  const context = await browser.newContext();
  const viewerPage = await context.newPage();
  await signInWithPassword(viewerPage, viewer.email, viewer.password);
  await viewerPage.goto(`/o/${org.slug}/publisher`);
  await expect(viewerPage.getByRole("status").filter({ hasText: "Changing the publisher needs the Admin role; you are Viewer." })).toBeVisible();
  await expect(viewerPage.getByText("E2E Tools, Inc.", { exact: true })).toBeVisible();
  await expect(viewerPage.getByRole("textbox", { name: "Publisher name" })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Add key" })).toHaveAttribute("aria-disabled", "true");
  await expect(viewerPage.getByTestId(`publisher-key-${keyId}`)).toContainText("Revoked");
  await context.close();
});
