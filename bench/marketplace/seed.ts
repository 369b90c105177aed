/**
 * Writes the marketplace benchmark's catalog in bulk: users, publisher organizations with one ed25519
 * key each, listings, 1–3 versions per listing and the reviews, each table with one or a few
 * INSERT … SELECT FROM unnest(…) statements (no row-by-row Prisma), then the listings' rating
 * figures from their reviews and ANALYZE, as autovacuum would do in time.
 *
 * Every version is really signed (node:crypto ed25519 over the canonical payload, as a publisher
 * would), although search never verifies signatures: ~20,000 signatures take a few seconds. Each
 * kind's manifest is checked once against the product's manifest schema, so no listing carries a
 * manifest the product would refuse. README HTML is rendered by the product's renderer, once per
 * template, with the listing's name filled in afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { normalizeIcon, renderReadme } from "@/server/marketplace/content";
import { listingSearchText } from "@/server/marketplace/common";
import { manifestSchema, type HookPoint, type ListingKind, type ManifestInput } from "@/server/marketplace/manifest";
import { generateSigningKeyPair, signVersion, type SigningKeyPair } from "@/server/marketplace/signing";
import { rng } from "../analytics/generate";
import { makeCatalog, readmeTemplates, REVIEW_SENTENCES, type Catalog, type CatalogListing } from "./catalog";

export const MARKETPLACE_DATA = {
  listings: 10_000,
  reviews: 100_000,
  users: 2_000,
  publishers: 200,
  /** The listing whose page is measured gets a review from every user. */
  hotListingReviews: 2_000,
};

export interface SeededMarketplace {
  catalog: Catalog;
  listings: number;
  versions: number;
  reviews: number;
  users: number;
  publishers: number;
  verifiedPublishers: number;
  byKind: Record<ListingKind, number>;
  /** The most reviewed listing (its page is measured), and a typical one. */
  hot: { slug: string; name: string; reviews: number };
  typical: { slug: string; name: string; reviews: number };
  seconds: { total: number; signing: number };
  tableMiB: number;
}

const id = () => `c${randomBytes(12).toString("hex")}`;

/** Listing icons: small SVGs in a few colours, as data: URLs made by the product's icon check. */
const ICON_COLORS = ["#dc2626", "#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4f46e5", "#be123c"];
const icons = () =>
  ICON_COLORS.map((color, i) =>
    normalizeIcon(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${color}"/><circle cx="32" cy="32" r="${10 + i}" stroke="#fff" stroke-width="6" fill="none"/></svg>`)!,
  );

/** A gateway plugin manifest shaped like the demo keyword blocker's (also what the plugins benchmark installs). */
export function keywordBlockerManifest(opts: { serviceUrl: string; hooks: HookPoint[]; timeoutMs: number; failMode: "open" | "closed" }) {
  return {
    kind: "GATEWAY_PLUGIN" as const,
    ...opts,
    configSchema: {
      type: "object" as const,
      properties: {
        keywords: { type: "string" as const, title: "Blocked keywords" },
        message: { type: "string" as const, title: "Message to the client", maxLength: 300 },
      },
      required: ["keywords"],
    },
  };
}

/** One valid manifest per kind; plugins get their own service URL. */
function manifestFor(kind: ListingKind, slug: string, variant: number): ManifestInput {
  switch (kind) {
    case "GATEWAY_PLUGIN":
      return keywordBlockerManifest({
        serviceUrl: `https://plugins.example.com/${slug}`,
        hooks: variant % 3 === 0 ? ["before_request", "after_response"] : ["before_request"],
        timeoutMs: 500,
        failMode: variant % 2 ? "open" : "closed",
      });
    case "POLICY_PACK":
      return {
        kind,
        policies: [
          { name: "Mask PII", condition: "true", effect: "REDACT", params: { kinds: ["EMAIL", "PHONE", "CARD"], direction: "BOTH" } },
          { name: "Watch for card numbers", mode: "MONITOR", condition: '"CARD" in request.pii', effect: "DENY", params: { message: "Card numbers may not be sent to agents" } },
        ],
      };
    case "ROUTE_TEMPLATE":
      return {
        kind,
        configSchema: {
          type: "object",
          properties: { alias: { type: "string", title: "Model alias" }, primaryAgent: { type: "string", title: "First agent" }, secondaryAgent: { type: "string", title: "Second agent" } },
          required: ["alias", "primaryAgent", "secondaryAgent"],
        },
        route: { name: "{{alias}}", slug: "{{alias}}", alias: "{{alias}}", strategy: "LATENCY", maxRetries: 2, targets: [{ agent: "{{primaryAgent}}" }, { agent: "{{secondaryAgent}}" }] },
      };
    case "AGENT_TEMPLATE":
      return {
        kind,
        configSchema: {
          type: "object",
          properties: { name: { type: "string", title: "Agent name" }, baseUrl: { type: "string", title: "Base URL" }, apiKey: { type: "string", title: "API key", secret: true } },
          required: ["name", "baseUrl"],
        },
        agent: { protocol: "OPENAI", url: "{{baseUrl}}", name: "{{name}}", tags: ["openai-compatible"], credential: { kind: "BEARER", secretField: "apiKey" } },
      };
  }
}

/** How many reviews each listing gets: the hot one every user, the rest by popularity, 100,000 in all. */
function reviewCounts(listings: CatalogListing[], hot: number): number[] {
  const { reviews, users, hotListingReviews } = MARKETPLACE_DATA;
  const weights = listings.map((l, i) => (i === hot ? 0 : Math.pow(l.installCount + 1, 0.7)));
  const total = weights.reduce((a, b) => a + b, 0);
  const rest = reviews - hotListingReviews;
  const counts = weights.map((w) => Math.min(users - 1, Math.floor((w / total) * rest)));
  counts[hot] = hotListingReviews;
  // Hand the rounding remainder to the listings with the most room, one each.
  let missing = reviews - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; missing > 0; i = (i + 1) % listings.length) {
    if (i !== hot && counts[i]! < users - 1) {
      counts[i]!++;
      missing--;
    }
  }
  return counts;
}

