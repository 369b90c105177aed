/**
 * Seeds tenants for the specs straight into the run's database through the product's own services,
 * so each spec starts from its own fresh users and organizations (random names; runs never collide).
 */
import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { createPasswordUser } from "@/server/auth/users";
import { createOrganization } from "@/server/orgs/service";
import type { Role } from "@/server/generated/prisma/enums";

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

export interface SeededUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

export async function seedUser(prefix = "user"): Promise<SeededUser> {
  const email = `${unique(prefix)}@e2e.helix.test`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const name = prefix.replace(/(^|-)(\w)/g, (_m, sep: string, c: string) => `${sep ? " " : ""}${c.toUpperCase()}`);
  const user = await createPasswordUser({ db: db(), email, name, password });
  return { id: user.id, email, password, name };
}

export async function seedOrg(owner: SeededUser, prefix = "org") {
  const slug = unique(prefix);
  return createOrganization({ db: db(), user: owner, name: `Org ${slug}`, slug });
}

export async function addMember(orgId: string, user: SeededUser, role: Role) {
  await db().membership.create({ data: { orgId, userId: user.id, role } });
}

/** An agent row for specs that need one to point a route at (no network involved). */
export async function seedAgent(orgId: string, name: string) {
  return db().agent.create({
    data: { orgId, name, slug: unique(name.toLowerCase().replace(/\W+/g, "-")), protocol: "OPENAI", sourceUrl: "http://127.0.0.1:9/v1", endpointUrl: "http://127.0.0.1:9/v1" },
    select: { id: true, name: true },
  });
}
