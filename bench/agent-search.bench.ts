/**
 * Skill search at 10,000 registered agents (40,000 skills) in one organization, with 10,000 more
 * agents in another: ranked full-text + trigram search against the plain first page of the agents
 * table (an indexed ORDER BY … LIMIT) as the baseline.
 */
import { Bench } from "tinybench";
import { db } from "@/server/db";
import { createOrganization } from "@/server/orgs/service";
import { searchAgents, listAgents } from "@/server/agents/search";
import { agentSearchText, skillSearchText } from "@/server/agents/service";
import { rememberSearchWords } from "@/server/agents/search-words";
import type { Comparison } from "./run";
import { sampleStats } from "./stats";

const AGENTS = 10_000;

// Vocabulary for synthetic skills: verbs × objects gives a few hundred distinct skills.
const VERBS = ["translate", "summarize", "classify", "extract", "search", "book", "plan", "analyze", "generate", "review", "detect", "convert", "monitor", "forecast", "transcribe"];
const OBJECTS = ["invoices", "contracts", "flights", "hotels", "tickets", "emails", "code", "logs", "images", "receipts", "meetings", "reports", "tweets", "orders", "claims", "documents", "recipes", "songs"];
const TAGS = ["finance", "travel", "support", "legal", "devops", "marketing", "health", "retail", "media", "hr"];
const PROTOCOLS = ["A2A", "MCP", "OPENAI"] as const;

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

async function seed(orgId: string, offset: number) {
  for (let start = 0; start < AGENTS; start += 1000) {
    const agents = Array.from({ length: 1000 }, (_, j) => {
      const i = start + j + offset;
      const fields = {
        name: `${pick(OBJECTS, i * 7)} ${pick(VERBS, i * 3)} agent ${i}`,
        description: `Agent ${i} that can ${pick(VERBS, i)} ${pick(OBJECTS, i * 5)} for ${pick(TAGS, i)} teams.`,
        tags: [pick(TAGS, i), pick(TAGS, i + 3)],
        region: i % 2 ? "eu-west" : "us-east",
        provider: "bench",
      };
      return { id: `cbenchagent${String(i).padStart(12, "0")}`, orgId, slug: `agent-${i}`, protocol: pick(PROTOCOLS, i), sourceUrl: `http://10.0.0.${i % 250}/`, endpointUrl: `http://10.0.0.${i % 250}/`, ...fields, searchText: agentSearchText(fields) };
    });
    await db().agent.createMany({ data: agents });
    const skills = agents.flatMap((a, j) =>
        Array.from({ length: 4 }, (_, k) => {
          const i = start + j + offset;
          const verb = pick(VERBS, i + k * 4);
          const object = pick(OBJECTS, i * 3 + k);
          const skill = { key: `${verb}-${object}-${k}`, name: `${verb} ${object}`, description: `Can ${verb} ${object} quickly and accurately.`, tags: [pick(TAGS, i + k)], examples: [`${verb} these ${object}`] };
          return { orgId, agentId: a.id, kind: "SKILL" as const, ...skill, searchText: skillSearchText(skill) };
        }),
    );
    await db().agentSkill.createMany({ data: skills });
    await rememberSearchWords(db(), orgId, [...agents, ...skills].map((x) => x.searchText));
  }
  await db().$executeRaw`ANALYZE "Agent"`;
  await db().$executeRaw`ANALYZE "AgentSkill"`;
}

export async function runSearchBenchmarks(): Promise<Comparison[]> {
  const owner = await db().user.create({ data: { email: "search-bench@bench.helix.test" }, select: { id: true, email: true } });
  const other = await db().user.create({ data: { email: "search-bench-other@bench.helix.test" }, select: { id: true, email: true } });
  const org = await createOrganization({ db: db(), user: owner, name: "Search Bench", slug: "search-bench" });
  const otherOrg = await createOrganization({ db: db(), user: other, name: "Search Other", slug: "search-other" });
  await seed(org.id, 0);
  await seed(otherOrg.id, AGENTS);

  const bench = new Bench({ time: 3000, warmupTime: 500, retainSamples: true });
  const list = () => listAgents({ db: db(), orgId: org.id, filters: {}, sort: "name", dir: "asc", page: 1, pageSize: 20 });
  bench
    .add("agents table, first page", async () => {
      await list();
    })
    .add('search "translate invoices"', async () => {
      await searchAgents({ db: db(), orgId: org.id, q: "translate invoices", limit: 20 });
    })
    .add('search with a typo "transalte"', async () => {
      await searchAgents({ db: db(), orgId: org.id, q: "transalte", limit: 20 });
    })
    .add('search "forecast" filtered to MCP in eu-west', async () => {
      await searchAgents({ db: db(), orgId: org.id, q: "forecast", filters: { protocol: "MCP", region: "eu-west" }, limit: 20 });
    });
  await bench.run();

  const base = sampleStats(bench, "agents table, first page");
  return ['search "translate invoices"', 'search with a typo "transalte"', 'search "forecast" filtered to MCP in eu-west'].map((task) => {
    const candidate = sampleStats(bench, task);
    return {
      name: "agent search at 10k agents",
      question: `${task}: how much dearer than listing a page?`,
      baseline: base,
      candidate,
      ratio: candidate.medianMs / base.medianMs,
      expectation: "< 50 ms median at 10k agents / 40k skills",
    };
  });
}
