import { expect, test, type Page } from "@playwright/test";
import { FLEET_CONTROL_URL } from "./idp/constants.mjs";
import { signInWithPassword } from "./support/auth";
import { seedOrg, seedUser } from "./support/seed";

async function fleetAgentUrl(id: string): Promise<string> {
  const agents = (await (await fetch(`${FLEET_CONTROL_URL}/agents`)).json()) as { id: string; url: string }[];
  const agent = agents.find((a) => a.id === id);
  if (!agent) throw new Error(`the demo fleet has no agent "${id}"`);
  return agent.url;
}

const EMAIL = "jane.doe@example.com";

/** The sample panel: fills the message, runs the test, and returns the result. */
async function runSample(page: Page, message: string) {
  const sample = page.getByRole("form", { name: "Sample request" });
  await sample.getByRole("textbox", { name: "Message", exact: true }).fill(message);
  await sample.getByRole("button", { name: "Run test" }).click();
  return page.getByTestId("policy-test-result");
}

/** Runs the compliance checks now and returns the status badge of GDPR's data-minimisation control (check: PII redaction on PHI/PII routes). */
async function dataMinimisationStatus(page: Page, orgSlug: string) {
  await page.goto(`/o/${orgSlug}/compliance`);
  await page.getByRole("button", { name: "Run checks now" }).click();
  return page.getByTestId("control-Art. 5(1)(c)").first().locator("[data-status]");
}

