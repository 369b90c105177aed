import { expect, test } from "@playwright/test";
import { unsafeEvaluateRule } from "@/server/alerts/evaluate";
import { insertRollupMinute } from "@/server/analytics/testing";
import { db } from "@/server/db";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { signInWithPassword } from "./support/auth";
import { seedAgent, seedOrg, seedUser, unique } from "./support/seed";

const MINUTE = 60_000;

test("a latency incident fires an alert that is acknowledged in the console and resolves when latency is back to normal", async ({ page }) => {
  const owner = await seedUser("alerts-admin");
  const org = await seedOrg(owner, "alerts");
  const api = createCaller(createContext({ db: db(), session: { id: owner.id } }));
  const agent = await seedAgent(org.id, "Atlas");
  const slug = unique("chat");
  const route = await api.route.create({ orgSlug: org.slug, name: "Chat", slug, alias: slug, targets: [{ agentId: agent.id }] });
  const rule = await api.alert.rule.create({ orgSlug: org.slug, name: "Chat latency", kind: "ANOMALY", metric: "p95", routeId: route.id, severity: "HIGH" });

  // Three hours of steady traffic, then a spike: rollup rows written directly, evaluated as the
  // worker's job would at each minute (the timeline ends a little before now).
  const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 4 * 60 * MINUTE;
  const minutes = (from: number, to: number, ms: number) =>
    insertRollupMinute(
      Array.from({ length: to - from }, (_, k) => {
        const i = from + k;
        return { orgId: org.id, routeId: route.id, bucket: new Date(t0 + i * MINUTE), latencyMs: Array.from({ length: 20 }, (_, j) => ms * (1 + 0.1 * Math.sin(i * 7 + j))) };
      }),
    );
  const evaluateThrough = (i: number) => unsafeEvaluateRule({ db: db(), ruleId: rule.id, now: t0 + (i + 1) * MINUTE + 30_000 });
  await minutes(0, 180, 100);
  await evaluateThrough(179);
  await minutes(180, 184, 1500);
  await evaluateThrough(183);

  await signInWithPassword(page, owner.email, owner.password);
  await page.goto(`/o/${org.slug}/alerts`);
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await expect(page.getByTestId("open-alerts-badge").first()).toHaveText(/^1/);
  const row = page.getByRole("row").filter({ hasText: "Chat latency" });
  await expect(row).toContainText("Firing");
  await expect(row).toContainText("p95 latency of route Chat");

  await row.getByRole("link", { name: "Chat latency" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Chat latency" })).toBeVisible();
  await expect(page.getByTestId("time-series-chart")).toBeVisible();
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByTestId("alert-status")).toHaveText("Acknowledged");
  await expect(page.getByTestId("alert-timeline")).toContainText(`Acknowledged by ${owner.email}`);

  // Back to normal for long enough: the next evaluation resolves it.
  await minutes(184, 214, 100);
  await evaluateThrough(213);
  await page.reload();
  await expect(page.getByTestId("alert-status")).toHaveText("Resolved");
  await expect(page.getByTestId("alert-timeline")).toContainText("Resolved by itself");
  await expect(page.getByTestId("open-alerts-badge")).toHaveCount(0);
});
