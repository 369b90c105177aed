import { expect, test } from "@playwright/test";
import { FLEET_CONTROL_URL } from "./idp/constants.mjs";
import { signInWithPassword } from "./support/auth";
import { addMember, seedOrg, seedUser } from "./support/seed";

interface FleetAgent {
  id: string;
  protocol: string;
  url: string;
}

async function fleetAgent(id: string): Promise<FleetAgent> {
  const agents = (await (await fetch(`${FLEET_CONTROL_URL}/agents`)).json()) as FleetAgent[];
  const agent = agents.find((a) => a.id === id);
  if (!agent) throw new Error(`the demo fleet has no agent "${id}"`);
  return agent;
}

async function register(page: import("@playwright/test").Page, orgSlug: string, url: string) {
  await page.goto(`/o/${orgSlug}/agents/new`);
  await page.getByLabel("Agent URL").fill(url);
  await page.getByRole("button", { name: "Discover" }).click();
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${orgSlug}/agents/c[a-z0-9]+$`));
}

test("register agents by URL, find them by skill (even misspelt), and open the detail", async ({ page }) => {
  const owner = await seedUser("agent-admin");
  const org = await seedOrg(owner, "agents");
  await signInWithPassword(page, owner.email, owner.password);

  // A bad URL is explained next to the field and nothing is saved.
  await page.goto(`/o/${org.slug}/agents/new`);
  await page.getByLabel("Agent URL").fill("http://169.254.169.254/latest/meta-data");
  await page.getByRole("button", { name: "Discover" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /169\.254\.169\.254/ })).toBeVisible();

  // The A2A translator: discovery shows its skills before anything is saved.
  const translator = await fleetAgent("translator");
  await page.getByLabel("Agent URL").fill(translator.url);
  await page.getByRole("button", { name: "Discover" }).click();
  await expect(page.getByText("Translate text", { exact: true }).first()).toBeVisible();
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/agents/c[a-z0-9]+$`));
  await expect(page.getByRole("heading", { level: 1, name: "Translator" })).toBeVisible();

  await register(page, org.slug, (await fleetAgent("calc-tools")).url);
  await register(page, org.slug, (await fleetAgent("travel-planner")).url);

  // Search by a skill word, misspelt: the translator comes first and the matched skill is shown.
  await page.goto(`/o/${org.slug}/agents`);
  await page.getByRole("searchbox").fill("translte");
  await page.getByRole("searchbox").press("Enter");
  await expect(page).toHaveURL(/q=translte/);
  const firstRow = page.getByRole("row").nth(1);
  await expect(firstRow).toContainText("Translator");
  await expect(firstRow).toContainText("Translate text");

  // The detail page shows the skills and the discovery history; credentials are "Not set".
  await firstRow.getByRole("link", { name: "Translator" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Translator" })).toBeVisible();
  await expect(page.getByText("Detect language", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("registration", { exact: true }).first()).toBeVisible();
  await expect(page.getByText("Not set").first()).toBeVisible();

  // The overview counts them.
  await page.goto(`/o/${org.slug}`);
  const agentsCard = page.locator('[data-slot="card"]').filter({ has: page.getByRole("link", { name: "Find agents by skill" }) });
  await expect(agentsCard.locator('[data-slot="card-title"]')).toHaveText("3");
});

test("a viewer can browse agents but not register one", async ({ page }) => {
  const owner = await seedUser("agent-owner");
  const org = await seedOrg(owner, "viewing");
  const viewer = await seedUser("agent-viewer");
  await addMember(org.id, viewer, "VIEWER");
  await signInWithPassword(page, viewer.email, viewer.password);
  await page.goto(`/o/${org.slug}/agents`);
  await expect(page.getByRole("button", { name: /Register/ }).first()).toBeDisabled();
});
