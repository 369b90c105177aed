import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { auth, signInErrorMessages } from "@/server/auth/config";
import { safeRedirect } from "@/server/auth/redirect";
import { env, oidcConfigured } from "@/server/env";
import { DEMO_ADMIN } from "@/server/demo/constants.mjs";
import { SignInForm } from "./sign-in-form";
import { OidcButton } from "./oidc-button";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeRedirect(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  if ((await auth())?.user?.id) redirect(callbackUrl);
  const errorCode = typeof params.error === "string" ? params.error : null;
  const error = errorCode ? (signInErrorMessages[errorCode] ?? "Sign-in failed. Try again.") : null;
  const e = env();

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h1 className="text-xl">Sign in to HelixAgent</h1>
        </CardTitle>
        <CardDescription>Use your company sign-in or your email and password.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        {error && (
          <Alert variant="destructive" role="alert">
            <AlertTitle>Could not sign you in</AlertTitle>
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        )}
        {oidcConfigured() && (
          <>
            <OidcButton name={e.AUTH_OIDC_NAME} callbackUrl={callbackUrl} />
            <div className="flex items-center gap-3 text-xs text-muted-foreground" aria-hidden="true">
              <span className="h-px flex-1 bg-border" />
              or
              <span className="h-px flex-1 bg-border" />
            </div>
          </>
        )}
        <SignInForm callbackUrl={callbackUrl} />
        {e.HELIX_DEMO && (
          <Alert>
            <AlertTitle>Demo sign-in</AlertTitle>
            <AlertDescription>
              <p>
                Email <code className="font-mono">{DEMO_ADMIN.email}</code>, password{" "}
                <code className="font-mono">{DEMO_ADMIN.password}</code>
              </p>
            </AlertDescription>
          </Alert>
        )}
        {e.HELIX_ALLOW_SIGNUP && (
          <p className="text-center text-sm text-muted-foreground">
            New here?{" "}
            <Link className="font-medium text-foreground underline underline-offset-4" href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>
              Create an account
            </Link>
          </p>
        )}
      </CardContent>
    </Card>
  );
}
