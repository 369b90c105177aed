/**
 * A synthetic marketplace catalog for the marketplace benchmark: listings whose names, summaries,
 * tags and categories are built from word lists the way real publishers name things ("Cobalt PII
 * Redactor", "HIPAA Baseline Policy Pack", "Ollama Local Endpoint"), so full-text and trigram search
 * see realistic text, not random strings. Deterministic (a seeded generator): two runs search the
 * same catalog.
 */
import { CATEGORY_SLUGS, type Category } from "@/server/marketplace/schema";
import type { ListingKind } from "@/server/marketplace/manifest";
import { rng } from "../analytics/generate";

const BRANDS = [
  "Aegis", "Beacon", "Cobalt", "Drift", "Ember", "Fathom", "Granite", "Harbor", "Ion", "Juniper", "Kestrel", "Lumen",
  "Meridian", "Nimbus", "Onyx", "Pylon", "Quartz", "Relay", "Sable", "Tundra", "Umbra", "Vector", "Willow", "Xenon",
  "Yarrow", "Zephyr", "Atlas", "Bastion", "Cipher", "Delta", "Echo", "Flint", "Glacier", "Helios", "Indigo", "Jasper",
  "Keystone", "Lattice", "Mosaic", "Nova", "Orbit", "Prism", "Quill", "Ridge", "Sentinel", "Torch", "Unity", "Vault",
  "Warden", "Summit", "Anchor", "Bolt", "Canopy", "Dune", "Falcon", "Garnet", "Horizon", "Iris", "Lynx", "Monarch",
];

/** What a listing is about: its display form and the tag it carries. */
const TOPICS: { name: string; tag: string; categories: Category[] }[] = [
  { name: "Keyword", tag: "keywords", categories: ["content-filtering", "security"] },
  { name: "PII", tag: "pii", categories: ["privacy", "security"] },
  { name: "Prompt Injection", tag: "prompt-injection", categories: ["security", "content-filtering"] },
  { name: "Toxicity", tag: "toxicity", categories: ["content-filtering"] },
  { name: "Secrets", tag: "secrets", categories: ["security", "privacy"] },
  { name: "Jailbreak", tag: "jailbreak", categories: ["security", "content-filtering"] },
  { name: "Profanity", tag: "profanity", categories: ["content-filtering"] },
  { name: "Language", tag: "language", categories: ["content-filtering", "developer-tools"] },
  { name: "Token Budget", tag: "tokens", categories: ["cost"] },
  { name: "Rate Limit", tag: "rate-limit", categories: ["cost", "routing"] },
  { name: "Spend", tag: "cost", categories: ["cost", "observability"] },
  { name: "Latency", tag: "latency", categories: ["routing", "observability"] },
  { name: "Audit", tag: "audit", categories: ["privacy", "observability"] },
  { name: "GDPR", tag: "gdpr", categories: ["privacy"] },
  { name: "HIPAA", tag: "hipaa", categories: ["privacy", "security"] },
  { name: "SOC 2", tag: "soc2", categories: ["privacy", "security"] },
  { name: "Data Residency", tag: "residency", categories: ["privacy", "routing"] },
  { name: "Redaction", tag: "redaction", categories: ["privacy"] },
  { name: "Sentiment", tag: "sentiment", categories: ["observability", "content-filtering"] },
  { name: "Translation", tag: "translation", categories: ["developer-tools"] },
  { name: "Response Cache", tag: "cache", categories: ["cost", "routing"] },
  { name: "Retry", tag: "retries", categories: ["routing"] },
  { name: "Failover", tag: "failover", categories: ["routing"] },
  { name: "Canary", tag: "canary", categories: ["routing", "developer-tools"] },
  { name: "Shadow Traffic", tag: "shadow", categories: ["routing", "developer-tools"] },
  { name: "JSON Schema", tag: "json", categories: ["developer-tools"] },
  { name: "Citation", tag: "citations", categories: ["content-filtering", "observability"] },
  { name: "Hallucination", tag: "hallucination", categories: ["observability", "content-filtering"] },
  { name: "Moderation", tag: "moderation", categories: ["content-filtering"] },
  { name: "Email Address", tag: "email", categories: ["privacy"] },
  { name: "Credit Card", tag: "pci", categories: ["privacy", "security"] },
  { name: "Watermark", tag: "watermark", categories: ["security"] },
  { name: "Tracing", tag: "tracing", categories: ["observability", "developer-tools"] },
  { name: "Metrics", tag: "metrics", categories: ["observability"] },
  { name: "Summary", tag: "summaries", categories: ["developer-tools"] },
  { name: "Intent", tag: "intent", categories: ["routing"] },
];

