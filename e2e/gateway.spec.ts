import { expect, test } from "@playwright/test";
import { FLEET_CONTROL_URL } from "./idp/constants.mjs";
import { signInWithPassword } from "./support/auth";
import { GATEWAY_URL } from "./support/gateway";
import { seedOrg, seedUser } from "./support/seed";

async function fleetAgentUrl(id: string): Promise<string> {
  const agents = (await (await fetch(`${FLEET_CONTROL_URL}/agents`)).json()) as { id: string; url: string }[];
  const agent = agents.find((a) => a.id === id);
  if (!agent) throw new Error(`the demo fleet has no agent "${id}"`);
  return agent.url;
}

test("a route made in the console answers through the gateway: in Try it, and to a client with an API key", async ({ page, request }) => {
  const owner = await seedUser("gateway-admin");
  const org = await seedOrg(owner, "gateway");
  await signInWithPassword(page, owner.email, owner.password);

  // A real OpenAI-compatible agent from the fleet, registered by URL.
  await page.goto(`/o/${org.slug}/agents/new`);
  await page.getByLabel("Agent URL").fill(await fleetAgentUrl("atlas-chat"));
  await page.getByRole("button", { name: "Discover" }).click();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Atlas Chat");
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/agents/c[a-z0-9]+$`));

  // A route to it.
  await page.goto(`/o/${org.slug}/routes/new`);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Gateway chat");
  await page.getByRole("textbox", { name: "Alias", exact: true }).fill("gateway-chat");
  await page.getByLabel("Agent for target 1").selectOption({ label: "Atlas Chat (OpenAI-compatible)" });
  await page.getByRole("button", { name: "Create route" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/routes/c[a-z0-9]+$`));
  const routeUrl = page.url();

  // An API key for it, shown once.
  await page.goto(`/o/${org.slug}/api-keys`);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Gateway client");
  await page.getByRole("checkbox", { name: /Gateway chat/ }).check();
  await page.getByRole("button", { name: "Create API key" }).click();
  const secret = await page.getByRole("textbox", { name: "New API key" }).inputValue();
  expect(secret).toMatch(/^hx_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);

  // Try it on the route's page: the answer, the agent that gave it, and the attempt.
  await page.goto(routeUrl);
  const tryIt = page.getByRole("region", { name: "Try it", exact: true });
  await tryIt.getByRole("textbox", { name: "Message", exact: true }).fill("Hello from the console");
  await tryIt.getByRole("button", { name: "Send" }).click();
  const result = tryIt.getByRole("region", { name: "Try it result", exact: true });
  await expect(result.getByRole("region", { name: "Answer", exact: true })).toContainText("You said: Hello from the console");
  // The first fact is "Answered by".
  await expect(result.getByRole("definition").first()).toHaveText("Atlas Chat");
  const attempts = result.getByRole("table", { name: "Attempts" });
  await expect(attempts.getByRole("row")).toHaveCount(2); // the header and one attempt
  await expect(attempts.getByRole("row").nth(1)).toContainText("Atlas Chat");
  await expect(attempts.getByRole("row").nth(1)).toContainText("200 OK");

  // A client calls the gateway with the new key. The gateway learns of new keys through the
  // database's change notifications, so the first call may come a moment too early.
  await expect(async () => {
    const response = await request.post(`${GATEWAY_URL}/v1/chat/completions`, {
      headers: { authorization: `Bearer ${secret}` },
      data: { model: "gateway-chat", messages: [{ role: "user", content: "Hello from a client" }] },
    });
    expect(response.status(), await response.text()).toBe(200);
    expect(response.headers()["x-helix-request-id"]).toBeTruthy();
    expect(response.headers()["x-helix-agent"]).toBeTruthy();
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).toContain("You said: Hello from a client");
  }).toPass({ timeout: 10_000 });
});
