import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { Role } from "@/server/generated/prisma/enums";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Context } from "./context";
import { formatError, toTRPCError } from "./errors";
import { orgSlugSchema } from "@/server/orgs/schema";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter: formatError,
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Turns domain and known Prisma errors into the right tRPC code; runs first on every procedure. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error);
    if (mapped && mapped !== result.error) throw mapped;
  }
  return result;
});

// The procedure ladder: public → authed → org(minRole). Permissions live here and nowhere else.

export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  const user = await ctx.db.user.findUnique({
    where: { id: ctx.session.id },
    select: { id: true, email: true, name: true },
  });
  if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your session has ended; sign in again" });
  return next({ ctx: { user } });
});

/**
 * Platform administrators (`User.platformAdmin`, granted in the database): marketplace moderation
 * and publisher verification, which belong to no organization. Anyone else signed in is FORBIDDEN.
 */
export const platformAdminProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const row = await ctx.db.user.findUnique({ where: { id: ctx.user.id }, select: { platformAdmin: true } });
  if (!row?.platformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "This needs a platform administrator" });
  return next();
});

/** Every organization-scoped input carries the organization's slug. */
export const orgInput = z.object({ orgSlug: orgSlugSchema });

/**
 * Resolves the organization named in the input, checks the caller's membership once and puts `org`
 * and `role` into the context. Not a member (or no such organization) is NOT_FOUND, so ids of other
 * organizations reveal nothing; a member below `minRole` is FORBIDDEN.
 */
export function orgProcedure(minRole: Role) {
  return authedProcedure.input(orgInput).use(async ({ ctx, input, next }) => {
    const membership = await ctx.db.membership.findFirst({
      where: { userId: ctx.user.id, org: { slug: input.orgSlug } },
      select: { id: true, role: true, org: { select: { id: true, name: true, slug: true } } },
    });
    if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: "Organization not found" });
    if (!hasRole(membership.role, minRole)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${roleLabel[minRole]} role or higher; you are ${roleLabel[membership.role]} in ${membership.org.name}`,
      });
    }
    return next({ ctx: { org: membership.org, role: membership.role, membershipId: membership.id } });
  });
}

export type OrgContext = {
  db: Context["db"];
  user: { id: string; email: string; name: string | null };
  org: { id: string; name: string; slug: string };
  role: Role;
  membershipId: string;
};
