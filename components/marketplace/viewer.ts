import "server-only";
import { TRPCError } from "@trpc/server";
import { cache } from "react";
import { serverCaller } from "@/components/trpc/server";
import { auth } from "@/server/auth/config";
import { hasRole } from "@/server/auth/roles";

/** Whether someone is signed in on a public marketplace page (reads the session cookie only). */
export const getSignedIn = cache(async (): Promise<boolean> => Boolean((await auth())?.user?.id));

/**
 * Whether the visitor is a platform administrator (marketplace moderation), for the header's link;
 * false when signed out or when the session's user no longer exists.
 */
export const getPlatformAdmin = cache(async (): Promise<boolean> => {
  if (!(await getSignedIn())) return false;
  try {
    return (await (await serverCaller()).marketplace.me()).platformAdmin;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") return false;
    throw error;
  }
});

/**
 * The signed-in visitor's organizations, and those where they may install (Admin or above), for a
 * listing's Install button; null when signed out.
 */
export const getInstallTargets = cache(async () => {
  if (!(await getSignedIn())) return null;
  try {
    const orgs = await (await serverCaller()).org.list();
    return { orgs, installable: orgs.filter((o) => hasRole(o.role, "ADMIN")) };
  } catch (error) {
    // A session whose user no longer exists: the page is shown as to anyone signed out.
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") return null;
    throw error;
  }
});
