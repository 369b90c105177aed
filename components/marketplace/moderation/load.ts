import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound, redirect } from "next/navigation";
import { serverCaller } from "@/components/trpc/server";
import { auth } from "@/server/auth/config";

/**
 * What every moderation page starts with. Signed out (or a session whose user is gone) → sign-in
 * and back to `path`; signed in but not a platform administrator → the moderation 404 page. The
 * procedures check again on every call: this only decides what the page shows.
 */
export async function requirePlatformAdmin(path: string): Promise<void> {
  const signIn = `/signin?callbackUrl=${encodeURIComponent(path)}`;
  const session = await auth();
  if (!session?.user?.id) redirect(signIn);
  let platformAdmin: boolean;
  try {
    ({ platformAdmin } = await (await serverCaller()).marketplace.me());
  } catch (error) {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") redirect(signIn);
    throw error;
  }
  if (!platformAdmin) notFound();
}
