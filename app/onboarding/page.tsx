import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { Logo } from "@/components/layout/logo";
import { CreateOrgForm } from "./create-org-form";

export const metadata: Metadata = { title: "Create an organization" };
export const dynamic = "force-dynamic";

export default async function OnboardingPage() {
  if (!(await auth())?.user?.id) redirect("/signin?callbackUrl=%2Fonboarding");
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="px-4 py-3 sm:px-6">
        <Logo />
      </header>
      <main className="flex flex-1 justify-center px-4 pt-8 sm:pt-16">
        <div className="w-full max-w-md">
          <CreateOrgForm />
        </div>
      </main>
    </div>
  );
}
