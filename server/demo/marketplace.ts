/**
 * The demo marketplace catalog, so /marketplace is not empty on the first start: a verified demo
 * publisher ("HelixAgent Labs", its own organization) with a route template, two agent templates, a
 * policy pack and a gateway plugin served by the demo fleet. Everything goes through the marketplace
 * services (validated, signed, audited). A key pair is generated at seed time; only its public key
 * is stored, and the private key signs the versions and is then forgotten. Idempotent: listings
 * already there are left alone; a run that has something to publish registers a fresh key.
 */
import type { Db } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { recordAudit } from "@/server/audit/record";
import { addPublisherKey, createPublisher, setPublisherVerified } from "@/server/marketplace/publishers";
import { createListing } from "@/server/marketplace/listings";
import { publishVersion } from "@/server/marketplace/publishing";
import { createListingInput, publishVersionInput } from "@/server/marketplace/schema";
import { generateSigningKeyPair, signVersion } from "@/server/marketplace/signing";
import type { ListingKind, ManifestInput } from "@/server/marketplace/manifest";
import type { Category } from "@/server/marketplace/schema";

export const DEMO_PUBLISHER = Object.freeze({
  orgName: "HelixAgent Labs",
  orgSlug: "helix-labs",
  slug: "helix-labs",
  displayName: "HelixAgent Labs",
  /** Owns the publisher organization; has no password, so nobody signs in as it. */
  ownerEmail: "publisher@demo.helix.local",
});

/** The path under the demo fleet's control URL where the keyword-blocker plugin service must answer. */
export const KEYWORD_BLOCKER_PATH = "/plugins/keyword-blocker";

