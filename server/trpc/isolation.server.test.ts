import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TRPCError, type AnyRouter } from "@trpc/server";
import { idSchema } from "@/server/orgs/schema";
import { db } from "@/server/db";
import { authedProcedure, orgProcedure, router } from "@/server/trpc/init";
import { appRouter } from "@/server/trpc/root";
import { callerFor, createUser, expectOrgUnchanged, expectTRPCError, rand, snapshotOrg, uniqueSlug } from "@/server/test/fixtures";
import { checkTenantIsolation, isTenantScoped } from "@/server/test/isolation";
import { listProcedures, procedureOnCaller, walkRecordPaths, type ProcedureInfo } from "@/server/test/procedures";
import { deriveInput, describeInput, InputDerivationError, type FieldValues } from "@/server/test/sample-input";
import { buildTenant, type Tenant } from "@/server/test/tenant";

// Tenant isolation, for EVERY procedure of appRouter, found by enumerating the router: a new
// procedure is covered the day it is added, or this suite fails and says what to do.

const REGISTRY_HINT = "ID_REGISTRY or SAMPLE_REGISTRY in server/trpc/isolation.server.test.ts";

/** Input fields that name a tenant's objects → that object in a tenant. */
const ID_REGISTRY: Record<string, (t: Tenant) => string> = {
  memberId: (t) => t.member.membership.id, // a non-owner membership
  invitationId: (t) => t.invitation.id,
  cursor: (t) => t.auditEventIds[0]!, // audit.list pages by audit event id
  agentId: (t) => t.agent.id,
  routeId: (t) => t.route.id,
  apiKeyId: (t) => t.apiKey.id,
  keyId: (t) => t.apiKey.id, // analytics filters name an API key "keyId"
  ruleId: (t) => t.alertRule.id,
  alertId: (t) => t.alert.id,
  webhookId: (t) => t.webhook.id,
  requestId: (t) => t.dataSubjectRequest.id, // data-subject requests
  patternId: (t) => t.piiPattern.id, // organization PII patterns
  policyId: (t) => t.policy.id,
  scopeId: (t) => t.route.id, // a policy's scope: the route (see `scope` below)
  publisherId: (t) => t.publisher.id,
  listingId: (t) => t.listing.id,
  versionId: (t) => t.listingVersion.id,
  reviewId: (t) => t.review.id,
  signingKeyId: (t) => t.signingKeyId, // a publisher key's fingerprint
  installId: (t) => t.install.id, // a listing installed into the organization
};

/** Fields whose valid values a schema cannot describe well enough to sample. */
const SAMPLE_REGISTRY: Record<string, (t: Tenant) => unknown> = {
  email: () => `probe-${rand()}@test.helix`,
  token: (t) => t.invitation.token,
  slug: () => uniqueSlug("probe"),
  // Refused before any request is made (wrong organization), so the address is never contacted.
  url: () => "http://127.0.0.1:9/v1",
  // org.update and agent.update take only optional fields; a name makes the input a real change.
  name: () => `Probe ${rand(3)}`,
  alias: () => `probe-${rand(3)}`,
  // Route configurations need a target; the tenant's own agent (refused before use elsewhere).
  targets: (t) => [{ agentId: t.agent.id, weight: 100, priority: 0 }],
  // Analytics ranges (dates have no JSON schema to sample from): the last hour.
  from: () => new Date(Date.now() - 3_600_000),
  to: () => new Date(),
  // A policy naming a scope id must say which kind of object it is.
  scope: () => "ROUTE",
  // Marketplace: the tenant's published listing and version, and a manifest that is valid (its
  // signature is not: publishing is refused before or at the signature check).
  listingSlug: (t) => t.listing.slug,
  version: (t) => t.listingVersion.version,
  manifest: () => ({ kind: "GATEWAY_PLUGIN", serviceUrl: "http://127.0.0.1:9/hook", hooks: ["before_request"] }),
};

