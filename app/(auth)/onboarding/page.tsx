import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { CreateOrgForm } from "./create-org-form";

export const metadata: Metadata = { title: "Create an organization" };
export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  if (!(await auth())?.user?.id) redirect("/signin?callbackUrl=%2Fonboarding");
  return <CreateOrgForm />;
}
