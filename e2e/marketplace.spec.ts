import { expect, test, type Page } from "@playwright/test";
import { db } from "@/server/db";
import { ensureDemoMarketplace } from "@/server/demo/marketplace";
import { FLEET_CONTROL_URL } from "./idp/constants.mjs";
import { signInWithPassword } from "./support/auth";
import { seedOrg, seedUser } from "./support/seed";

async function fleetAgentUrl(id: string): Promise<string> {
  const agents = (await (await fetch(`${FLEET_CONTROL_URL}/agents`)).json()) as { id: string; url: string }[];
  const agent = agents.find((a) => a.id === id);
  if (!agent) throw new Error(`the demo fleet has no agent "${id}"`);
  return agent.url;
}

const KEYWORD = "project falcon";
const MESSAGE = "Tell me about Project Falcon";

/** Sends a message in the route page's Try it panel and returns the result region. */
async function tryIt(page: Page, message: string) {
  const panel = page.getByRole("region", { name: "Try it", exact: true });
  await panel.getByRole("textbox", { name: "Message", exact: true }).fill(message);
  await panel.getByRole("button", { name: "Send" }).click();
  return panel.getByRole("region", { name: "Try it result", exact: true });
}

// The demo catalog as `npm start` seeds it (a verified publisher, the keyword blocker served by the
// demo fleet's control API, templates, a policy pack), through the marketplace services. Idempotent.
test.beforeAll(async () => {
  await ensureDemoMarketplace(db(), { pluginBaseUrl: FLEET_CONTROL_URL });
});

