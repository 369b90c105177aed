/**
 * Three organizations the gateway serves identically (the gateway benchmark's seed: one OpenAI agent
 * — the bench upstream — a LATENCY route `bench`, an API key), except for one installed gateway plugin:
 * A has none; B has the demo fleet's keyword blocker on the route at before_request; C has it at
 * before_request and after_response. The plugin listings are published with a real ed25519
 * signature (rows written as server/gateway/plugins.server.test.ts writes them) and installed
 * through the product's API (`marketplace.install.create` through the tRPC caller, by an owner of
 * the organization), which checks the signature and the configuration as it would for anyone.
 */
import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import type { HookPoint } from "@/server/marketplace/manifest";
import { generateSigningKeyPair, signVersion } from "@/server/marketplace/signing";
import { seedGatewayRoute, type GatewaySeed } from "../gateway/seed";
import { keywordBlockerManifest } from "../marketplace/seed";

export const PLUGIN_PATH = "/plugins/keyword-blocker";
/** Words none of the benchmark's requests or answers contain, so every call answers allow. */
export const BLOCKED_KEYWORDS = "project falcon, internal only, do not share";
export const BLOCKED_MESSAGE = "Project names stay inside the company.";
export const PLUGIN_TIMEOUT_MS = 1000;

export type OrgName = "A" | "B" | "C";
export const ORG_HOOKS: Record<OrgName, HookPoint[]> = { A: [], B: ["before_request"], C: ["before_request", "after_response"] };

export interface PluginOrg extends GatewaySeed {
  slug: string;
  installId: string | null;
}

const rand = () => randomBytes(4).toString("hex");

/** Seeds A, B and C; `pluginServiceUrl` is the fleet control server's URL. */
export async function seedPluginOrgs(upstreamUrl: string, pluginServiceUrl: string): Promise<Record<OrgName, PluginOrg>> {
  const owner = await db().user.create({ data: { email: `plugins-bench-${rand()}@bench.helix.test`, name: "Plugins bench" }, select: { id: true } });
  const publisherOrg = await db().organization.create({ data: { name: "Plugin Bench Publisher", slug: `plugin-publisher-${rand()}` }, select: { id: true } });
  const signer = generateSigningKeyPair();
  const publisher = await db().publisher.create({
    data: { orgId: publisherOrg.id, slug: `plugin-bench-${rand()}`, displayName: "Plugin Bench Publisher", keys: { create: { keyId: signer.keyId, publicKey: signer.publicKey } } },
    select: { id: true },
  });
  const caller = createCaller(createContext({ db: db(), session: { id: owner.id } }));
  const orgs = {} as Record<OrgName, PluginOrg>;
  for (const name of ["A", "B", "C"] as const) {
    const seed = await seedGatewayRoute(upstreamUrl);
    const org = await db().organization.findUniqueOrThrow({ where: { id: seed.orgId }, select: { slug: true } });
    orgs[name] = { ...seed, slug: org.slug, installId: null };
    const hooks = ORG_HOOKS[name];
    if (hooks.length === 0) continue;
    await db().membership.create({ data: { orgId: seed.orgId, userId: owner.id, role: "OWNER" } });
    const slug = `keyword-blocker-${hooks.join("-").replaceAll("_", "-")}-${rand()}`;
    const m = keywordBlockerManifest({ serviceUrl: `${pluginServiceUrl}${PLUGIN_PATH}`, hooks, timeoutMs: PLUGIN_TIMEOUT_MS, failMode: "open" });
    await db().listing.create({
      data: {
        publisherId: publisher.id,
        kind: "GATEWAY_PLUGIN",
        slug,
        name: `Keyword blocker (${hooks.join(" + ")})`,
        summary: "Refuses requests that mention words you list, before any agent sees them.",
        categories: ["content-filtering"],
        latestVersion: "1.0.0",
        publishedAt: new Date(),
        versions: { create: { version: "1.0.0", major: 1, minor: 0, patch: 0, manifest: m, signature: signVersion({ privateKey: signer.privateKey, listing: slug, version: "1.0.0", manifest: m }), keyId: signer.keyId } },
      },
    });
    const install = await caller.marketplace.install.create({
      orgSlug: org.slug,
      listingSlug: slug,
      config: { keywords: BLOCKED_KEYWORDS, message: BLOCKED_MESSAGE },
      routeIds: [seed.routeId],
    });
    orgs[name].installId = install.id;
  }
  return orgs;
}
