import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { addRoute } from "@/server/gateway/testing";
import { generateSigningKeyPair, signVersion } from "@/server/marketplace/signing";
import { auditEventsOf, callerFor, createOrg, createUser, expectTRPCError, rand, type TestOrg, type TestUser } from "@/server/test/fixtures";

// Installing policy packs and configuring installs through the API, against Postgres.

const signer = generateSigningKeyPair();
let publisherId: string;
let owner: TestUser;
let org: TestOrg;

const pack = (names: string[]) => ({
  kind: "POLICY_PACK",
  policies: names.map((name) => ({ name, mode: "MONITOR", condition: '"PHI" in request.labels', effect: "REDACT", params: { kinds: ["EMAIL", "SSN"], direction: "BOTH" } })),
});

/** A published policy pack with signed versions (oldest first). */
async function publishPack(versions: { version: string; changelog: string; manifest: Record<string, unknown> }[]) {
  const slug = `pack-${rand(6)}`;
  await db().listing.create({
    data: {
      publisherId,
      kind: "POLICY_PACK",
      slug,
      name: `Pack ${slug}`,
      summary: "A pack under test",
      latestVersion: versions.at(-1)!.version,
      publishedAt: new Date(),
      versions: {
        create: versions.map((v) => {
          const [major, minor, patch] = v.version.split(".").map(Number) as [number, number, number];
          return { version: v.version, major, minor, patch, changelog: v.changelog, manifest: v.manifest as Prisma.InputJsonValue, signature: signVersion({ privateKey: signer.privateKey, listing: slug, version: v.version, manifest: v.manifest }), keyId: signer.keyId };
        }),
      },
    },
  });
  return slug;
}

beforeAll(async () => {
  owner = await createUser();
  org = await createOrg({ owner });
  const publisherOrg = await createOrg({ owner: await createUser() });
  publisherId = (await db().publisher.create({ data: { orgId: publisherOrg.id, slug: `pub-${rand(6)}`, displayName: "Pack Publisher", keys: { create: { keyId: signer.keyId, publicKey: signer.publicKey } } } })).id;
});

