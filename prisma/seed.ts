/**
 * Seeds the demo organization: a demo admin who signs in with a password, two teammates, and the
 * audit trail of setting it up. Idempotent: running it again changes nothing that exists.
 * Run with `npm run db:seed` (the main command runs it on its embedded database).
 */
import { db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import { recordAudit } from "@/server/audit/record";
import { DEMO_ADMIN, DEMO_ORG } from "@/server/demo/constants.mjs";

const TEAMMATES = [
  { email: "editor@demo.helix.local", name: "Erin Editor", role: "EDITOR" as const },
  { email: "viewer@demo.helix.local", name: "Victor Viewer", role: "VIEWER" as const },
];

async function main() {
  const prisma = db();
  const admin =
    (await prisma.user.findUnique({ where: { email: DEMO_ADMIN.email } })) ??
    (await prisma.user.create({
      data: { email: DEMO_ADMIN.email, name: DEMO_ADMIN.name, passwordHash: await hashPassword(DEMO_ADMIN.password) },
    }));

  const existing = await prisma.organization.findUnique({ where: { slug: DEMO_ORG.slug } });
  if (existing) {
    console.log(`Demo organization "${DEMO_ORG.slug}" already exists; nothing to seed.`);
    return;
  }

  await prisma.$transaction(async (tx) => {
    const org = await tx.organization.create({ data: { name: DEMO_ORG.name, slug: DEMO_ORG.slug } });
    const actor = { id: admin.id, email: admin.email };
    await tx.membership.create({ data: { orgId: org.id, userId: admin.id, role: "OWNER" } });
    await recordAudit(tx, {
      orgId: org.id,
      actor,
      action: "organization.created",
      targetType: "organization",
      targetId: org.id,
      after: { name: org.name, slug: org.slug },
    });
    for (const mate of TEAMMATES) {
      const user = await tx.user.upsert({ where: { email: mate.email }, update: {}, create: { email: mate.email, name: mate.name } });
      const membership = await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: mate.role } });
      await recordAudit(tx, {
        orgId: org.id,
        actor: { id: user.id, email: user.email },
        action: "member.joined",
        targetType: "member",
        targetId: membership.id,
        after: { email: user.email, role: mate.role },
      });
    }
  });
  console.log(`Seeded demo organization "${DEMO_ORG.slug}" with ${DEMO_ADMIN.email}.`);
}

main()
  .then(() => db().$disconnect())
  .catch(async (error: unknown) => {
    console.error(error);
    await db().$disconnect();
    process.exit(1);
  });