function valuesFor(org: Tenant, idsOf: Tenant): FieldValues {
  return {
    orgSlug: org.org.slug,
    ids: Object.fromEntries(Object.entries(ID_REGISTRY).map(([name, pick]) => [name, pick(idsOf)])),
    samples: Object.fromEntries(Object.entries(SAMPLE_REGISTRY).map(([name, make]) => [name, () => make(idsOf)])),
    registryHint: REGISTRY_HINT,
  };
}

interface World {
  a: Tenant;
  b: Tenant;
}

const buildWorld = async (): Promise<World> => ({ a: await buildTenant("a"), b: await buildTenant("b") });

/** The tenant's private identifiers, which public marketplace answers must never contain. */
const privateIdsOf = (t: Tenant) => [t.org.id, t.org.slug, t.owner.id, t.owner.email, t.member.user.email, t.member.membership.id];

const expectNoPrivateIds = (value: unknown, t: Tenant) => {
  const text = JSON.stringify(value);
  for (const id of privateIdsOf(t)) expect(text).not.toContain(id);
};

/**
 * Procedures that take neither an orgSlug nor object ids, so the automatic check has nothing to
 * point at another tenant. Each says why it is safe and checks what can be checked.
 */
const NOT_TENANT_SCOPED: Record<string, { reason: string; check: (w: World) => Promise<void> }> = {
  "me.get": {
    reason: "takes no input and returns the caller's own user",
    check: async ({ a, b }) => {
      const me = await expectOrgUnchanged(a.org, () => callerFor(b.owner).me.get());
      expect(me).toEqual({ id: b.owner.id, email: b.owner.email, name: b.owner.name });
    },
  },
  "org.list": {
    reason: "takes no input and lists the caller's own memberships",
    check: async ({ a, b }) => {
      const orgs = await expectOrgUnchanged(a.org, () => callerFor(b.owner).org.list());
      expect(orgs.map((o) => o.id)).toEqual([b.org.id]);
      expect(JSON.stringify(orgs)).not.toContain(a.org.slug);
    },
  },
  "org.create": {
    reason: "creates a new organization owned by the caller; names no existing one",
    check: async ({ a, b }) => {
      await expectOrgUnchanged(a.org, () =>
        expectTRPCError(callerFor(b.owner).org.create({ name: "Takeover", slug: a.org.slug }), "CONFLICT"),
      );
      const made = await expectOrgUnchanged(a.org, () => callerFor(b.owner).org.create({ name: "Own org", slug: uniqueSlug("own") }));
      expect(made.id).not.toBe(a.org.id);
    },
  },
  "invitation.preview": {
    reason: "public: the invitation link's token is the credential, and the preview shows no ids",
    check: async ({ a }) => {
      const preview = await expectOrgUnchanged(a.org, () => callerFor(null).invitation.preview({ token: a.invitation.token }));
      expect(Object.keys(preview).sort()).toEqual(["email", "expiresAt", "invitedBy", "orgName", "role", "status"]);
      const text = JSON.stringify(preview);
      for (const id of [a.org.id, a.org.slug, a.invitation.id, a.owner.id, a.member.membership.id]) expect(text).not.toContain(id);
    },
  },
  "invitation.accept": {
    reason: "the token is the credential and only the invited address may use it",
    check: async ({ a, b }) => {
      await expectOrgUnchanged(a.org, () =>
        expectTRPCError(callerFor(b.owner).invitation.accept({ token: a.invitation.token }), "FORBIDDEN", a.invitation.email),
      );
    },
  },
  "marketplace.search": {
    reason: "public: the marketplace lists every organization's published listings to anyone, and shows no organization data",
    check: async ({ a, b }) => {
      const found = await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.search({ q: `Plugin a`, pageSize: 50 }));
      expectNoPrivateIds(found, a);
    },
  },
  "marketplace.categories": {
    reason: "public: category names and counts",
    check: async ({ a, b }) => {
      const categories = await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.categories());
      expect(categories.length).toBeGreaterThan(0);
    },
  },
  "marketplace.me": {
    reason: "takes no input and says what the caller may do (platform admin or not)",
    check: async ({ a, b }) => {
      expect(await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.me())).toEqual({ platformAdmin: false });
    },
  },
  "marketplace.listing.get": {
    reason: "public: a published listing's page, by its public slug; no organization data",
    check: async ({ a, b }) => {
      const listing = await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.listing.get({ listingSlug: a.listing.slug }));
      expect(listing.id).toBe(a.listing.id);
      expect(listing.myReview).toBeNull();
      expectNoPrivateIds(listing, a);
    },
  },
  "marketplace.version.get": {
    reason: "public: a published version's signed manifest, by the listing's public slug",
    check: async ({ a, b }) => {
      const version = await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.version.get({ listingSlug: a.listing.slug }));
      expect(version.version).toBe(a.listingVersion.version);
      expectNoPrivateIds(version, a);
    },
  },
  "marketplace.review.list": {
    reason: "public: a published listing's reviews, with reviewers' display names only",
    check: async ({ a, b }) => {
      const page = await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.review.list({ listingSlug: a.listing.slug }));
      expect(page.items.map((r) => r.id)).toEqual([a.review.id]);
      expect(JSON.stringify(page)).not.toMatch(/@test\.helix/);
    },
  },
  "marketplace.review.replyAs": {
    reason: "names only an organization where the caller is an Admin or above and which publishes the listing; anyone else gets null",
    check: async ({ a, b }) => {
      expect(await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.review.replyAs({ listingSlug: a.listing.slug }))).toBeNull();
      expect(await callerFor(a.member.user).marketplace.review.replyAs({ listingSlug: a.listing.slug })).toBeNull();
      expect(await callerFor(a.owner).marketplace.review.replyAs({ listingSlug: a.listing.slug })).toEqual({ orgSlug: a.org.slug, orgName: a.org.name });
    },
  },
  "marketplace.admin.reports": {
    reason: "platform admins only (moderation across the marketplace); an organization's owner is FORBIDDEN",
    check: async ({ a, b }) => {
      await expectOrgUnchanged(a.org, () => expectTRPCError(callerFor(b.owner).marketplace.admin.reports({}), "FORBIDDEN"));
    },
  },
  "marketplace.admin.publishers": {
    reason: "platform admins only (every publisher, to verify them); an organization's owner is FORBIDDEN, and admins see no organization data",
    check: async ({ a, b }) => {
      await expectOrgUnchanged(a.org, () => expectTRPCError(callerFor(b.owner).marketplace.admin.publishers({ q: a.publisher.id }), "FORBIDDEN"));
      const admin = await createUser();
      await db().user.update({ where: { id: admin.id }, data: { platformAdmin: true } });
      const page = await expectOrgUnchanged(a.org, () => callerFor(admin).marketplace.admin.publishers({ q: `Publisher a` }));
      expect(page.items.map((p) => p.id)).toContain(a.publisher.id);
      expectNoPrivateIds(page, a);
    },
  },
};