test("policies: a redaction and a deny are written, tested on samples, and the gateway masks what the agent sees", async ({ page, browser }) => {
  const owner = await seedUser("policy-admin");
  const org = await seedOrg(owner, "policies");
  await signInWithPassword(page, owner.email, owner.password);

  // Atlas Chat echoes what it receives ("You said: …"), so its answer shows what the agent saw.
  await page.goto(`/o/${org.slug}/agents/new`);
  await page.getByLabel("Agent URL").fill(await fleetAgentUrl("atlas-chat"));
  await page.getByRole("button", { name: "Discover" }).click();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Atlas Chat");
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/agents/c[a-z0-9]+$`));

  // A route whose traffic is labelled PHI (typed in lower case; saved upper-cased).
  await page.goto(`/o/${org.slug}/routes/new`);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Support chat");
  await page.getByRole("textbox", { name: "Alias", exact: true }).fill("support-chat");
  await page.getByRole("textbox", { name: "Data labels", exact: true }).fill("phi, eu");
  await page.getByLabel("Agent for target 1").selectOption({ label: "Atlas Chat (OpenAI-compatible)" });
  await page.getByRole("button", { name: "Create route" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/routes/c[a-z0-9]+$`));
  const routeUrl = page.url();
  await expect(page.getByRole("textbox", { name: "Data labels", exact: true })).toHaveValue("PHI, EU");

  // A PHI route without a redaction policy: GDPR's data-minimisation control fails.
  await expect(await dataMinimisationStatus(page, org.slug)).toHaveAttribute("data-status", "FAIL");

  // No policies yet: the empty state explains them.
  await page.goto(`/o/${org.slug}/policies`);
  await expect(page.getByRole("heading", { name: "No policies yet" })).toBeVisible();

  // 1. Mask emails on the PHI route, tested as an unsaved draft first.
  await page.getByRole("link", { name: "New policy" }).click();
  await expect(page).toHaveURL(`/o/${org.slug}/policies/new`);
  let editor = page.getByRole("form", { name: "New policy" });
  await editor.getByRole("textbox", { name: "Name", exact: true }).fill("Mask emails");
  await editor.getByRole("combobox", { name: "Scope", exact: true }).selectOption("ROUTE");
  await editor.getByRole("combobox", { name: "Route", exact: true }).selectOption({ label: "Support chat (support-chat)" });
  await editor.getByRole("textbox", { name: "Condition", exact: true }).fill('"PHI" in request.labels');
  await expect(editor.getByTestId("condition-ok")).toBeVisible();
  await editor.getByRole("radio", { name: /^Redact PII/ }).check();
  await expect(editor.getByRole("checkbox", { name: /EMAIL/ })).toBeChecked();
  await expect(editor.getByRole("radio", { name: /^Both the request and the answer/ })).toBeChecked();

  let result = await runSample(page, `Hello, write to ${EMAIL} please`);
  await expect(result.getByTestId("policy-test-outcome")).toHaveAttribute("data-outcome", "ALLOW");
  await expect(result.getByTestId("policy-test-pii")).toContainText("EMAIL");
  await expect(result.getByTestId("policy-test-request-text")).toHaveText("Hello, write to [EMAIL] please");
  const decision = result.getByTestId("policy-test-decision");
  await expect(decision).toHaveCount(1);
  await expect(decision).toContainText("Mask emails (draft)");
  await expect(decision).toContainText("applied");
  await expect(result.getByTestId("policy-test-agent")).toContainText("allowed");

  await editor.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/policies/c[a-z0-9]+$`));
  const redactUrl = page.url();
  await expect(page.getByRole("heading", { level: 1, name: "Mask emails" })).toBeVisible();

  // 2. Deny trial tenants, by a header. The condition is checked as it is typed, and the
  // offending part is marked.
  await page.goto(`/o/${org.slug}/policies/new`);
  editor = page.getByRole("form", { name: "New policy" });
  await editor.getByRole("textbox", { name: "Name", exact: true }).fill("Block trial tenants");
  const condition = editor.getByRole("textbox", { name: "Condition", exact: true });
  await condition.fill('request.headers["x-tenant"] == trial');
  await expect(editor.getByTestId("condition-error")).toContainText("trial");
  await expect(editor.getByTestId("condition-error-mark")).toHaveText("trial");
  await expect(condition).toHaveAttribute("aria-invalid", "true");

  // Left as "true", a deny refuses everything: saving asks first.
  await condition.fill("true");
  await expect(editor.getByTestId("condition-ok")).toBeVisible();
  await editor.getByRole("button", { name: "Create policy" }).click();
  await expect(editor.getByTestId("policy-confirm")).toContainText("would deny every request");
  await expect(page).toHaveURL(`/o/${org.slug}/policies/new`);

  await condition.fill('request.headers["x-tenant"] == "trial"');
  await expect(editor.getByTestId("condition-ok")).toBeVisible();
  await editor.getByRole("textbox", { name: "Message to the client" }).fill("Trial tenants cannot use this route");

  const sample = page.getByRole("form", { name: "Sample request" });
  await sample.getByRole("button", { name: "Add header" }).click();
  await sample.getByRole("textbox", { name: "Header 1 name" }).fill("x-tenant");
  await sample.getByRole("textbox", { name: "Header 1 value" }).fill("trial");
  result = await runSample(page, `Hello, write to ${EMAIL}`);
  await expect(result.getByTestId("policy-test-outcome")).toHaveAttribute("data-outcome", "DENY");
  await expect(result.getByTestId("policy-test-outcome")).toContainText("Trial tenants cannot use this route");
  // The saved redaction matched too, but a deny wins.
  await expect(result.getByTestId("policy-test-decision").filter({ hasText: "Block trial tenants (draft)" })).toContainText("applied");
  await expect(result.getByTestId("policy-test-decision").filter({ hasText: "Mask emails" })).toContainText("not applied");

  await sample.getByRole("textbox", { name: "Header 1 value" }).fill("paid");
  result = await runSample(page, "Hello");
  await expect(result.getByTestId("policy-test-outcome")).toHaveAttribute("data-outcome", "ALLOW");

  await editor.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/policies/c[a-z0-9]+$`));

  // The list: both, with their effect, mode and scope.
  await page.goto(`/o/${org.slug}/policies`);
  const redactRow = page.getByTestId("policy-Mask emails");
  await expect(redactRow).toContainText("Redact PII");
  await expect(redactRow).toContainText("Enforced");
  await expect(redactRow).toContainText("Support chat");
  await expect(redactRow.getByRole("switch", { name: "Mask emails enabled" })).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("policy-Block trial tenants")).toContainText("Deny");

  // Mask the request only, so an answer without the address proves the agent never saw it. A
  // second editor opened on the old version cannot overwrite the change.
  const other = await browser.newPage({ storageState: await page.context().storageState() });
  await other.goto(redactUrl);
  await page.goto(redactUrl);
  editor = page.getByRole("form", { name: "Edit Mask emails" });
  await editor.getByRole("radio", { name: /^Request: before an agent sees it/ }).check();
  await editor.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByText("Mask emails saved as version 2")).toBeVisible();
  const versions = page.getByTestId("policy-versions");
  await expect(versions.getByRole("row")).toHaveCount(3); // the header, v2 and v1
  await expect(versions.getByRole("row").nth(1)).toContainText("v2");
  await expect(versions.getByRole("row").nth(1)).toContainText(owner.email);

  const stale = other.getByRole("form", { name: "Edit Mask emails" });
  await stale.getByRole("textbox", { name: "Description" }).fill("HIPAA: no emails to agents");
  await stale.getByRole("button", { name: "Save policy" }).click();
  await expect(stale.getByTestId("policy-conflict")).toContainText("Someone else saved this policy");
  await stale.getByRole("button", { name: "Reload the policy" }).click();
  await expect(stale.getByRole("radio", { name: /^Request: before an agent sees it/ })).toBeChecked();
  await other.close();

  // Try it on the route: the gateway masks the email before Atlas Chat sees it. The gateway learns
  // of policy changes through the database's change notifications, so the first message may come
  // a moment too early.
  await page.goto(routeUrl);
  const tryIt = page.getByRole("region", { name: "Try it", exact: true });
  const answer = tryIt.getByRole("region", { name: "Try it result", exact: true }).getByRole("region", { name: "Answer", exact: true });
  await expect(async () => {
    await tryIt.getByRole("textbox", { name: "Message", exact: true }).fill(`Please write to ${EMAIL} today`);
    await tryIt.getByRole("button", { name: "Send" }).click();
    // Atlas Chat repeats what it received: the masked text, not the address.
    await expect(answer).toContainText("You said: Please write to [EMAIL] today", { timeout: 5_000 });
  }).toPass({ timeout: 20_000 });

  // With the redaction enforced on the PHI route, the same control passes.
  await expect(await dataMinimisationStatus(page, org.slug)).toHaveAttribute("data-status", "PASS");
  await expect(page.getByRole("heading", { level: 1, name: "Compliance" })).toBeVisible();
});