const PROVIDERS = ["OpenAI", "Anthropic", "Mistral", "Cohere", "Gemini", "Groq", "Together", "Fireworks", "Bedrock", "Azure OpenAI", "Ollama", "vLLM", "LM Studio", "llama.cpp", "DeepSeek", "Qwen"];
const LOCAL_PROVIDERS = new Set(["Ollama", "vLLM", "LM Studio", "llama.cpp"]);

const NOUNS: Record<ListingKind, string[]> = {
  GATEWAY_PLUGIN: ["Blocker", "Filter", "Guard", "Redactor", "Scanner", "Detector", "Enforcer", "Tracer", "Logger", "Rewriter", "Limiter", "Validator"],
  POLICY_PACK: ["Policy Pack", "Baseline", "Essentials", "Controls", "Ruleset", "Guardrails"],
  ROUTE_TEMPLATE: ["Router", "Failover Route", "Weighted Split", "Ensemble", "Priority Route", "Latency-first Route"],
  AGENT_TEMPLATE: ["Connector", "Endpoint", "Agent", "Adapter", "Bridge"],
};

const SUMMARIES: Record<ListingKind, ((topic: string, extra: string) => string)[]> = {
  GATEWAY_PLUGIN: [
    (t) => `Checks every request for ${t} problems and refuses it before any agent sees it.`,
    (t, x) => `A gateway plugin that finds ${t} content in prompts and answers and rewrites it, ${x}.`,
    (t) => `Scans streamed answers chunk by chunk for ${t} issues and stops the stream when it finds one.`,
    (t, x) => `Adds ${t} checks to your routes with a configurable time budget; fails open or closed, ${x}.`,
  ],
  POLICY_PACK: [
    (t) => `A bundle of policies for ${t}: deny, redact and label rules ready to install into an organization.`,
    (t, x) => `Ready-made ${t} policies mapped to compliance controls, ${x}.`,
    (t) => `Everything a compliance team needs to enforce ${t} rules on live gateway traffic.`,
  ],
  ROUTE_TEMPLATE: [
    (t) => `A route that balances ${t} against quality: latency-aware targets with a fallback.`,
    (t, x) => `Creates a route tuned for ${t}, with retries, timeouts and circuit breaking, ${x}.`,
    (t) => `Send each request to the agent best suited for ${t}, and fail over when it is down.`,
  ],
  AGENT_TEMPLATE: [
    (t) => `Registers a ${t} endpoint as an agent in two fields: base URL and API key.`,
    (t, x) => `Connect a ${t} model server to the gateway, ${x}.`,
    (t) => `An agent template for ${t}: protocol, credentials and tags filled in for you.`,
  ],
};

const EXTRAS = [
  "tested on streaming and JSON answers",
  "with per-route configuration",
  "built for regulated teams",
  "maintained weekly",
  "with a dashboard-friendly decision log",
  "open source under Apache-2.0",
  "tuned for low overhead",
  "with sensible defaults",
];

const GENERAL_TAGS = ["guardrail", "openai", "a2a", "mcp", "streaming", "eu", "enterprise", "lightweight", "self-hosted", "fast", "beta", "community"];

const PUBLISHER_WORDS = ["Labs", "Systems", "Security", "AI", "Works", "Cloud", "Data", "Networks", "Software", "Collective"];

