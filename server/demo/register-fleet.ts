/**
 * Registers the running demo fleet's agents in the demo organization through the real registration
 * path (discovery over HTTP), skipping those already registered; then adds the demo routes and a
 * demo API key for the gateway, when absent. `npm start` runs it after the fleet is up; run it by
 * hand with `tsx server/demo/register-fleet.ts [controlUrl] [apiKeyFile]`.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { db } from "@/server/db";
import { registerAgent } from "@/server/agents/service";
import { createApiKey } from "@/server/api-keys/service";
import { hashApiKey } from "@/server/api-keys/secret";
import { createRoute } from "@/server/routes/service";
import { routeConfigInput, type RouteConfigInput } from "@/server/routes/schema";
import type { OrgContext } from "@/server/trpc/init";
import { ensureDemoAlertRules } from "@/server/alerts/demo";
import { ensureDemoPolicies } from "./policies";
import { ensureDemoMarketplace } from "./marketplace";
import { DEMO_ADMIN, DEMO_ORG } from "./constants.mjs";

/** Where the demo API key's secret is kept between starts (only its hash is in the database). */
const DEFAULT_API_KEY_FILE = fileURLToPath(new URL("../../.helix/demo-api-key", import.meta.url));
const DEMO_KEY_NAME = "Demo key";

const fleetAgents = z.array(
  z.object({ id: z.string(), name: z.string(), protocol: z.enum(["A2A", "MCP", "OPENAI"]), url: z.string(), description: z.string().optional() }),
);

/** Demo placement, so region filters and residency have something to work with. */
const REGIONS = ["eu-west", "us-east", "eu-central"];

/**
 * The demo routes, over the fleet's agents by slug: each shows a strategy, and one mixes protocols
 * (OpenAI in, A2A out). `agents` lists the slugs a route needs.
 */
const DEMO_ROUTES: { agents: string[]; config: (agentId: (slug: string) => string) => RouteConfigInput }[] = [
  {
    agents: ["atlas-chat", "nova-chat"],
    config: (id) => ({
      name: "Helix chat",
      slug: "helix-chat",
      alias: "helix-chat",
      description: "General chat: whichever of Atlas Chat and Nova Code answers faster lately, with two retries.",
      strategy: "LATENCY",
      maxRetries: 2,
      labels: ["PII"],
      targets: [
        { agentId: id("atlas-chat"), model: "atlas-small" },
        { agentId: id("nova-chat"), model: "nova-code" },
      ],
    }),
  },
  {
    agents: ["atlas-chat", "doc-summarizer"],
    config: (id) => ({
      name: "Mixed protocols",
      slug: "helix-mixed",
      alias: "helix-mixed",
      description: "Half the traffic to an OpenAI-compatible agent, half to an A2A agent: clients see one OpenAI API either way.",
      strategy: "WEIGHTED",
      targets: [
        { agentId: id("atlas-chat"), weight: 50, model: "atlas-small" },
        { agentId: id("doc-summarizer"), weight: 50 },
      ],
    }),
  },
  {
    agents: ["travel-planner", "atlas-chat"],
    config: (id) => ({
      name: "Travel",
      slug: "travel",
      alias: "travel",
      description: "The Travel Planner (A2A) first; Atlas Chat answers when it cannot.",
      strategy: "PRIORITY",
      targets: [
        { agentId: id("travel-planner"), priority: 0 },
        { agentId: id("atlas-chat"), priority: 1, model: "atlas-small" },
      ],
    }),
  },
  {
    agents: [],
    config: () => ({
      name: "Translate",
      slug: "translate",
      alias: "translate",
      description: "Any healthy agent with a translation skill.",
      strategy: "CAPABILITY",
      requiredSkill: "translate",
    }),
  },
];

