import { db } from "@/server/db";
import { generateSigningKeyPair, signVersion } from "@/server/marketplace/signing";
import {
  auditEventsOf,
  callerFor,
  createMember,
  createOrg,
  createUser,
  rand,
  uniqueSlug,
  type TestMembership,
  type TestOrg,
  type TestUser,
} from "./fixtures";

/** One organization with something of every kind in it: the unit of the cross-tenant suite. */
export interface Tenant {
  org: TestOrg;
  owner: TestUser;
  /** A non-owner member (EDITOR). */
  member: { user: TestUser; membership: TestMembership };
  /** A pending invitation; `token` is the secret from its link. */
  invitation: { id: string; token: string; email: string };
  auditEventIds: string[];
  /** A registered agent with one skill (written directly: no network in this fixture). */
  agent: { id: string };
  /** A route targeting that agent, and an API key scoped to it. */
  route: { id: string };
  apiKey: { id: string };
  /** An alert rule on the route, a webhook, and an open alert of the rule (written directly). */
  alertRule: { id: string };
  webhook: { id: string };
  alert: { id: string };
  /** A completed data-subject export (written directly, so no worker picks it up). */
  dataSubjectRequest: { id: string };
  /** An organization-defined PII pattern. */
  piiPattern: { id: string };
  /** A monitor-mode policy scoped to the route. */
  policy: { id: string };
  /** The organization as a marketplace publisher, with one signing key. */
  publisher: { id: string };
  signingKeyId: string;
  /** A published gateway-plugin listing, its version 1.0.0, and a review of it by an outsider. */
  listing: { id: string; slug: string };
  listingVersion: { id: string; version: string };
  review: { id: string };
  /** Its own listing installed into the organization (a gateway plugin on every route). */
  install: { id: string };
}

/** Builds a tenant through the real API as its owner: org, member, a rename, a pending invitation. */
export async function buildTenant(label: string): Promise<Tenant> {
  const owner = await createUser();
  const org = await createOrg({ owner, slug: uniqueSlug(label) });
  const member = await createMember(org, "EDITOR");
  const caller = callerFor(owner);
  await caller.org.update({ orgSlug: org.slug, name: `${label} ${rand(3)}` });
  const created = await caller.invitation.create({ orgSlug: org.slug, email: `inv-${rand()}@test.helix`, role: "VIEWER" });
  const token = created.url.split("/invite/")[1]!;
  const agent = await db().agent.create({
    data: {
      orgId: org.id,
      name: `Agent ${label}`,
      slug: `agent-${label}`,
      protocol: "OPENAI",
      sourceUrl: "http://127.0.0.1:9/v1",
      endpointUrl: "http://127.0.0.1:9/v1",
      searchText: `agent ${label}`,
      skills: { create: { orgId: org.id, kind: "MODEL", key: "probe-model", name: "probe-model", searchText: "probe-model" } },
    },
    select: { id: true },
  });
  const route = await caller.route.create({
    orgSlug: org.slug,
    name: `Route ${label}`,
    slug: `route-${label}`,
    alias: `alias-${label}`,
    targets: [{ agentId: agent.id }],
  });
  const apiKey = (await caller.apiKey.create({ orgSlug: org.slug, name: `Key ${label}`, routeIds: [route.id] })).key;
  const webhook = (await caller.alert.webhook.create({ orgSlug: org.slug, name: `Hook ${label}`, url: "http://127.0.0.1:9/hook" })).webhook;
  const alertRule = await caller.alert.rule.create({ orgSlug: org.slug, name: `Rule ${label}`, kind: "ANOMALY", metric: "p95", routeId: route.id, webhookIds: [webhook.id] });
  const alert = await db().alert.create({
    data: { orgId: org.id, ruleId: alertRule.id, fingerprint: `${alertRule.id}:probe`, severity: "MEDIUM", summary: `Probe alert ${label}` },
    select: { id: true },
  });
  const dataSubjectRequest = await db().dataSubjectRequest.create({
    data: { orgId: org.id, subject: `subject-${label}`, kind: "EXPORT", status: "COMPLETED", completedAt: new Date() },
    select: { id: true },
  });
  const piiPattern = await caller.piiPattern.create({ orgSlug: org.slug, name: `EMPLOYEE_ID_${label.toUpperCase()}`, pattern: "EMP-[0-9]{6}" });
  const policy = await caller.policy.create({
    orgSlug: org.slug,
    name: `Policy ${label}`,
    scope: "ROUTE",
    scopeId: route.id,
    mode: "MONITOR",
    condition: '"PII" in request.labels',
    effect: "DENY",
  });
  const keys = generateSigningKeyPair();
  const publisher = await caller.marketplace.publisher.create({ orgSlug: org.slug, slug: uniqueSlug(`pub-${label}`), displayName: `Publisher ${label}` });
  await caller.marketplace.publisher.addKey({ orgSlug: org.slug, publicKey: keys.publicKey });
  const listing = await caller.marketplace.listing.create({
    orgSlug: org.slug,
    kind: "GATEWAY_PLUGIN",
    slug: uniqueSlug(`listing-${label}`),
    name: `Plugin ${label}`,
    summary: `A probe plugin of tenant ${label}`,
    categories: ["security"],
  });
  const manifest = { kind: "GATEWAY_PLUGIN", serviceUrl: "http://127.0.0.1:9/hook", hooks: ["before_request"] };
  const listingVersion = await caller.marketplace.version.publish({
    orgSlug: org.slug,
    listingId: listing.id,
    version: "1.0.0",
    manifest,
    signature: signVersion({ privateKey: keys.privateKey, listing: listing.slug, version: "1.0.0", manifest }),
    signingKeyId: keys.keyId,
  });
  const review = await callerFor(await createUser()).marketplace.review.upsert({ listingId: listing.id, rating: 4, body: `Review of ${label}` });
  const install = await caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: listing.slug });
  const auditEventIds = (await auditEventsOf(org.id)).map((e) => e.id);
  return {
    org: { ...org, name: (await caller.org.get({ orgSlug: org.slug })).name },
    owner,
    member,
    invitation: { id: created.invitation.id, token, email: created.invitation.email },
    auditEventIds,
    agent,
    route: { id: route.id },
    apiKey: { id: apiKey.id },
    alertRule: { id: alertRule.id },
    webhook: { id: webhook.id },
    alert,
    dataSubjectRequest,
    piiPattern: { id: piiPattern.id },
    policy: { id: policy.id },
    publisher: { id: publisher.id },
    signingKeyId: keys.keyId,
    listing: { id: listing.id, slug: listing.slug },
    listingVersion: { id: listingVersion.id, version: listingVersion.version },
    review: { id: review.id },
    install: { id: install.id },
  };
}
