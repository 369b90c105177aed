"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signInErrorMessages, OIDC_PROVIDER_ID } from "@/server/auth/config";
import { safeRedirect } from "@/server/auth/redirect";

export interface SignInState {
  error: string | null;
  email: string;
}

export async function signInWithPassword(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").slice(0, 254);
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password.", email };
  try {
    await signIn("credentials", { email, password, redirectTo: safeRedirect(form.get("callbackUrl")) });
    return { error: null, email };
  } catch (error) {
    // A successful sign-in "throws" Next's redirect; only Auth.js errors are ours to explain.
    if (error instanceof CredentialsSignin) {
      return { error: signInErrorMessages[error.code] ?? signInErrorMessages.CredentialsSignin!, email };
    }
    if (error instanceof AuthError) {
      return { error: signInErrorMessages[error.type] ?? "Sign-in failed. Try again.", email };
    }
    throw error;
  }
}

export async function signInWithOidc(form: FormData): Promise<void> {
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeRedirect(form.get("callbackUrl")) });
}