/**
 * Procedures that take ids of platform-wide marketplace objects (published listings and their
 * reviews, publishers) without an organization: by design they reach across organizations, so the
 * automatic check does not apply. Each says why it is safe and checks it.
 */
const PLATFORM_WIDE: Record<string, { reason: string; check: (w: World) => Promise<void> }> = {
  "marketplace.review.upsert": {
    reason: "any signed-in user reviews any published listing; it writes only the caller's own review (and the listing's rating)",
    check: async ({ a, b }) => {
      const before = await db().review.findUniqueOrThrow({ where: { id: a.review.id } });
      const mine = await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.review.upsert({ listingId: a.listing.id, rating: 2, body: "From another organization" }));
      expect(mine.id).not.toBe(a.review.id);
      expect(await db().review.findUniqueOrThrow({ where: { id: a.review.id } })).toEqual(before);
      expect((await db().review.findUniqueOrThrow({ where: { id: mine.id } })).userId).toBe(b.owner.id);
    },
  },
  "marketplace.review.report": {
    reason: "any signed-in user may report any visible review; a report changes no review and no organization data",
    check: async ({ a, b }) => {
      const before = await db().review.findUniqueOrThrow({ where: { id: a.review.id } });
      await expectOrgUnchanged(a.org, () => callerFor(b.owner).marketplace.review.report({ reviewId: a.review.id, reason: "Probe report" }));
      expect(await db().review.findUniqueOrThrow({ where: { id: a.review.id } })).toEqual(before);
    },
  },
  "marketplace.admin.setVerified": {
    reason: "platform admins verify any publisher; an organization's owner is FORBIDDEN",
    check: async ({ a, b }) => {
      await expectOrgUnchanged(a.org, () => expectTRPCError(callerFor(b.owner).marketplace.admin.setVerified({ publisherId: a.publisher.id, verified: true }), "FORBIDDEN"));
    },
  },
  "marketplace.admin.hideReview": {
    reason: "platform admins moderate any review; an organization's owner is FORBIDDEN",
    check: async ({ a, b }) => {
      await expectOrgUnchanged(a.org, () => expectTRPCError(callerFor(b.owner).marketplace.admin.hideReview({ reviewId: a.review.id, hidden: true }), "FORBIDDEN"));
    },
  },
};

