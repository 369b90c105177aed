/**
 * The gateway's configuration for the benchmark, written straight into the run's database: one
 * organization, one OpenAI-compatible agent (the local upstream, listing the bench model), a LATENCY
 * route `bench` with that agent as its only target, and an API key for the route.
 */
import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { newApiKey } from "@/server/api-keys/secret";
import { ROUTE_ALIAS, UPSTREAM_MODEL } from "./requests";

export interface GatewaySeed {
  orgId: string;
  agentId: string;
  routeId: string;
  /** The API key's secret, sent as `Authorization: Bearer …`. */
  apiKey: string;
}

export async function seedGatewayRoute(upstreamUrl: string): Promise<GatewaySeed> {
  const slug = `gateway-bench-${randomBytes(4).toString("hex")}`;
  const endpointUrl = `${upstreamUrl}/v1`;
  const org = await db().organization.create({ data: { name: "Gateway Bench", slug }, select: { id: true } });
  const agent = await db().agent.create({
    data: {
      orgId: org.id,
      name: "Bench upstream",
      slug: "bench-upstream",
      protocol: "OPENAI",
      sourceUrl: endpointUrl,
      endpointUrl,
      status: "ACTIVE",
      capabilities: { models: [UPSTREAM_MODEL] },
      discoveredAt: new Date(),
      skills: { create: { orgId: org.id, kind: "MODEL", key: UPSTREAM_MODEL, name: UPSTREAM_MODEL } },
    },
    select: { id: true },
  });
  const route = await db().route.create({
    data: {
      orgId: org.id,
      name: "Bench",
      slug: "bench",
      alias: ROUTE_ALIAS,
      strategy: "LATENCY",
      targets: { create: { orgId: org.id, agentId: agent.id, model: UPSTREAM_MODEL } },
    },
    select: { id: true },
  });
  const key = newApiKey();
  await db().apiKey.create({
    data: { orgId: org.id, name: "bench", prefix: key.prefix, hash: key.hash, routeIds: [route.id] },
  });
  return { orgId: org.id, agentId: agent.id, routeId: route.id, apiKey: key.secret };
}
