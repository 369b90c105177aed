import { expect, test } from "@playwright/test";
import { runRollup } from "@/server/analytics/rollup";
import { db } from "@/server/db";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { FLEET_CONTROL_URL } from "./idp/constants.mjs";
import { signInWithPassword } from "./support/auth";
import { GATEWAY_URL } from "./support/gateway";
import { seedOrg, seedUser, unique } from "./support/seed";

const REQUESTS = 20;

async function fleetAgentUrl(id: string): Promise<string> {
  const agents = (await (await fetch(`${FLEET_CONTROL_URL}/agents`)).json()) as { id: string; url: string }[];
  const agent = agents.find((a) => a.id === id);
  if (!agent) throw new Error(`the demo fleet has no agent "${id}"`);
  return agent.url;
}

/** Requests the rollups hold for an organization so far. */
async function rolledUpRequests(orgId: string): Promise<number> {
  const [row] = await db().$queryRaw<{ n: number | null }[]>`SELECT sum(requests)::float8 AS n FROM telemetry.rollup_minute WHERE org_id = ${orgId}`;
  return row?.n ?? 0;
}

test("traffic through the gateway shows on the analytics overview and on the agent's page", async ({ page, request }) => {
  const owner = await seedUser("analytics-admin");
  const org = await seedOrg(owner, "analytics");
  // The tenant's agent, route and key, made through the API's own procedures as the owner.
  const api = createCaller(createContext({ db: db(), session: { id: owner.id } }));
  const agent = await api.agent.register({ orgSlug: org.slug, url: await fleetAgentUrl("atlas-chat"), name: "Atlas Analytics" });
  const alias = unique("analytics-chat");
  await api.route.create({ orgSlug: org.slug, name: "Analytics chat", slug: alias, alias, targets: [{ agentId: agent.id }] });
  const { secret } = await api.apiKey.create({ orgSlug: org.slug, name: "Analytics client" });

  // Twenty answered requests. The gateway learns of the new key and route through the database's
  // change notifications, so the first call may come a moment too early.
  const send = async () => {
    const response = await request.post(`${GATEWAY_URL}/v1/chat/completions`, {
      headers: { authorization: `Bearer ${secret}` },
      data: { model: alias, messages: [{ role: "user", content: "Hello from analytics" }] },
    });
    expect(response.status(), await response.text()).toBe(200);
  };
  await expect(send).toPass({ timeout: 10_000 });
  for (let i = 1; i < REQUESTS; i++) await send();

  // The gateway writes its rows in batches off the request path; the rollup job (the worker's, run
  // here directly) turns them into the per-minute aggregates the dashboards read.
  await expect(async () => {
    await runRollup({ db: db(), lagSeconds: 0 });
    expect(await rolledUpRequests(org.id)).toBe(REQUESTS);
  }).toPass({ timeout: 20_000 });

  // The server resolves the window and prefetches; the browser must render the same thing.
  const hydrationErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|Minified React error #4(18|19|23|25)/i.test(message.text())) hydrationErrors.push(message.text());
  });
  await signInWithPassword(page, owner.email, owner.password);
  await page.goto(`/o/${org.slug}/analytics?range=1h`);
  await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Requests" }).getByTestId("kpi-value")).toHaveText(String(REQUESTS));
  await expect(page.getByLabel("Range", { exact: true })).toHaveValue("1h");

  // The requests chart draws a line.
  const requestsChart = page.getByRole("region", { name: "Requests", exact: true });
  await expect(requestsChart.locator("svg path.recharts-curve").first()).toBeVisible();
  await expect(requestsChart.getByRole("list", { name: "Requests legend" })).toHaveCount(0); // one route: no legend needed

  expect(hydrationErrors).toEqual([]);

  // Top agents → the agent's page, keeping the range.
  const topAgents = page.getByRole("region", { name: "Top agents" });
  await expect(topAgents.getByRole("row", { name: /Atlas Analytics/ })).toContainText(String(REQUESTS));
  await topAgents.getByRole("link", { name: "Atlas Analytics" }).click();
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/analytics/agents/${agent.id}\\?range=1h$`));
  await expect(page.getByRole("heading", { level: 1, name: "Atlas Analytics" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Requests" }).getByTestId("kpi-value")).toHaveText(String(REQUESTS));
  await expect(page.getByRole("region", { name: "Routes this agent served" }).getByRole("row", { name: /Analytics chat/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open in the registry" })).toHaveAttribute("href", `/o/${org.slug}/agents/${agent.id}`);

  // A wider range from the picker lands in the URL and keeps the numbers.
  await page.getByLabel("Range", { exact: true }).selectOption("24h");
  await expect(page).toHaveURL(new RegExp(`/o/${org.slug}/analytics/agents/${agent.id}$`));
  await expect(page.getByRole("group", { name: "Requests" }).getByTestId("kpi-value")).toHaveText(String(REQUESTS));
});

test("an unknown agent or route has no analytics page, and a hostile range falls back to 24 hours", async ({ page }) => {
  const owner = await seedUser("analytics-viewer");
  const org = await seedOrg(owner, "analytics-empty");
  await signInWithPassword(page, owner.email, owner.password);

  const missingAgent = await page.goto(`/o/${org.slug}/analytics/agents/cl0000000000000000000000`);
  expect(missingAgent?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  const missingRoute = await page.goto(`/o/${org.slug}/analytics/routes/not-a-route`);
  expect(missingRoute?.status()).toBe(404);

  await page.goto(`/o/${org.slug}/analytics?range=<script>&from=yesterday&to=1e999&route=%27%3B`);
  await expect(page.getByLabel("Range", { exact: true })).toHaveValue("24h");
  await expect(page.getByText("No traffic in this range yet — send a request through the gateway or widen the range.")).toBeVisible();
});