/** Procedures a signed-out caller may use. */
const PUBLIC: Record<string, string> = {
  "invitation.preview": "the accept page shows what an invitation offers before the invitee signs in",
  "marketplace.search": "anyone browses the marketplace without signing in",
  "marketplace.categories": "the marketplace's filters, for anyone",
  "marketplace.listing.get": "listing pages are public",
  "marketplace.version.get": "anyone can read and check a published version's signed manifest",
  "marketplace.review.list": "reviews are shown on public listing pages",
};

const procedures = listProcedures(appRouter);

/** Procedures neither checked automatically nor allow-listed, and allow-list entries that are wrong. */
function coverageProblems(list: ProcedureInfo[], allowList: Record<string, unknown>, platformWide: Record<string, unknown> = {}): string[] {
  const problems: string[] = [];
  for (const procedure of list) {
    const wide = procedure.path in platformWide;
    if (wide && !isTenantScoped(procedure)) problems.push(`${procedure.path} takes no object ids: move it from PLATFORM_WIDE to NOT_TENANT_SCOPED`);
    if (wide && describeInput(procedure.path, procedure.inputs)?.properties.orgSlug) problems.push(`${procedure.path} is reached through an organization, so it cannot be PLATFORM_WIDE`);
    const automatic = isTenantScoped(procedure) && !wide;
    const listed = procedure.path in allowList || wide;
    if (!automatic && !listed) {
      problems.push(`${procedure.path} takes no orgSlug and no object ids: scope it with orgProcedure, or add it to NOT_TENANT_SCOPED with a reason and a check`);
    }
    if (automatic && listed) problems.push(`${procedure.path} is tenant-scoped, so the automatic check covers it: remove it from NOT_TENANT_SCOPED`);
  }
  const paths = new Set(list.map((p) => p.path));
  for (const path of Object.keys(allowList)) if (!paths.has(path)) problems.push(`NOT_TENANT_SCOPED names ${path}, which does not exist`);
  for (const path of Object.keys(platformWide)) if (!paths.has(path)) problems.push(`PLATFORM_WIDE names ${path}, which does not exist`);
  return problems;
}

describe("enumerating appRouter", () => {
  it("lists every leaf of the router tree, found independently by walking _def.record", () => {
    const walked = walkRecordPaths(appRouter._def.record).sort();
    expect(procedures.length).toBeGreaterThan(0);
    expect(procedures.map((p) => p.path)).toEqual(walked);
  });

  it("covers every procedure: checked automatically, or allow-listed with a reason", () => {
    expect(coverageProblems(procedures, NOT_TENANT_SCOPED, PLATFORM_WIDE)).toEqual([]);
    expect(Object.keys(PUBLIC).filter((path) => !procedures.some((p) => p.path === path))).toEqual([]);
  });

  it("would flag a new procedure that is neither scoped nor allow-listed", () => {
    const grown = router({ ...appRouter._def.record, secret: router({ dump: authedProcedure.query(() => "everything") }) });
    expect(coverageProblems(listProcedures(grown), NOT_TENANT_SCOPED, PLATFORM_WIDE)).toEqual([
      expect.stringContaining("secret.dump takes no orgSlug and no object ids"),
    ]);
  });
});

