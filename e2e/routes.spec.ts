import { expect, test } from "@playwright/test";
import { signInWithPassword } from "./support/auth";
import { seedAgent, seedOrg, seedUser } from "./support/seed";

test("create a route to an agent, then an API key for it that is shown once and can be revoked", async ({ page }) => {
  const owner = await seedUser("route-admin");
  const org = await seedOrg(owner, "routing");
  await seedAgent(org.id, "Atlas Chat");
  await signInWithPassword(page, owner.email, owner.password);

  // A route: an alias served by one agent.
  await page.goto(`/o/${org.slug}/routes/new`);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Support bot");
  await page.getByRole("textbox", { name: "Alias", exact: true }).fill("support-bot");
  await page.getByLabel("Agent for target 1").selectOption({ label: "Atlas Chat (OpenAI-compatible)" });
  await page.getByRole("button", { name: "Create route" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/routes/c[a-z0-9]+$`));
  await expect(page.getByRole("heading", { level: 1, name: "Support bot" })).toBeVisible();

  // A key scoped to that route: the secret appears once.
  await page.goto(`/o/${org.slug}/api-keys`);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Support web");
  await page.getByRole("checkbox", { name: /Support bot/ }).check();
  await page.getByRole("button", { name: "Create API key" }).click();
  const secret = await page.getByRole("textbox", { name: "New API key" }).inputValue();
  expect(secret).toMatch(/^hx_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  const prefix = secret.slice(0, 11);

  await page.reload();
  await expect(page.getByRole("textbox", { name: "New API key" })).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  const row = page.getByTestId(`api-key-${prefix}`);
  await expect(row).toContainText("Support web");
  await expect(row).toContainText("Support bot");

  await row.getByRole("button", { name: "Revoke Support web" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: /Revoke/ }).click();
  await expect(row).toContainText(/revoked/i);
});