/** Creates the demo routes that are not there yet (by slug or alias), through the route service. */
async function ensureDemoRoutes(ctx: OrgContext) {
  const agentIds = new Map((await ctx.db.agent.findMany({ where: { orgId: ctx.org.id }, select: { id: true, slug: true } })).map((a) => [a.slug, a.id]));
  const existing = await ctx.db.route.findMany({ where: { orgId: ctx.org.id }, select: { slug: true, alias: true } });
  const taken = new Set(existing.flatMap((r) => [r.slug, r.alias]));
  let created = 0;
  for (const route of DEMO_ROUTES) {
    const raw = route.config((slug) => agentIds.get(slug) ?? "");
    if (taken.has(raw.slug) || taken.has(raw.alias)) continue;
    const missing = route.agents.filter((slug) => !agentIds.has(slug));
    if (missing.length) {
      console.warn(`Demo route "${raw.alias}" not created: agent(s) ${missing.join(", ")} are not registered.`);
      continue;
    }
    try {
      await createRoute({ ctx, config: routeConfigInput.parse(raw) });
      created++;
    } catch (error) {
      console.warn(`Could not create the demo route "${raw.alias}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log(`Demo routes: ${created} created, ${DEMO_ROUTES.length - created} already there or skipped.`);
}

/** `file` relative to the working directory when inside it (for messages), else absolute. */
function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}

/**
 * The demo API key: the one whose secret is in `file`, if it is still a usable key of the demo
 * organization; otherwise a new one (audited like any other), its secret written to `file` (0600).
 */
async function ensureDemoApiKey(ctx: OrgContext, file: string) {
  const saved = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  if (saved) {
    const usable = await ctx.db.apiKey.findFirst({
      where: { orgId: ctx.org.id, hash: hashApiKey(saved), revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
      select: { id: true },
    });
    if (usable) {
      console.log(`Demo API key: reusing the one in ${shown(file)}.`);
      return;
    }
  }
  const { secret, key } = await createApiKey({ ctx, name: DEMO_KEY_NAME, routeIds: [] });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename: an interrupted write never leaves half a key behind.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  console.log(`Demo API key: created ${key.prefix}… ("${DEMO_KEY_NAME}", every route), saved to ${shown(file)}.`);
}

async function main() {
  const controlUrl = process.argv[2] ?? `http://127.0.0.1:${Number(process.env.FLEET_BASE_PORT ?? 4100) - 1}`;
  const apiKeyFile = path.resolve(process.argv[3] ?? DEFAULT_API_KEY_FILE);
  const response = await fetch(`${controlUrl}/agents`);
  if (!response.ok) throw new Error(`The demo fleet's control API at ${controlUrl} answered ${response.status}`);
  const agents = fleetAgents.parse(await response.json());

  const prisma = db();
  const membership = await prisma.membership.findFirst({
    where: { user: { email: DEMO_ADMIN.email }, org: { slug: DEMO_ORG.slug } },
    select: { id: true, role: true, user: { select: { id: true, email: true, name: true } }, org: { select: { id: true, name: true, slug: true } } },
  });
  if (!membership) throw new Error(`The demo organization "${DEMO_ORG.slug}" with ${DEMO_ADMIN.email} is not seeded`);
  const ctx: OrgContext = { db: prisma, user: membership.user, org: membership.org, role: membership.role, membershipId: membership.id };

  // The fleet's ids are the agents' slugs here, so a second start finds them registered.
  const known = new Set((await prisma.agent.findMany({ where: { orgId: membership.org.id }, select: { slug: true } })).map((a) => a.slug));
  let registered = 0;
  for (const [index, agent] of agents.entries()) {
    if (known.has(agent.id)) continue;
    try {
      await registerAgent({
        ctx,
        url: agent.url,
        protocol: agent.protocol,
        name: agent.name,
        slug: agent.id,
        region: REGIONS[index % REGIONS.length],
        provider: "HelixAgent demo fleet",
        tags: ["demo", agent.protocol.toLowerCase()],
      });
      registered++;
    } catch (error) {
      console.warn(`Could not register ${agent.name} (${agent.url}): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log(`Demo fleet: ${registered} agent(s) registered, ${agents.length - registered} already there or skipped.`);

  await ensureDemoRoutes(ctx);
  await ensureDemoApiKey(ctx, apiKeyFile);
  const rules = await ensureDemoAlertRules({ db: prisma, orgId: membership.org.id });
  if (rules.created > 0) console.log(`Demo alert rules: ${rules.created} created (p95 anomaly, agent health).`);
  const policies = await ensureDemoPolicies(ctx);
  if (policies > 0) console.log(`Demo policies: ${policies} created (PII masking on helix-chat, EU residency, export monitor).`);
  try {
    // The keyword-blocker plugin's service is on the fleet's control API (KEYWORD_BLOCKER_PATH).
    const marketplace = await ensureDemoMarketplace(prisma, { pluginBaseUrl: controlUrl, platformAdminEmail: DEMO_ADMIN.email });
    if (marketplace.created + marketplace.published > 0) {
      console.log(`Demo marketplace: ${marketplace.created} listing(s) created, ${marketplace.published} version(s) signed and published by HelixAgent Labs.`);
    }
  } catch (error) {
    console.warn(`Could not seed the demo marketplace: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main()
  .then(() => db().$disconnect())
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await db().$disconnect();
    process.exit(1);
  });
