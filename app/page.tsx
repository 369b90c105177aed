import { redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { serverCaller } from "@/components/trpc/server";

export const dynamic = "force-dynamic";

/** Signed out → sign-in; signed in → the first organization, or creating one. */
export default async function Home() {
  const session = await auth();
  if (!session?.user?.id) redirect("/signin");
  const orgs = await (await serverCaller()).org.list();
  const first = orgs[0];
  redirect(first ? `/o/${first.slug}` : "/onboarding");
}