const FIRST_NAMES = ["Ana", "Ben", "Chloe", "Dmitri", "Elif", "Farah", "Goran", "Hana", "Ivan", "Jonas", "Kemi", "Lena", "Marco", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tomás", "Uma", "Viktor", "Wen", "Yara", "Zoe"];
const LAST_NAMES = ["Almeida", "Brandt", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Horvat", "Ivanova", "Jansen", "Kowalski", "Lopes", "Müller", "Nakamura", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Novak"];

/** Review texts; a review takes one to three of them. */
export const REVIEW_SENTENCES = [
  "Installed it in five minutes and it just worked.",
  "Does exactly what the README says.",
  "The configuration form is clear and the defaults are sensible.",
  "Added almost no latency on our busiest route.",
  "We had a false positive now and then, but the publisher fixed it quickly.",
  "Fail-closed mode saved us during an incident.",
  "Would like more options for streaming answers.",
  "Documentation could be better, the examples are thin.",
  "Replaced a home-made proxy with this and never looked back.",
  "Works with our OpenAI and A2A agents alike.",
  "Upgrading between versions was painless; the changelog is honest.",
  "Too strict out of the box, we had to tune the keywords.",
  "Support answered within a day.",
  "It broke once after an upgrade and the publisher yanked the version the same day.",
  "Our auditors liked the decision log.",
  "Solid, boring, reliable: what you want from a gateway plugin.",
  "Not worth it for small teams, but great at scale.",
  "The policies mapped straight onto our SOC 2 controls.",
  "I wish it supported per-key configuration.",
  "Five stars, would install again.",
];

export interface CatalogListing {
  kind: ListingKind;
  slug: string;
  name: string;
  summary: string;
  categories: Category[];
  tags: string[];
  /** Index of the publisher (0 … publishers − 1). */
  publisher: number;
  installCount: number;
  publishedAt: Date;
  /** 1–3 release versions, oldest first. */
  versions: string[];
  /** Which README template (see seed.ts). */
  readme: number;
  license: string;
}

export interface CatalogPublisher {
  slug: string;
  displayName: string;
  verified: boolean;
}

export interface Catalog {
  publishers: CatalogPublisher[];
  listings: CatalogListing[];
  userNames: string[];
}

const KIND_SHARES: [ListingKind, number][] = [
  ["GATEWAY_PLUGIN", 0.4],
  ["POLICY_PACK", 0.2],
  ["ROUTE_TEMPLATE", 0.2],
  ["AGENT_TEMPLATE", 0.2],
];
const LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "MPL-2.0", "Proprietary"];

const slugify = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");

