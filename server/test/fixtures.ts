import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { expect } from "vitest";
import { db } from "@/server/db";
import type { Role } from "@/server/generated/prisma/enums";
import { createPasswordUser } from "@/server/auth/users";
import { createOrganization } from "@/server/orgs/service";
import { createContext } from "@/server/trpc/context";
import { appRouter, createCaller } from "@/server/trpc/root";

// Every test builds its own world with random names, so tests never depend on each other or on
// what an earlier run left in the database.

export const rand = (bytes = 5) => randomBytes(bytes).toString("hex");

export interface TestUser {
  id: string;
  email: string;
  name: string | null;
}

export interface TestOrg {
  id: string;
  name: string;
  slug: string;
  /** The owner's membership id. */
  ownerMembershipId: string;
}

export interface TestMembership {
  id: string;
  role: Role;
  orgId: string;
  userId: string;
}

/**
 * A user with a unique address. Without a password the row is written directly (fast); with one it
 * goes through `createPasswordUser`, hashing and all. Roles belong to memberships: see `addMember`.
 */
export async function createUser(opts: { email?: string; name?: string | null; password?: string } = {}): Promise<TestUser> {
  const email = (opts.email ?? `u-${rand()}@test.helix`).toLowerCase();
  const name = opts.name === undefined ? `Test ${email.split("@")[0]}` : opts.name;
  if (opts.password) return createPasswordUser({ db: db(), email, name, password: opts.password });
  return db().user.create({ data: { email, name }, select: { id: true, email: true, name: true } });
}

export const uniqueSlug = (prefix = "org") => `${prefix}-${rand()}`;

/** An organization made by the real service (so its owner membership and audit event exist). */
export async function createOrg(opts: { owner: TestUser; name?: string; slug?: string }): Promise<TestOrg> {
  const slug = opts.slug ?? uniqueSlug();
  const org = await createOrganization({ db: db(), user: opts.owner, name: opts.name ?? `Org ${slug}`, slug });
  const owner = await db().membership.findUniqueOrThrow({
    where: { orgId_userId: { orgId: org.id, userId: opts.owner.id } },
    select: { id: true },
  });
  return { id: org.id, name: org.name, slug: org.slug, ownerMembershipId: owner.id };
}

/** Puts a user into an organization with a role (test setup: no audit event). */
export async function addMember(org: { id: string }, user: TestUser, role: Role): Promise<TestMembership> {
  return db().membership.create({
    data: { orgId: org.id, userId: user.id, role },
    select: { id: true, role: true, orgId: true, userId: true },
  });
}

/** A fresh user who is a member of `org` with `role`. */
export async function createMember(org: { id: string }, role: Role): Promise<{ user: TestUser; membership: TestMembership }> {
  const user = await createUser();
  return { user, membership: await addMember(org, user, role) };
}

export type Caller = ReturnType<typeof createCaller>;

/** The real router with a session for `user` (or signed out): every middleware of the ladder runs. */
export function callerFor(user: { id: string } | null, opts: { ip?: string } = {}): Caller {
  return createCaller(createContext({ db: db(), session: user ? { id: user.id } : null, ip: opts.ip ?? null }));
}

/** What a client receives for an error: the shape after our `errorFormatter`, as the HTTP adapter builds it. */
export function clientErrorShape(error: TRPCError, path?: string) {
  return getErrorShape({
    config: appRouter._def._config,
    error,
    type: "unknown",
    path,
    input: undefined,
    ctx: undefined,
  }) as { message: string; code: number; data: { code: string; httpStatus: number; fieldErrors?: Record<string, string[]> } };
}

/**
 * Expects `promise` to reject with a tRPC error of `code`; `messageMatch` is checked against the
 * message a client would see. Returns the error and that client-side shape for further checks.
 */