describe.each(procedures.map((p) => [p.path, p] as const))("%s", (path, procedure) => {
  it("cannot reach another organization's data", async () => {
    const world = await buildWorld();
    if (isTenantScoped(procedure) && !(path in PLATFORM_WIDE)) {
      const findings = await checkTenantIsolation({ router: appRouter, procedure, victim: world.a, home: world.b, valuesFor });
      expect(findings).toEqual([]);
    } else {
      const entry = NOT_TENANT_SCOPED[path] ?? PLATFORM_WIDE[path];
      if (!entry) expect.fail(`${path} is neither tenant-scoped nor in NOT_TENANT_SCOPED`);
      expect(entry.reason.length).toBeGreaterThan(0);
      await entry.check(world);
    }
  });

  it(path in PUBLIC ? `is public: ${PUBLIC[path]}` : "is refused to a signed-out caller with UNAUTHORIZED", async () => {
    const a = await buildTenant("a");
    const input = deriveInput(path, procedure.inputs, valuesFor(a, a));
    const call = () => procedureOnCaller(callerFor(null), path)(input);
    if (path in PUBLIC) {
      await expectOrgUnchanged(a.org, call);
    } else {
      await expectOrgUnchanged(a.org, () => expectTRPCError(call(), "UNAUTHORIZED", "Sign in"));
    }
  });
});

describe("the isolation check itself", () => {
  // Throwaway procedures built with the same ladder; the leaky ones read or write by id WITHOUT the org scope.
  const memberIdInput = z.object({ memberId: idSchema });
  const throwaway = router({
    leakyRead: orgProcedure("VIEWER")
      .input(memberIdInput)
      .query(({ ctx, input }) => ctx.db.membership.findUnique({ where: { id: input.memberId }, select: { id: true, role: true } })),
    leakyDelete: orgProcedure("ADMIN")
      .input(memberIdInput)
      .mutation(async ({ ctx, input }) => {
        await ctx.db.membership.delete({ where: { id: input.memberId } });
        return { ok: true };
      }),
    scopedRead: orgProcedure("VIEWER")
      .input(memberIdInput)
      .query(async ({ ctx, input }) => {
        const row = await ctx.db.membership.findFirst({ where: { id: input.memberId, orgId: ctx.org.id }, select: { id: true } });
        if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Member not found" });
        return row;
      }),
    unknownId: orgProcedure("VIEWER")
      .input(z.object({ unheardOfId: idSchema }))
      .query(() => null),
  });
  const check = (path: string, world: World, on: AnyRouter = throwaway) =>
    checkTenantIsolation({
      router: on,
      procedure: listProcedures(on).find((p) => p.path === path)!,
      victim: world.a,
      home: world.b,
      valuesFor,
    });

  it("catches a read by id that ignores the organization", async () => {
    const world = await buildWorld();
    const findings = await check("leakyRead", world);
    expect(findings).toEqual([
      expect.stringMatching(/^leakyRead .*its own organization's slug with the other organization's ids.*expected NOT_FOUND, but it succeeded/),
    ]);
  });

  it("catches a write by id that ignores the organization, and sees the other organization's data change", async () => {
    const world = await buildWorld();
    const before = await snapshotOrg(world.a.org.id);
    const findings = await check("leakyDelete", world);
    expect(findings).toEqual([
      expect.stringContaining("expected NOT_FOUND, but it succeeded"),
      "leakyDelete called with its own organization's slug with the other organization's ids changed the other organization's data",
    ]);
    expect(await snapshotOrg(world.a.org.id)).not.toEqual(before);
  });

  it("passes a procedure that scopes its query by organization", async () => {
    expect(await check("scopedRead", await buildWorld())).toEqual([]);
  });

  it("fails loudly on an id field the registry does not know", async () => {
    const world = await buildWorld();
    const attempt = check("unknownId", world);
    await expect(attempt).rejects.toThrow(InputDerivationError);
    await expect(attempt).rejects.toThrow(/"unheardOfId".*no entry for "unheardOfId".*ID_REGISTRY or SAMPLE_REGISTRY/);
  });
});
