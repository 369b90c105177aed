/**
 * What tenant scoping and the audit log cost.
 * 1. The procedure ladder: `member.list` through tRPC (session user lookup + membership check + query)
 *    against calling the service directly with a ready context. The ratio is the ladder's price.
 * 2. Audit-log paging at depth: with 100,000 events in one organization (and 100,000 in another), a
 *    page 90,000 events deep by keyset cursor against the first page. Keyset paging should cost the
 *    same at any depth; OFFSET paging, measured too, shows what it avoids.
 */
import { Bench } from "tinybench";
import { db } from "@/server/db";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { listMembers } from "@/server/members/service";
import { createOrganization } from "@/server/orgs/service";
import type { Comparison } from "./run";
import { sampleStats } from "./stats";

const EVENTS_PER_ORG = 100_000;
const DEEP = 90_000;

async function seedUser(email: string) {
  return db().user.create({ data: { email, name: email }, select: { id: true, email: true, name: true } });
}

async function seedEvents(orgId: string, actor: { id: string; email: string }) {
  // One INSERT … SELECT generate_series: 100k rows in well under a second.
  await db().$executeRaw`
    INSERT INTO "AuditEvent" (id, "orgId", "actorId", "actorEmail", action, "targetType", "targetId", after, at)
    SELECT 'cbench' || ${orgId.slice(-6)} || lpad(i::text, 12, '0'), ${orgId}, ${actor.id}, ${actor.email},
           'member.role_changed', 'member', 'm' || i, jsonb_build_object('role', 'VIEWER'),
           now() - (i || ' seconds')::interval
    FROM generate_series(1, ${EVENTS_PER_ORG}) AS i`;
  await db().$executeRaw`ANALYZE "AuditEvent"`;
}

export async function runOrgBenchmarks(): Promise<Comparison[]> {
  const owner = await seedUser("bench-owner@bench.helix.test");
  const other = await seedUser("bench-other@bench.helix.test");
  const org = await createOrganization({ db: db(), user: owner, name: "Bench Org", slug: "bench-org" });
  const otherOrg = await createOrganization({ db: db(), user: other, name: "Other Org", slug: "other-org" });
  for (let i = 0; i < 50; i++) {
    const u = await seedUser(`bench-member-${i}@bench.helix.test`);
    await db().membership.create({ data: { orgId: org.id, userId: u.id, role: "VIEWER" } });
  }
  await seedEvents(org.id, owner);
  await seedEvents(otherOrg.id, other);

  const caller = createCaller(createContext({ db: db(), session: { id: owner.id } }));
  const membership = await db().membership.findFirstOrThrow({ where: { orgId: org.id, userId: owner.id } });
  const orgCtx = { db: db(), user: owner, org: { id: org.id, name: org.name, slug: org.slug }, role: "OWNER" as const, membershipId: membership.id };

  const deepAnchor = await db().auditEvent.findFirstOrThrow({
    where: { orgId: org.id },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: DEEP,
    select: { id: true },
  });

  const bench = new Bench({ time: 1500, warmupTime: 300, retainSamples: true });
  bench
    .add("service call", async () => {
      await listMembers({ ctx: orgCtx });
    })
    .add("through the ladder", async () => {
      await caller.member.list({ orgSlug: org.slug });
    })
    .add("first page", async () => {
      await caller.audit.list({ orgSlug: org.slug, limit: 50 });
    })
    .add("keyset page 90k deep", async () => {
      await caller.audit.list({ orgSlug: org.slug, limit: 50, cursor: deepAnchor.id });
    })
    .add("OFFSET page 90k deep", async () => {
      await db().auditEvent.findMany({
        where: { orgId: org.id },
        orderBy: [{ at: "desc" }, { id: "desc" }],
        skip: DEEP,
        take: 50,
      });
    });
  await bench.run();

  const compare = (name: string, question: string, base: string, cand: string, expectation: string): Comparison => {
    const baseline = sampleStats(bench, base);
    const candidate = sampleStats(bench, cand);
    return { name, question, baseline, candidate, ratio: candidate.medianMs / baseline.medianMs, expectation };
  };
  return [
    compare("procedure ladder", "what do session + membership checks add to member.list?", "service call", "through the ladder", "< 3× (two indexed lookups)"),
    compare("audit keyset paging", "is a page 90k events deep as cheap as the first?", "first page", "keyset page 90k deep", "≈ 1×"),
    compare("audit OFFSET paging", "what would OFFSET paging cost instead?", "first page", "OFFSET page 90k deep", "≫ 1× (why we use keyset)"),
  ];
}