export async function expectTRPCError(promise: Promise<unknown>, code: TRPCError["code"], messageMatch?: string | RegExp) {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) expect.fail(`expected ${code}, but the call succeeded with ${JSON.stringify(outcome.value)?.slice(0, 300)}`);
  if (!(outcome.error instanceof TRPCError)) throw outcome.error;
  const error = outcome.error;
  const shape = clientErrorShape(error);
  expect(error.code, `expected ${code}, got ${error.code}: "${shape.message}"`).toBe(code);
  if (typeof messageMatch === "string") expect(shape.message).toContain(messageMatch);
  else if (messageMatch) expect(shape.message).toMatch(messageMatch);
  return { error, shape };
}

/**
 * Every tenant row of one organization as deterministic JSON: the organization, its memberships,
 * invitations and audit events, each sorted by id. Equal snapshots mean nothing changed.
 */
export async function snapshotOrg(orgId: string): Promise<string> {
  const client = db();
  const byId = { orderBy: { id: "asc" as const } };
  const [organization, memberships, invitations, auditEvents, agents, skills, discoveries, healthChecks, statusChanges, routes, routeTargets, routeVersions, apiKeys, alertRules, alerts, webhookEndpoints, webhookDeliveries] = await Promise.all([
    client.organization.findUnique({ where: { id: orgId } }),
    client.membership.findMany({ where: { orgId }, ...byId }),
    client.invitation.findMany({ where: { orgId }, ...byId }),
    client.auditEvent.findMany({ where: { orgId }, ...byId }),
    client.agent.findMany({ where: { orgId }, ...byId }),
    client.agentSkill.findMany({ where: { orgId }, ...byId }),
    client.agentDiscovery.findMany({ where: { orgId }, ...byId }),
    client.agentHealthCheck.findMany({ where: { orgId }, ...byId }),
    client.agentStatusChange.findMany({ where: { orgId }, ...byId }),
    client.route.findMany({ where: { orgId }, ...byId }),
    client.routeTarget.findMany({ where: { orgId }, ...byId }),
    client.routeVersion.findMany({ where: { orgId }, ...byId }),
    client.apiKey.findMany({ where: { orgId }, ...byId }),
    client.alertRule.findMany({ where: { orgId }, ...byId }),
    client.alert.findMany({ where: { orgId }, ...byId }),
    client.webhookEndpoint.findMany({ where: { orgId }, ...byId }),
    client.webhookDelivery.findMany({ where: { orgId }, ...byId }),
  ]);
  // The organization's marketplace presence: its publisher, keys, listings, versions and its replies
  // to reviews (reviews themselves, their ratings and moderation belong to reviewers and platform
  // admins, not to the organization).
  const [publisher, publisherKeys, listings, listingVersions, reviewReplies] = await Promise.all([
    client.publisher.findUnique({ where: { orgId } }),
    client.publisherKey.findMany({ where: { publisher: { orgId } }, ...byId }),
    client.listing.findMany({ where: { publisher: { orgId } }, ...byId, omit: { ratingAvg: true, ratingCount: true, installCount: true } }),
    client.listingVersion.findMany({ where: { listing: { publisher: { orgId } } }, ...byId }),
    client.review.findMany({ where: { listing: { publisher: { orgId } }, reply: { not: null } }, ...byId, select: { id: true, reply: true, repliedAt: true } }),
  ]);
  return JSON.stringify(
    { organization, memberships, invitations, auditEvents, agents, skills, discoveries, healthChecks, statusChanges, routes, routeTargets, routeVersions, apiKeys, alertRules, alerts, webhookEndpoints, webhookDeliveries, publisher, publisherKeys, listings, listingVersions, reviewReplies },
    null,
    1,
  );
}

/** Runs `action` and asserts that not one of the organization's rows changed. */
export async function expectOrgUnchanged<T>(org: { id: string }, action: () => Promise<T>): Promise<T> {
  const before = await snapshotOrg(org.id);
  const result = await action();
  expect(await snapshotOrg(org.id)).toEqual(before);
  return result;
}

/** The organization's audit events, oldest first. */
export function auditEventsOf(orgId: string, where: { action?: string } = {}) {
  return db().auditEvent.findMany({ where: { orgId, ...where }, orderBy: [{ at: "asc" }, { id: "asc" }] });
}
