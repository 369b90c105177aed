import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound, redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { serverCaller } from "./server";

/**
 * What every console page starts with: the signed-in user's view of the organization in the URL.
 * Signed out → sign-in (and back); not a member or no such organization → 404.
 */
export async function loadOrgPage(orgSlug: string, path = "") {
  const session = await auth();
  if (!session?.user?.id) redirect(`/signin?callbackUrl=${encodeURIComponent(`/o/${orgSlug}${path}`)}`);
  const caller = await serverCaller();
  try {
    const [org, me] = await Promise.all([caller.org.get({ orgSlug }), caller.me.get()]);
    return { org, me, caller };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") redirect("/signin");
    throw error;
  }
}
