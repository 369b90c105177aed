import { expect, test } from "@playwright/test";
import { signInWithIdp, signInWithPassword } from "./support/auth";
import { addMember, seedOrg, seedUser, unique } from "./support/seed";

test("create an organization, get a clear error for a taken slug, and switch between organizations", async ({ page }) => {
  const user = await seedUser("founder");
  const first = await seedOrg(user, "first");
  await signInWithPassword(page, user.email, user.password);
  await expect(page).toHaveURL(new RegExp(`/o/${first.slug}$`));

  await page.getByRole("button", { name: /Switch organization/ }).first().click();
  await page.getByRole("menuitem", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/onboarding$/);

  // A taken slug is refused with a message naming it; nothing is created.
  await page.getByLabel("Name").fill("Copycat");
  await page.getByLabel("URL slug").fill(first.slug);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByText(`The slug "${first.slug}" is taken; choose another`)).toBeVisible();

  const slug = unique("second");
  await page.getByLabel("URL slug").fill(slug);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Copycat" })).toBeVisible();

  await page.getByRole("button", { name: /Switch organization/ }).first().click();
  await page.getByRole("menuitem", { name: first.name }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${first.slug}$`));
});

test("invite, accept through SSO, change the role, a viewer is refused, and the audit log shows it all", async ({ browser, page }) => {
  const owner = await seedUser("owner");
  const org = await seedOrg(owner, "team");
  const inviteeLogin = `${unique("invitee")}@e2e.helix.test`;

  // The owner invites someone as Editor and gets the link to hand over.
  await signInWithPassword(page, owner.email, owner.password);
  await page.goto(`/o/${org.slug}/members`);
  await page.getByLabel("Email").fill(inviteeLogin);
  await page.getByLabel("Role", { exact: true }).selectOption("EDITOR");
  await page.getByRole("button", { name: "Invite" }).click();
  const link = await page.getByRole("textbox", { name: "Invitation link" }).inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("cell", { name: inviteeLogin, exact: true })).toBeVisible();

  // The invitee opens the link in their own browser, signs in through the company IdP and accepts.
  const inviteeContext = await browser.newContext();
  const invitee = await inviteeContext.newPage();
  await invitee.goto(new URL(link).pathname);
  await expect(invitee.getByRole("heading", { name: `Join ${org.name}` })).toBeVisible();
  await invitee.getByRole("link", { name: "Sign in to accept" }).click();
  await expect(invitee).toHaveURL(/\/signin\?callbackUrl=%2Finvite%2F/);
  await signInWithIdp(invitee, inviteeLogin, invitee.url().replace(/^https?:\/\/[^/]+/, ""));
  await expect(invitee).toHaveURL(/\/invite\//);
  await invitee.getByRole("button", { name: `Accept and join ${org.name}` }).click();
  await expect(invitee).toHaveURL(new RegExp(`/o/${org.slug}$`));

  // The owner makes the newcomer a Viewer.
  await page.reload();
  const roleSelect = page.getByLabel(`Role of ${inviteeLogin}`);
  await expect(roleSelect).toHaveValue("EDITOR");
  await roleSelect.selectOption("VIEWER");
  await expect(page.getByText("Role changed")).toBeVisible();

  // The viewer sees why they cannot rename, and the API refuses the mutation outright.
  await invitee.goto(`/o/${org.slug}/settings`);
  await expect(invitee.getByLabel("Name")).toBeDisabled();
  await expect(invitee.getByText("Renaming needs the Admin role; you are Viewer.")).toBeVisible();
  const refused = await invitee.request.post("/api/trpc/org.update", {
    data: { json: { orgSlug: org.slug, name: "Hijacked" } },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.json.message).toContain("needs the Admin role");
  await invitee.goto(`/o/${org.slug}/members`);
  await expect(invitee.getByText("Inviting people and changing roles needs the Admin role; you are Viewer.")).toBeVisible();
  await expect(invitee.getByRole("button", { name: "Invite" })).toHaveCount(0);
  await inviteeContext.close();

  // The audit log shows every step, and filters by action.
  await page.goto(`/o/${org.slug}/audit`);
  const table = page.getByRole("table");
  for (const action of ["Organization created", "Invitation sent", "Member joined", "Member role changed"]) {
    await expect(table.getByText(action, { exact: true })).toBeVisible();
  }
  await expect(table.getByText("role: EDITOR → VIEWER")).toBeVisible();
  await page.getByLabel("Action").selectOption("member.role_changed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=member.role_changed/);
  await expect(table.getByText("Member role changed", { exact: true })).toBeVisible();
  await expect(table.getByText("Invitation sent", { exact: true })).toHaveCount(0);
});

test("the last owner cannot leave, and another organization's pages are not found", async ({ page }) => {
  const owner = await seedUser("sole-owner");
  const org = await seedOrg(owner);
  const stranger = await seedUser("stranger");
  const strangersOrg = await seedOrg(stranger, "elsewhere");
  const viewer = await seedUser("viewer");
  await addMember(org.id, viewer, "VIEWER");

  await signInWithPassword(page, owner.email, owner.password);
  await page.goto(`/o/${org.slug}/settings`);
  await page.getByRole("button", { name: `Leave ${org.name}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Leave" }).click();
  await expect(page.getByText(/You are the only owner of/)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/settings$`));

  const response = await page.goto(`/o/${strangersOrg.slug}/members`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
