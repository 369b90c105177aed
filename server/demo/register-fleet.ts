/**
 * Registers the running demo fleet's agents in the demo organization through the real registration
 * path (discovery over HTTP), skipping those already registered. `npm start` runs it after the fleet
 * is up; run it by hand with `tsx server/demo/register-fleet.ts [controlUrl]`.
 */
import { z } from "zod";
import { db } from "@/server/db";
import { registerAgent } from "@/server/agents/service";
import { DEMO_ADMIN, DEMO_ORG } from "./constants.mjs";

const fleetAgents = z.array(
  z.object({ id: z.string(), name: z.string(), protocol: z.enum(["A2A", "MCP", "OPENAI"]), url: z.string(), description: z.string().optional() }),
);

/** Demo placement, so region filters and residency have something to work with. */
const REGIONS = ["eu-west", "us-east", "eu-central"];

async function main() {
  const controlUrl = process.argv[2] ?? `http://127.0.0.1:${Number(process.env.FLEET_BASE_PORT ?? 4100) - 1}`;
  const response = await fetch(`${controlUrl}/agents`);
  if (!response.ok) throw new Error(`The demo fleet's control API at ${controlUrl} answered ${response.status}`);
  const agents = fleetAgents.parse(await response.json());

  const prisma = db();
  const membership = await prisma.membership.findFirst({
    where: { user: { email: DEMO_ADMIN.email }, org: { slug: DEMO_ORG.slug } },
    select: { id: true, role: true, user: { select: { id: true, email: true, name: true } }, org: { select: { id: true, name: true, slug: true } } },
  });
  if (!membership) throw new Error(`The demo organization "${DEMO_ORG.slug}" with ${DEMO_ADMIN.email} is not seeded`);
  const ctx = { db: prisma, user: membership.user, org: membership.org, role: membership.role, membershipId: membership.id };

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
}

main()
  .then(() => db().$disconnect())
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await db().$disconnect();
    process.exit(1);
  });