export async function seedMarketplace(databaseUrl: string, log: (message: string) => void): Promise<SeededMarketplace> {
  const started = performance.now();
  const d = MARKETPLACE_DATA;
  const templates = readmeTemplates();
  const catalog = makeCatalog({ listings: d.listings, publishers: d.publishers, users: d.users, readmes: templates.length });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Users (reviewers).
    const userIds = catalog.userNames.map(() => id());
    await client.query(
      `INSERT INTO "User" (id, name, email, "createdAt", "updatedAt")
       SELECT u.id, u.name, 'reviewer-' || u.n || '@bench.helix.test', now(), now()
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(id, name, n)`,
      [userIds, catalog.userNames],
    );

    // Publishers: an organization each, one signing key each.
    const keys: SigningKeyPair[] = catalog.publishers.map(() => generateSigningKeyPair());
    const orgIds = catalog.publishers.map(() => id());
    const publisherIds = catalog.publishers.map(() => id());
    await client.query(
      `INSERT INTO "Organization" (id, name, slug, "createdAt", "updatedAt")
       SELECT o.id, o.name, 'publisher-' || o.slug, now(), now() FROM unnest($1::text[], $2::text[], $3::text[]) AS o(id, name, slug)`,
      [orgIds, catalog.publishers.map((p) => p.displayName), catalog.publishers.map((p) => p.slug)],
    );
    await client.query(
      `INSERT INTO "Publisher" (id, "orgId", slug, "displayName", description, verified, "verifiedAt", "createdAt", "updatedAt")
       SELECT p.id, p.org, p.slug, p.name, 'Publisher of gateway plugins, policy packs and templates.', p.verified, CASE WHEN p.verified THEN now() END, now(), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[]) AS p(id, org, slug, name, verified)`,
      [publisherIds, orgIds, catalog.publishers.map((p) => p.slug), catalog.publishers.map((p) => p.displayName), catalog.publishers.map((p) => p.verified)],
    );
    await client.query(
      `INSERT INTO "PublisherKey" (id, "publisherId", "keyId", "publicKey", label, "createdAt")
       SELECT k.id, k.publisher, k.key_id, k.public_key, 'release key', now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(id, publisher, key_id, public_key)`,
      [keys.map(() => id()), publisherIds, keys.map((k) => k.keyId), keys.map((k) => k.publicKey)],
    );

    // Listings: README HTML rendered once per template, the name filled in by SQL.
    const rendered = templates.map((t) => renderReadme(t));
    if (rendered.some((html, i) => !html.includes("{{NAME}}") && templates[i]!.includes("{{NAME}}"))) throw new Error("the README renderer changed the {{NAME}} placeholder");
    const listingIds = catalog.listings.map(() => id());
    const L = catalog.listings;
    const searchText = L.map((l) =>
      listingSearchText({ name: l.name, summary: l.summary, tags: l.tags, categories: l.categories, kind: l.kind, publisherName: catalog.publishers[l.publisher]!.displayName }),
    );
    const iconUrls = icons();
    await client.query(
      `INSERT INTO "Listing" (id, "publisherId", kind, slug, name, summary, readme, "readmeHtml", icon, categories, tags, license, "sourceUrl",
                              "installCount", "latestVersion", "publishedAt", "searchText", "createdAt", "updatedAt")
       SELECT l.id, l.publisher, l.kind::"ListingKind", l.slug, l.name, l.summary,
              replace(($14::text[])[l.readme + 1], '{{NAME}}', l.name), replace(($15::text[])[l.readme + 1], '{{NAME}}', l.name),
              ($17::text[])[l.installs % $18::int + 1],
              string_to_array(l.categories, ','), string_to_array(l.tags, ','), l.license, 'https://example.com/source/' || l.slug,
              l.installs, l.latest, l.published, l.search, l.published, l.published
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[],
                   $11::int[], $12::text[], $13::timestamptz[], $16::text[])
            AS l(id, publisher, kind, slug, name, summary, readme, categories, tags, license, installs, latest, published, search)`,
      [
        listingIds,
        L.map((l) => publisherIds[l.publisher]!),
        L.map((l) => l.kind),
        L.map((l) => l.slug),
        L.map((l) => l.name),
        L.map((l) => l.summary),
        L.map((l) => l.readme),
        L.map((l) => l.categories.join(",")),
        L.map((l) => l.tags.join(",")),
        L.map((l) => l.license),
        L.map((l) => l.installCount),
        L.map((l) => l.versions.at(-1)!),
        L.map((l) => l.publishedAt),
        templates,
        rendered,
        searchText,
        iconUrls,
        iconUrls.length,
      ],
    );

    // Versions, each signed with its publisher's key.
    const checked = new Set<ListingKind>();
    const signingStarted = performance.now();
    const v: { id: string[]; listing: string[]; version: string[]; major: number[]; minor: number[]; patch: number[]; changelog: string[]; manifest: string[]; signature: string[]; keyId: string[]; at: Date[] } = {
      id: [], listing: [], version: [], major: [], minor: [], patch: [], changelog: [], manifest: [], signature: [], keyId: [], at: [],
    };
    L.forEach((l, i) => {
      const key = keys[l.publisher]!;
      l.versions.forEach((version, n) => {
        const manifest = manifestFor(l.kind, l.slug, i + n);
        if (!checked.has(l.kind)) {
          const parsed = manifestSchema.safeParse(manifest);
          if (!parsed.success) throw new Error(`the benchmark's ${l.kind} manifest is invalid: ${parsed.error.issues[0]?.message}`);
          checked.add(l.kind);
        }
        const [major, minor, patch] = version.split(".").map(Number) as [number, number, number];
        v.id.push(id());
        v.listing.push(listingIds[i]!);
        v.version.push(version);
        v.major.push(major);
        v.minor.push(minor);
        v.patch.push(patch);
        v.changelog.push(n === 0 ? "First release." : `Fixes and improvements in ${version}.`);
        v.manifest.push(JSON.stringify(manifest));
        v.signature.push(signVersion({ privateKey: key.privateKey, listing: l.slug, version, manifest }));
        v.keyId.push(key.keyId);
        v.at.push(new Date(l.publishedAt.getTime() + n * 30 * 86_400_000));
      });
    });
    const signingSeconds = (performance.now() - signingStarted) / 1000;
    log(`signed ${v.id.length} versions in ${signingSeconds.toFixed(1)} s`);
    const batch = 5_000;
    for (let s = 0; s < v.id.length; s += batch) {
      const part = <T>(a: T[]) => a.slice(s, s + batch);
      await client.query(
        `INSERT INTO "ListingVersion" (id, "listingId", version, major, minor, patch, changelog, manifest, signature, "keyId", "publishedAt")
         SELECT v.id, v.listing, v.version, v.major, v.minor, v.patch, v.changelog, v.manifest::jsonb, v.signature, v.key_id, v.at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
              AS v(id, listing, version, major, minor, patch, changelog, manifest, signature, key_id, at)`,
        [part(v.id), part(v.listing), part(v.version), part(v.major), part(v.minor), part(v.patch), part(v.changelog), part(v.manifest), part(v.signature), part(v.keyId), part(v.at)],
      );
    }

    // Reviews: listing i gets counts[i] reviews from distinct users (consecutive from a random start,
    // wrapping), ratings around a per-listing quality, dates after the listing was published.
    const hot = L.reduce((best, l, i) => (l.installCount > L[best]!.installCount ? i : best), 0);
    const counts = reviewCounts(L, hot);
    const r = rng(11);
    const quality = L.map(() => 2.2 + r() * 2.6);
    const offsets = L.map(() => Math.floor(r() * d.users));
    await client.query("SELECT setseed(0.42)");
    await client.query(
      `INSERT INTO "Review" (id, "listingId", "userId", rating, body, "createdAt", "updatedAt")
       SELECT 'crv' || l.n || 'x' || k, l.id, ($5::text[])[((l.off + k) % $6::int) + 1],
              greatest(1, least(5, round(l.quality + (random() - 0.5) * 2.5)))::int,
              ($7::text[])[1 + floor(random() * $8::int)::int] || CASE WHEN random() < 0.5 THEN ' ' || ($7::text[])[1 + floor(random() * $8::int)::int] ELSE '' END,
              l.published + (now() - l.published) * random(), now()
       FROM unnest($1::text[], $2::int[], $3::int[], $4::float8[], $9::timestamptz[]) WITH ORDINALITY AS l(id, n_reviews, off, quality, published, n),
            generate_series(0, l.n_reviews - 1) AS k`,
      [listingIds, counts, offsets, quality, userIds, d.users, REVIEW_SENTENCES, REVIEW_SENTENCES.length, L.map((l) => l.publishedAt)],
    );
    await client.query(`
      UPDATE "Listing" l SET "ratingAvg" = r.avg, "ratingCount" = r.count
      FROM (SELECT "listingId", avg(rating)::float8 AS avg, count(*)::int AS count FROM "Review" WHERE NOT hidden GROUP BY "listingId") r
      WHERE l.id = r."listingId"`);
    for (const table of ["User", "Organization", "Publisher", "PublisherKey", "Listing", "ListingVersion", "Review"]) await client.query(`ANALYZE "${table}"`);

    const [{ rows: sizes }, { rows: kinds }, { rows: totals }] = await Promise.all([
      client.query<{ bytes: string }>(`SELECT sum(pg_total_relation_size(c))::int8 AS bytes FROM unnest(ARRAY['"Listing"', '"ListingVersion"', '"Review"']::regclass[]) AS c`),
      client.query<{ kind: ListingKind; count: number }>(`SELECT kind, count(*)::int AS count FROM "Listing" GROUP BY kind`),
      client.query<{ listings: number; versions: number; reviews: number }>(
        `SELECT (SELECT count(*) FROM "Listing")::int AS listings, (SELECT count(*) FROM "ListingVersion")::int AS versions, (SELECT count(*) FROM "Review")::int AS reviews`,
      ),
    ]);
    const found = counts.findIndex((c, i) => i !== hot && c >= 8 && c <= 15);
    const typical = found >= 0 ? found : (hot + 1) % L.length;
    return {
      catalog,
      listings: totals[0]!.listings,
      versions: totals[0]!.versions,
      reviews: totals[0]!.reviews,
      users: d.users,
      publishers: d.publishers,
      verifiedPublishers: catalog.publishers.filter((p) => p.verified).length,
      byKind: Object.fromEntries(kinds.map((k) => [k.kind, k.count])) as Record<ListingKind, number>,
      hot: { slug: L[hot]!.slug, name: L[hot]!.name, reviews: counts[hot]! },
      typical: { slug: L[typical]!.slug, name: L[typical]!.name, reviews: counts[typical]! },
      seconds: { total: (performance.now() - started) / 1000, signing: signingSeconds },
      tableMiB: Number(sizes[0]?.bytes ?? 0) / 2 ** 20,
    };
  } finally {
    await client.end();
  }
}