test("marketplace: browse signed out, install the keyword blocker, see the gateway refuse and then allow, review it", async ({ page, browser }) => {
  // 1. Signed out: the marketplace is public, server-rendered, searchable with typos.
  const visitor = await browser.newPage();
  await visitor.goto("/marketplace");
  await expect(visitor).toHaveURL("/marketplace");
  await expect(visitor).toHaveTitle("Marketplace · HelixAgent");
  await expect(visitor.getByRole("heading", { level: 1, name: "Marketplace" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: "Sign in" })).toBeVisible();

  // Filters apply at once and live in the URL. (The database is shared with other tests, whose
  // unverified listings can outrank the demo catalog on the first page of everything.)
  await visitor.getByRole("checkbox", { name: "Verified publishers only" }).check();
  await expect(visitor).toHaveURL("/marketplace?verified=1");
  await expect(visitor.getByTestId("listing-keyword-blocker")).toContainText("HelixAgent Labs");
  await expect(visitor.getByTestId("listing-keyword-blocker")).toContainText("verified publisher");
  await visitor.getByRole("combobox", { name: "Kind" }).selectOption({ label: "Policy pack" });
  await expect(visitor).toHaveURL("/marketplace?kind=policy-pack&verified=1");
  await expect(visitor.getByTestId("listing-pii-essentials")).toBeVisible();
  await expect(visitor.getByTestId("listing-keyword-blocker")).toHaveCount(0);
  await visitor.goto("/marketplace");

  // A typo still finds it.
  await visitor.getByRole("searchbox", { name: "Search" }).fill("keywrd blocker");
  await visitor.getByRole("button", { name: "Search", exact: true }).click();
  await expect(visitor).toHaveURL("/marketplace?q=keywrd+blocker");
  await expect(visitor).toHaveTitle(/matching “keywrd blocker”/);
  await expect(visitor.getByRole("combobox", { name: "Sort by" })).toHaveValue("relevance");
  await expect(visitor.getByRole("link", { name: "Keyword blocker" })).toBeVisible();

  // Nothing for gibberish: the empty state says so.
  await visitor.goto("/marketplace?q=zzqxv+wqqpt");
  await expect(visitor.getByRole("heading", { name: "Nothing matches" })).toBeVisible();
  await visitor.goBack();

  await visitor.getByRole("link", { name: "Keyword blocker" }).click();
  await expect(visitor).toHaveURL("/marketplace/keyword-blocker");
  await expect(visitor).toHaveTitle("Keyword blocker · Marketplace · HelixAgent");
  await expect(visitor.getByRole("heading", { level: 1, name: "Keyword blocker" })).toBeVisible();
  await expect(visitor.getByRole("region", { name: "README" }).getByRole("heading", { name: "How it runs" })).toBeVisible();
  await expect(visitor.getByTestId("version-1.1.0")).toContainText("Latest");
  await expect(visitor.getByTestId("version-1.0.0")).toContainText("First release");
  await expect(visitor.getByRole("link", { name: "Sign in to install" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: "Sign in to review" })).toBeVisible();
  // Unknown listings are a 404.
  const missing = await visitor.goto("/marketplace/no-such-listing");
  expect(missing?.status()).toBe(404);
  await expect(visitor.getByRole("heading", { name: "No such listing" })).toBeVisible();
  await visitor.close();

  // 2. An organization admin with a real agent behind a route.
  const owner = await seedUser("marketplace-admin");
  const org = await seedOrg(owner, "marketplace");
  await signInWithPassword(page, owner.email, owner.password);

  await page.goto(`/o/${org.slug}/agents/new`);
  await page.getByLabel("Agent URL").fill(await fleetAgentUrl("atlas-chat"));
  await page.getByRole("button", { name: "Discover" }).click();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Atlas Chat");
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/agents/c[a-z0-9]+$`));

  await page.goto(`/o/${org.slug}/routes/new`);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Support chat");
  await page.getByRole("textbox", { name: "Alias", exact: true }).fill("support-chat");
  await page.getByLabel("Agent for target 1").selectOption({ label: "Atlas Chat (OpenAI-compatible)" });
  await page.getByRole("button", { name: "Create route" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/routes/c[a-z0-9]+$`));
  const routeUrl = page.url();

  // The console's Marketplace section: nothing installed yet, and a way to browse.
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Marketplace" }).click();
  await expect(page).toHaveURL(`/o/${org.slug}/marketplace`);
  await expect(page.getByRole("heading", { name: "Nothing installed yet" })).toBeVisible();

  // 3. Install from the listing page into the one organization the user administers.
  await page.goto("/marketplace/keyword-blocker");
  await page.getByRole("link", { name: "Install", exact: true }).click();
  await expect(page).toHaveURL(`/o/${org.slug}/marketplace/install/keyword-blocker`);
  const form = page.getByRole("form", { name: "Install Keyword blocker" });
  await expect(form.getByRole("combobox", { name: "Version" })).toHaveValue("1.1.0");
  await expect(form.getByRole("radio", { name: /^Every route/ })).toBeChecked();
  await expect(form.getByRole("radio", { name: /^Fail open/ })).toBeChecked();
  await expect(form.getByRole("textbox", { name: "Message to the client" })).toHaveValue("This request mentions a blocked keyword.");

  // The required field is checked before anything is sent, and the message sits next to it.
  const keywords = form.getByRole("textbox", { name: "Blocked keywords" });
  await form.getByRole("button", { name: "Install 1.1.0" }).click();
  await expect(keywords).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("alert").filter({ hasText: "Fill in Blocked keywords" })).toBeVisible();

  // The older version first, to upgrade it afterwards.
  await keywords.fill(`${KEYWORD}, internal only`);
  await form.getByRole("combobox", { name: "Version" }).selectOption("1.0.0");
  await expect(keywords).toHaveValue(`${KEYWORD}, internal only`);
  await form.getByRole("button", { name: "Install 1.0.0" }).click();
  await expect(page).toHaveURL(`/o/${org.slug}/marketplace`);
  const row = page.getByTestId("install-keyword-blocker");
  await expect(row).toContainText("1.0.0");
  await expect(row).toContainText("Every route");
  await expect(row).toContainText("Fail open");
  await expect(row.getByTestId("update-available")).toHaveText("1.1.0 available");
  await expect(row.getByRole("switch", { name: "Keyword blocker enabled" })).toHaveAttribute("aria-checked", "true");

  // Upgrade: the changelog in between and the configuration, carried over.
  await row.getByRole("button", { name: "Upgrade Keyword blocker" }).click();
  const upgrade = page.getByRole("dialog", { name: "Upgrade Keyword blocker" });
  await expect(upgrade.getByTestId("upgrade-preview")).toContainText("Also masks blocked words in answers");
  await expect(upgrade.getByTestId("upgrade-preview")).toContainText("The configuration fields stay the same");
  await expect(upgrade.getByRole("textbox", { name: "Blocked keywords" })).toHaveValue(`${KEYWORD}, internal only`);
  await upgrade.getByRole("button", { name: "Upgrade to 1.1.0" }).click();
  await expect(upgrade).toBeHidden();
  await expect(row).toContainText("1.1.0");
  await expect(row.getByTestId("update-available")).toHaveCount(0);

  // 4. Try it: the plugin refuses a request that mentions the keyword. The gateway learns of the
  // install through the database's change notifications, so the first message may come too early.
  await page.goto(routeUrl);
  await expect(async () => {
    const result = await tryIt(page, MESSAGE);
    await expect(result.getByRole("alert")).toContainText('Refused by the gateway plugin "Keyword blocker"', { timeout: 5_000 });
  }).toPass({ timeout: 20_000 });
  const refusal = page.getByRole("region", { name: "Try it result", exact: true }).getByRole("alert");
  await expect(refusal).toContainText("403");
  await expect(refusal).toContainText(`This request mentions a blocked keyword. (keyword: "${KEYWORD}")`);

  // 5. Uninstall, confirmed; the same request then reaches the agent.
  await page.goto(`/o/${org.slug}/marketplace`);
  await row.getByRole("button", { name: "Uninstall Keyword blocker" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Uninstall Keyword blocker?" });
  await confirm.getByRole("button", { name: "Uninstall" }).click();
  await expect(page.getByRole("heading", { name: "Nothing installed yet" })).toBeVisible();

  await page.goto(routeUrl);
  await expect(async () => {
    const result = await tryIt(page, MESSAGE);
    await expect(result.getByRole("region", { name: "Answer", exact: true })).toContainText(`You said: ${MESSAGE}`, { timeout: 5_000 });
  }).toPass({ timeout: 20_000 });

  // 6. A review, shown on the listing page; written once, edited after.
  await page.goto("/marketplace/keyword-blocker");
  const write = page.getByRole("form", { name: "Write a review" });
  await write.getByRole("button", { name: "Post review" }).click();
  await expect(write.getByRole("alert")).toContainText("Choose 1 to 5 stars");
  await write.getByRole("radio", { name: "4 stars" }).check();
  await write.getByRole("textbox", { name: "Your review" }).fill("Stopped our codenames from reaching the agents.");
  await write.getByRole("button", { name: "Post review" }).click();
  // Marked as the reader's own (other runs' users may share the name).
  const mine = page.getByRole("article", { name: `Review by ${owner.name}` }).filter({ hasText: "Your review" });
  await expect(mine).toContainText("Stopped our codenames from reaching the agents.");
  await expect(mine.getByRole("img", { name: "4.0 out of 5 stars" })).toBeVisible();

  const edit = page.getByRole("form", { name: "Edit your review" });
  await expect(edit.getByRole("radio", { name: "4 stars" })).toBeChecked();
  await edit.getByRole("radio", { name: "5 stars" }).check();
  await edit.getByRole("button", { name: "Update review" }).click();
  await expect(mine.getByRole("img", { name: "5.0 out of 5 stars" })).toBeVisible();
  await expect(mine).toHaveCount(1);
});