const icon = (body: string, color: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${color}"/>${body}</svg>`;

interface DemoListing {
  slug: string;
  kind: ListingKind;
  name: string;
  summary: string;
  readme: string;
  icon: string;
  categories: Category[];
  tags: string[];
  versions: { version: string; changelog: string; manifest: ManifestInput }[];
}

function catalog(pluginBaseUrl: string): DemoListing[] {
  const serviceUrl = `${pluginBaseUrl.replace(/\/+$/, "")}${KEYWORD_BLOCKER_PATH}`;
  const blockerConfig = {
    type: "object" as const,
    properties: {
      keywords: { type: "string" as const, title: "Blocked keywords", description: "Comma-separated words or phrases (any case); a request that mentions one is refused." },
      message: { type: "string" as const, title: "Message to the client", default: "This request mentions a blocked keyword.", maxLength: 300 },
    },
    required: ["keywords"],
  };
  return [
    {
      slug: "keyword-blocker",
      kind: "GATEWAY_PLUGIN",
      name: "Keyword blocker",
      summary: "Refuses requests that mention words you list before any agent sees them, and masks them in answers.",
      icon: icon('<path d="M20 20l24 24M44 20L20 44" stroke="#fff" stroke-width="6" stroke-linecap="round"/>', "#dc2626"),
      categories: ["content-filtering", "security"],
      tags: ["keywords", "guardrail", "deny"],
      readme: [
        "# Keyword blocker",
        "",
        "A gateway plugin that checks every request **before it reaches an agent** and refuses the ones that mention a blocked word or phrase.",
        "From 1.1.0 it also masks the words in answers, streamed or not (they become `[blocked]`).",
        "",
        "## Configuration",
        "",
        "| field | what it does |",
        "| --- | --- |",
        "| `keywords` | comma-separated words or phrases, matched in any case, e.g. `project falcon, internal only` |",
        "| `message` | what the client is told when a request is refused |",
        "",
        "## How it runs",
        "",
        "The gateway POSTs each hook call to the plugin service with a 500 ms budget. If the service is slow or down, the install's fail mode decides: *open* lets the request through, *closed* refuses it.",
        "",
        "In the demo, the plugin service is served by the HelixAgent demo fleet.",
      ].join("\n"),
      versions: [
        {
          version: "1.0.0",
          changelog: "First release: checks requests before they reach an agent.",
          manifest: { kind: "GATEWAY_PLUGIN", serviceUrl, hooks: ["before_request"], timeoutMs: 500, failMode: "open", configSchema: blockerConfig },
        },
        {
          version: "1.1.0",
          changelog: "Also masks blocked words in answers, streamed (stream_chunk) or not (after_response).",
          manifest: { kind: "GATEWAY_PLUGIN", helixVersion: ">=0.1.0", serviceUrl, hooks: ["before_request", "after_response", "stream_chunk"], timeoutMs: 500, failMode: "open", configSchema: blockerConfig },
        },
      ],
    },
    {
      slug: "pii-essentials",
      kind: "POLICY_PACK",
      name: "PII essentials",
      summary: "Masks emails, phone numbers, cards, IBANs and SSNs both ways, and watches for card numbers.",
      icon: icon('<rect x="18" y="28" width="28" height="20" rx="3" fill="#fff"/><path d="M24 28v-6a8 8 0 0116 0v6" stroke="#fff" stroke-width="5" fill="none"/>', "#7c3aed"),
      categories: ["privacy", "security"],
      tags: ["pii", "gdpr", "redaction"],
      readme: [
        "# PII essentials",
        "",
        "Two policies that cover what most teams need on day one:",
        "",
        "1. **Mask PII** — emails, phone numbers, card numbers (Luhn-checked), IBANs (mod-97) and US SSNs are masked in requests *and* answers, streams included.",
        "2. **Watch for card numbers** — in monitor mode: records the requests a card-number ban would refuse, so you can see the impact before enforcing it.",
        "",
        "Install it organization-wide or on the routes that carry personal data.",
      ].join("\n"),
      versions: [
        {
          version: "1.0.0",
          changelog: "First release.",
          manifest: {
            kind: "POLICY_PACK",
            policies: [
              {
                name: "Mask PII",
                description: "Masks emails, phone numbers, cards, IBANs and SSNs in requests and answers.",
                condition: "true",
                effect: "REDACT",
                params: { kinds: ["EMAIL", "PHONE", "CARD", "IBAN", "SSN"], direction: "BOTH" },
              },
              {
                name: "Watch for card numbers",
                description: "Monitor only: what a ban on card numbers would refuse.",
                mode: "MONITOR",
                condition: '"CARD" in request.pii',
                effect: "DENY",
                params: { message: "Card numbers may not be sent to agents" },
              },
            ],
          },
        },
      ],
    },
    {
      slug: "latency-first-fallback",
      kind: "ROUTE_TEMPLATE",
      name: "Latency-first with fallback",
      summary: "A route that sends each request to whichever of two agents answers faster, failing over to the other.",
      icon: icon('<path d="M14 40l12-12 8 8 16-16" stroke="#fff" stroke-width="6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>', "#0891b2"),
      categories: ["routing"],
      tags: ["latency", "failover", "resilience"],
      readme: [
        "# Latency-first with fallback",
        "",
        "Creates a route over two agents with the **latency-aware** strategy: each request goes to the agent that has been answering faster lately (time to first token for streams), and when it fails, times out or its circuit breaker is open, the other agent takes over — even in the middle of a stream.",
        "",
        "- 2 retries, 10 s per attempt, 30 s overall",
        "- breaker after 5 consecutive failures, 30 s cool-down",
      ].join("\n"),
      versions: [
        {
          version: "1.0.0",
          changelog: "First release.",
          manifest: {
            kind: "ROUTE_TEMPLATE",
            configSchema: {
              type: "object",
              properties: {
                name: { type: "string", title: "Route name", default: "Fast chat" },
                alias: { type: "string", title: "Model alias clients ask for", default: "fast-chat" },
                primaryAgent: { type: "string", title: "First agent", "x-helix-ref": "agent" },
                secondaryAgent: { type: "string", title: "Second agent", "x-helix-ref": "agent" },
              },
              required: ["name", "alias", "primaryAgent", "secondaryAgent"],
            },
            route: {
              name: "{{name}}",
              slug: "{{alias}}",
              alias: "{{alias}}",
              description: "Latency-aware over two agents, failing over to the other.",
              strategy: "LATENCY",
              timeoutMs: 10_000,
              deadlineMs: 30_000,
              maxRetries: 2,
              breakerFailureThreshold: 5,
              breakerCooldownMs: 30_000,
              targets: [{ agent: "{{primaryAgent}}" }, { agent: "{{secondaryAgent}}" }],
            },
          },
        },
      ],
    },
    {
      slug: "openai-compatible-endpoint",
      kind: "AGENT_TEMPLATE",
      name: "OpenAI-compatible endpoint",
      summary: "Registers any OpenAI-compatible API (vLLM, LiteLLM, a hosted provider) as an agent, with its API key.",
      icon: icon('<circle cx="32" cy="32" r="14" stroke="#fff" stroke-width="6" fill="none"/>', "#16a34a"),
      categories: ["providers"],
      tags: ["openai", "vllm", "litellm"],
      readme: [
        "# OpenAI-compatible endpoint",
        "",
        "Registers an agent from the base URL of any server that speaks the OpenAI Chat Completions API. HelixAgent discovers its models from `GET /models` and starts health checks.",
        "",
        "The API key, if you give one, is stored encrypted and sent as a bearer token.",
      ].join("\n"),
      versions: [
        {
          version: "1.0.0",
          changelog: "First release.",
          manifest: {
            kind: "AGENT_TEMPLATE",
            configSchema: {
              type: "object",
              properties: {
                name: { type: "string", title: "Agent name", minLength: 2, maxLength: 80 },
                baseUrl: { type: "string", title: "Base URL", description: "e.g. https://api.example.com/v1" },
                apiKey: { type: "string", title: "API key", secret: true },
                region: { type: "string", title: "Region", description: "e.g. eu-west (used by residency policies)" },
              },
              required: ["name", "baseUrl"],
            },
            agent: {
              protocol: "OPENAI",
              url: "{{baseUrl}}",
              name: "{{name}}",
              region: "{{region}}",
              tags: ["openai-compatible"],
              credential: { kind: "BEARER", secretField: "apiKey" },
            },
          },
        },
      ],
    },
    {
      slug: "local-ollama",
      kind: "AGENT_TEMPLATE",
      name: "Local Ollama",
      summary: "Registers an Ollama server on your network as an OpenAI-compatible agent; no key needed.",
      icon: icon('<ellipse cx="32" cy="36" rx="14" ry="12" fill="#fff"/><circle cx="26" cy="34" r="2" fill="#111"/><circle cx="38" cy="34" r="2" fill="#111"/>', "#111827"),
      categories: ["local-models", "providers"],
      tags: ["ollama", "local", "self-hosted"],
      readme: [
        "# Local Ollama",
        "",
        "Ollama serves an OpenAI-compatible API at `http://<host>:11434/v1`. This template registers it as an agent so routes can use your local models next to hosted ones — handy for keeping sensitive traffic on your own machines.",
        "",
        "```sh",
        "ollama serve            # then: ollama pull llama3.2",
        "```",
      ].join("\n"),
      versions: [
        {
          version: "1.0.0",
          changelog: "First release.",
          manifest: {
            kind: "AGENT_TEMPLATE",
            configSchema: {
              type: "object",
              properties: {
                name: { type: "string", title: "Agent name", default: "Local Ollama" },
                baseUrl: { type: "string", title: "Ollama URL", default: "http://127.0.0.1:11434/v1" },
              },
              required: ["name", "baseUrl"],
            },
            agent: { protocol: "OPENAI", url: "{{baseUrl}}", name: "{{name}}", provider: "Ollama", tags: ["ollama", "local"] },
          },
        },
      ],
    },
  ];
}

/** The demo publisher's organization, owner and context (created on the first run). */
async function publisherContext(db: Db): Promise<OrgContext> {
  const owner =
    (await db.user.findUnique({ where: { email: DEMO_PUBLISHER.ownerEmail }, select: { id: true, email: true, name: true } })) ??
    (await db.user.create({ data: { email: DEMO_PUBLISHER.ownerEmail, name: DEMO_PUBLISHER.displayName }, select: { id: true, email: true, name: true } }));
  let org = await db.organization.findUnique({ where: { slug: DEMO_PUBLISHER.orgSlug }, select: { id: true, name: true, slug: true } });
  if (!org) {
    org = await db.$transaction(async (tx) => {
      const created = await tx.organization.create({ data: { name: DEMO_PUBLISHER.orgName, slug: DEMO_PUBLISHER.orgSlug }, select: { id: true, name: true, slug: true } });
      await tx.membership.create({ data: { orgId: created.id, userId: owner.id, role: "OWNER" } });
      await recordAudit(tx, { orgId: created.id, actor: owner, action: "organization.created", targetType: "organization", targetId: created.id, after: { name: created.name, slug: created.slug } });
      return created;
    });
  }
  const membership = await db.membership.findFirst({ where: { orgId: org.id, userId: owner.id }, select: { id: true, role: true } });
  if (!membership) throw new Error(`The demo publisher organization "${org.slug}" exists but ${owner.email} is not its member`);
  return { db, user: owner, org, role: membership.role, membershipId: membership.id };
}

/**
 * Seeds the demo catalog. `pluginBaseUrl` is where the demo fleet serves plugin services (its
 * control API); `platformAdminEmail` (the demo admin) is made a platform admin so moderation and
 * verification can be tried. Returns how many listings were created.
 */
export async function ensureDemoMarketplace(db: Db, opts: { pluginBaseUrl: string; platformAdminEmail?: string }): Promise<{ created: number; published: number }> {
  const ctx = await publisherContext(db);
  let publisher = await db.publisher.findUnique({ where: { orgId: ctx.org.id }, select: { id: true, verified: true } });
  if (!publisher) {
    const created = await createPublisher({
      ctx,
      input: { slug: DEMO_PUBLISHER.slug, displayName: DEMO_PUBLISHER.displayName, description: "Templates, policy packs and plugins made by the HelixAgent team.", website: null },
    });
    publisher = { id: created.id, verified: created.verified };
  }
  const platformAdmin = opts.platformAdminEmail ? await db.user.findUnique({ where: { email: opts.platformAdminEmail }, select: { id: true, email: true, platformAdmin: true } }) : null;
  if (platformAdmin && !platformAdmin.platformAdmin) await db.user.update({ where: { id: platformAdmin.id }, data: { platformAdmin: true } });
  if (!publisher.verified) {
    // Verified by the platform admin when there is one (as a real verification would be).
    await setPublisherVerified({ db, admin: platformAdmin ?? { id: ctx.user.id, email: ctx.user.email }, publisherId: publisher.id, verified: true });
  }

  const listings = catalog(opts.pluginBaseUrl);
  const existing = await db.listing.findMany({ where: { slug: { in: listings.map((l) => l.slug) } }, select: { slug: true, publisherId: true, id: true, versions: { select: { version: true } } } });
  const bySlug = new Map(existing.map((l) => [l.slug, l]));
  const todo = listings.filter((l) => {
    const found = bySlug.get(l.slug);
    if (found && found.publisherId !== publisher.id) return false; // someone else took the slug: leave it
    return !found || l.versions.some((v) => !found.versions.some((f) => f.version === v.version));
  });
  if (todo.length === 0) return { created: 0, published: 0 };

  // A fresh key for this run: the private key lives only in this function.
  const keys = generateSigningKeyPair();
  await addPublisherKey({ ctx, input: { publicKey: keys.publicKey, label: `Demo seed ${new Date().toISOString().slice(0, 10)}` } });

  let created = 0;
  let published = 0;
  for (const listing of todo) {
    let id = bySlug.get(listing.slug)?.id;
    if (!id) {
      const made = await createListing({
        ctx,
        input: createListingInput.parse({
          kind: listing.kind,
          slug: listing.slug,
          name: listing.name,
          summary: listing.summary,
          readme: listing.readme,
          icon: listing.icon,
          categories: listing.categories,
          tags: listing.tags,
          license: "Apache-2.0",
          sourceUrl: null,
        }),
      });
      id = made.id;
      created++;
    }
    const have = new Set(bySlug.get(listing.slug)?.versions.map((v) => v.version) ?? []);
    for (const v of listing.versions) {
      if (have.has(v.version)) continue;
      const signature = signVersion({ privateKey: keys.privateKey, listing: listing.slug, version: v.version, manifest: v.manifest });
      await publishVersion({
        ctx,
        input: publishVersionInput.parse({ listingId: id, version: v.version, changelog: v.changelog, manifest: v.manifest, signature, signingKeyId: keys.keyId }),
      });
      published++;
    }
  }
  return { created, published };
}
