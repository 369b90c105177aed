import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { safeRedirect } from "@/server/auth/redirect";
import { env } from "@/server/env";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!env().HELIX_ALLOW_SIGNUP) notFound();
  const params = await searchParams;
  const callbackUrl = safeRedirect(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1 className="text-xl">Create your account</h1>
        </CardTitle>
        <CardDescription>Then create an organization or accept an invitation.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <SignUpForm callbackUrl={callbackUrl} />
        <p className="text-center text-sm text-muted-foreground">
          Have an account?{" "}
          <Link className="font-medium text-foreground underline underline-offset-4" href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
            Sign in
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