test("marketplace templates: register agents from the OpenAI-compatible template, build a latency-first route over them, and use it", async ({ page }) => {
  const owner = await seedUser("template-admin");
  const org = await seedOrg(owner, "templates");
  await signInWithPassword(page, owner.email, owner.password);

  // 1. The agent template: its form registers a live agent (discovered, like the registration page).
  const registerFromTemplate = async (name: string, fleetId: string) => {
    await page.goto("/marketplace/openai-compatible-endpoint");
    await page.getByRole("link", { name: "Register agent", exact: true }).click();
    await expect(page).toHaveURL(`/o/${org.slug}/marketplace/install/openai-compatible-endpoint`);
    const form = page.getByRole("form", { name: "Register agent from OpenAI-compatible endpoint" });
    await form.getByRole("textbox", { name: "Agent name" }).fill(name);
    await form.getByRole("textbox", { name: "Base URL" }).fill(await fleetAgentUrl(fleetId));
    await form.getByRole("button", { name: "Register agent" }).click();
    await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/agents/c[a-z0-9]+$`));
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  };

  // An address nothing answers at: the agent's failure, next to the field, and nothing registered.
  await page.goto(`/o/${org.slug}/marketplace/install/openai-compatible-endpoint`);
  const form = page.getByRole("form", { name: "Register agent from OpenAI-compatible endpoint" });
  await form.getByRole("textbox", { name: "Agent name" }).fill("Nobody home");
  await form.getByRole("textbox", { name: "Base URL" }).fill("http://127.0.0.1:9/v1");
  await form.getByRole("button", { name: "Register agent" }).click();
  await expect(form.getByRole("textbox", { name: "Base URL" })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(`/o/${org.slug}/marketplace/install/openai-compatible-endpoint`);

  await registerFromTemplate("Atlas from template", "atlas-chat");
  await registerFromTemplate("Nova from template", "nova-chat");

  // 2. The route template: the agents are picked from the organization's own.
  await page.goto("/marketplace/latency-first-fallback");
  await page.getByRole("link", { name: "Create route", exact: true }).click();
  const routeForm = page.getByRole("form", { name: "Create route from Latency-first with fallback" });
  await expect(routeForm.getByRole("textbox", { name: "Route name" })).toHaveValue("Fast chat");
  await routeForm.getByRole("textbox", { name: "Model alias clients ask for" }).fill("team-chat");
  await routeForm.getByRole("combobox", { name: "First agent" }).selectOption({ label: "Atlas from template (atlas-from-template)" });
  await routeForm.getByRole("combobox", { name: "Second agent" }).selectOption({ label: "Atlas from template (atlas-from-template)" });
  await routeForm.getByRole("button", { name: "Create route" }).click();
  await expect(routeForm.getByRole("alert").filter({ hasText: "already a target" })).toBeVisible();

  await routeForm.getByRole("combobox", { name: "Second agent" }).selectOption({ label: "Nova from template (nova-from-template)" });
  await routeForm.getByRole("button", { name: "Create route" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/routes/c[a-z0-9]+$`));
  await expect(page.getByRole("heading", { level: 1, name: "Fast chat" })).toBeVisible();

  // 3. The route serves traffic through the gateway.
  // (Either agent may answer: the route picks the faster one.)
  const result = await tryIt(page, "Hello from a template");
  await expect(result.getByRole("region", { name: "Answer", exact: true })).not.toBeEmpty();
});