export function makeCatalog(opts: { listings: number; publishers: number; users: number; readmes: number; seed?: number }): Catalog {
  const r = rng(opts.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
  const publishers: CatalogPublisher[] = Array.from({ length: opts.publishers }, (_, i) => {
    const displayName = `${BRANDS[i % BRANDS.length]} ${PUBLISHER_WORDS[Math.floor(i / BRANDS.length) % PUBLISHER_WORDS.length]}${i >= BRANDS.length * PUBLISHER_WORDS.length ? ` ${i}` : ""}`;
    return { slug: `${slugify(displayName)}-${i}`, displayName, verified: r() < 0.15 };
  });
  const now = Date.now();
  const slugs = new Set<string>();
  const listings: CatalogListing[] = [];
  for (let i = 0; i < opts.listings; i++) {
    let u = r();
    const kind = KIND_SHARES.find(([, share]) => (u -= share) < 0)?.[0] ?? "GATEWAY_PLUGIN";
    const topic = pick(TOPICS);
    const provider = pick(PROVIDERS);
    const subject = kind === "AGENT_TEMPLATE" ? provider : topic.name;
    const name = `${pick(BRANDS)} ${subject} ${pick(NOUNS[kind])}`;
    let slug = slugify(name);
    if (slugs.has(slug)) slug = `${slug}-${i}`;
    slugs.add(slug);
    const categories = new Set<Category>(
      kind === "AGENT_TEMPLATE" ? [LOCAL_PROVIDERS.has(provider) ? "local-models" : "providers"] : kind === "ROUTE_TEMPLATE" ? ["routing"] : [topic.categories[0]!],
    );
    for (const extra of kind === "AGENT_TEMPLATE" || kind === "ROUTE_TEMPLATE" ? topic.categories : topic.categories.slice(1)) if (r() < 0.5) categories.add(extra);
    if (categories.size < 3 && r() < 0.1) categories.add(pick(CATEGORY_SLUGS));
    const tags = new Set<string>([kind === "AGENT_TEMPLATE" ? slugify(provider) : topic.tag]);
    const tagCount = 1 + Math.floor(r() * 5);
    while (tags.size < tagCount) tags.add(pick(GENERAL_TAGS));
    const versionCount = 1 + Math.floor(r() * 3);
    const major = r() < 0.7 ? 1 : 2 + Math.floor(r() * 3);
    // Installs are heavy-tailed: most listings have a few, a few have tens of thousands.
    const installCount = r() < 0.05 ? 0 : Math.floor(Math.exp(r() * r() * Math.log(50_000)));
    listings.push({
      kind,
      slug,
      name,
      summary: pick(SUMMARIES[kind])(subject.toLowerCase().replace("pii", "PII"), pick(EXTRAS)),
      categories: [...categories].slice(0, 3),
      tags: [...tags],
      publisher: Math.floor(r() * r() * opts.publishers),
      installCount,
      publishedAt: new Date(now - Math.floor(r() * 3 * 365 * 86_400_000)),
      versions: Array.from({ length: versionCount }, (_, v) => `${major}.${v}.${v === versionCount - 1 ? Math.floor(r() * 4) : 0}`),
      readme: Math.floor(r() * opts.readmes),
      license: pick(LICENSES),
    });
  }
  const userNames = Array.from({ length: opts.users }, () => `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`);
  return { publishers, listings, userNames };
}

/** README templates (Markdown) with the listing's name as {{NAME}}: sections, a table, code, links. */
export function readmeTemplates(): string[] {
  const base = (intro: string, table: string[][]) =>
    [
      "# {{NAME}}",
      "",
      intro,
      "",
      "## What it does",
      "",
      "- Runs at the hook points its manifest names, after the organization's policies.",
      "- Answers within its time budget; a slow or failing call follows the install's fail mode.",
      "- Records each decision in the request's telemetry, so analytics can show what it changed.",
      "",
      "## Configuration",
      "",
      "| field | what it does |",
      "| --- | --- |",
      ...table.map(([field, what]) => `| \`${field}\` | ${what} |`),
      "",
      "## Example",
      "",
      "```json",
      '{ "keywords": "project falcon, internal only", "message": "That project is confidential." }',
      "```",
      "",
      "## Support",
      "",
      "Open an issue on the [source repository](https://example.com/source) or write to support@example.com. Versions follow semver; breaking changes only in a major release, always with a changelog.",
      "",
    ].join("\n");
  return [
    base("Keeps unwanted content out of your agents' prompts and answers, with **no code changes** in your applications.", [
      ["keywords", "comma-separated words or phrases"],
      ["message", "what the client is told when a request is refused"],
    ]),
    base("Adds guardrails to every route of an organization, or only to the routes you choose. Designed for teams that need a paper trail.", [
      ["mode", "`enforce` or `monitor`"],
      ["threshold", "how sure the check must be before it acts (0–1)"],
      ["labels", "data labels that turn the check on"],
    ]),
    base("A template that creates what you would otherwise click together by hand, with the settings we use in production.", [
      ["baseUrl", "where the model server listens"],
      ["apiKey", "the credential, stored encrypted"],
      ["region", "where the agent runs, for data residency"],
      ["timeoutMs", "per-attempt timeout"],
    ]),
    base("Small, fast and boring on purpose: one job, done well, with a time budget of a few milliseconds.", [["enabled", "turn the check on or off without uninstalling"]]),
  ];
}