describe("policy pack installs", () => {
  it("creates the pack's policies, upgrades them with a preview, follows the enabled switch, and removes them on uninstall — all audited", async () => {
    const slug = await publishPack([
      { version: "1.0.0", changelog: "First version", manifest: pack(["Mask PHI contacts", "Mask PHI ids"]) },
      { version: "1.1.0", changelog: "Adds IBAN masking", manifest: pack(["Mask PHI contacts", "Mask PHI bank accounts"]) },
    ]);
    const caller = callerFor(owner);
    const installed = await caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: slug, version: "1.0.0" });
    expect(installed.version).toBe("1.0.0");
    expect(installed.latestVersion).toBe("1.1.0");
    expect(installed.failMode).toBeNull();
    expect(installed.policies.map((p) => p.name)).toEqual(["Mask PHI contacts", "Mask PHI ids"]);
    expect(await db().policy.count({ where: { orgId: org.id, installId: installed.id } })).toBe(2);
    expect((await db().listing.findUniqueOrThrow({ where: { slug }, select: { installCount: true } })).installCount).toBe(1);

    const preview = await caller.marketplace.install.preview({ orgSlug: org.slug, installId: installed.id, version: "1.1.0" });
    expect(preview).toEqual({
      from: "1.0.0",
      to: "1.1.0",
      changelogs: [{ version: "1.1.0", changelog: "Adds IBAN masking" }],
      configChanges: { added: [], removed: [], changed: [] },
      policyChanges: { added: ["Mask PHI bank accounts"], removed: ["Mask PHI ids"] },
    });

    await caller.marketplace.install.update({ orgSlug: org.slug, installId: installed.id, enabled: false });
    expect(await db().policy.count({ where: { orgId: org.id, installId: installed.id, enabled: true } })).toBe(0);

    const upgraded = await caller.marketplace.install.upgrade({ orgSlug: org.slug, installId: installed.id, version: "1.1.0" });
    expect(upgraded.version).toBe("1.1.0");
    expect(upgraded.policies.map((p) => p.name)).toEqual(["Mask PHI bank accounts", "Mask PHI contacts"]);
    // Still disabled after the upgrade, as the install is.
    expect(await db().policy.count({ where: { orgId: org.id, installId: installed.id, enabled: true } })).toBe(0);
    await expectTRPCError(caller.marketplace.install.upgrade({ orgSlug: org.slug, installId: installed.id, version: "1.1.0" }), "BAD_REQUEST", "already installed");

    await caller.marketplace.install.uninstall({ orgSlug: org.slug, installId: installed.id });
    expect(await db().policy.count({ where: { orgId: org.id, installId: installed.id } })).toBe(0);
    expect(await db().policy.count({ where: { orgId: org.id, name: { startsWith: "Mask PHI" } } })).toBe(0);
    const actions = (await auditEventsOf(org.id)).map((e) => e.action);
    for (const action of ["marketplace.installed", "marketplace.install_disabled", "marketplace.install_upgraded", "marketplace.uninstalled", "policy.created", "policy.deleted"]) {
      expect(actions).toContain(action);
    }
  });

  it("refuses a pack whose policy names the organization already uses, leaving nothing behind", async () => {
    const slug = await publishPack([{ version: "1.0.0", changelog: "", manifest: pack(["Already here", "New one"]) }]);
    const caller = callerFor(owner);
    await caller.policy.create({ orgSlug: org.slug, name: "Already here", condition: "false", effect: "DENY" });
    await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: slug }), "CONFLICT", 'named "Already here"');
    expect(await db().install.count({ where: { orgId: org.id, listing: { slug } } })).toBe(0);
    expect(await db().policy.count({ where: { orgId: org.id, name: "New one" } })).toBe(0);
    expect((await db().listing.findUniqueOrThrow({ where: { slug }, select: { installCount: true } })).installCount).toBe(0);
  });

  it("refuses routes and fail modes for a pack, another organization's routes for a plugin, and non-admins", async () => {
    const slug = await publishPack([{ version: "1.0.0", changelog: "", manifest: pack(["Routes test"]) }]);
    const caller = callerFor(owner);
    await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: slug, failMode: "closed" }), "BAD_REQUEST", "whole organization");
    const otherOwner = await createUser();
    const other = await createOrg({ owner: otherOwner });
    const foreignRoute = await addRoute(other, { alias: `theirs-${rand(4)}` });
    const manifest = { kind: "GATEWAY_PLUGIN", serviceUrl: "http://127.0.0.1:9/hook", hooks: ["before_request"] };
    const pluginSlug = `plugin-${rand(6)}`;
    await db().listing.create({
      data: {
        publisherId,
        kind: "GATEWAY_PLUGIN",
        slug: pluginSlug,
        name: "Route check plugin",
        summary: "x",
        latestVersion: "1.0.0",
        publishedAt: new Date(),
        versions: { create: { version: "1.0.0", major: 1, minor: 0, patch: 0, manifest, signature: signVersion({ privateKey: signer.privateKey, listing: pluginSlug, version: "1.0.0", manifest }), keyId: signer.keyId } },
      },
    });
    await expectTRPCError(caller.marketplace.install.create({ orgSlug: org.slug, listingSlug: pluginSlug, routeIds: [foreignRoute.id] }), "NOT_FOUND");
    const viewer = await createUser();
    await db().membership.create({ data: { orgId: org.id, userId: viewer.id, role: "VIEWER" } });
    await expectTRPCError(callerFor(viewer).marketplace.install.create({ orgSlug: org.slug, listingSlug: pluginSlug }), "FORBIDDEN");
    expect(await db().install.count({ where: { orgId: org.id, listing: { slug: pluginSlug } } })).toBe(0);
  });
});
