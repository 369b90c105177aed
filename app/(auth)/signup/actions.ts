"use server";

import { z } from "zod";
import { headers } from "next/headers";
import { signIn, clientIp } from "@/server/auth/config";
import { createPasswordUser } from "@/server/auth/users";
import { passwordSchema } from "@/server/auth/password";
import { checkSignInAllowed, recordFailedSignIn } from "@/server/auth/rate-limit";
import { safeRedirect } from "@/server/auth/redirect";
import { emailSchema } from "@/server/invitations/schema";
import { DomainError } from "@/server/errors/domain-error";
import { db } from "@/server/db";
import { env } from "@/server/env";

export interface SignUpState {
  error: string | null;
  fieldErrors: Partial<Record<"name" | "email" | "password", string>>;
  values: { name: string; email: string };
}

const signUpInput = z.object({
  name: z.string().trim().min(1, "Tell us your name").max(80, "At most 80 characters"),
  email: emailSchema,
  password: passwordSchema,
});

export async function signUp(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const values = { name: String(form.get("name") ?? "").slice(0, 200), email: String(form.get("email") ?? "").slice(0, 300) };
  if (!env().HELIX_ALLOW_SIGNUP) return { error: "Sign-up is turned off here. Ask an admin for an invitation.", fieldErrors: {}, values };
  const parsed = signUpInput.safeParse({ ...values, password: form.get("password") ?? "" });
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error).fieldErrors;
    return {
      error: "Check the highlighted fields.",
      fieldErrors: { name: flat.name?.[0], email: flat.email?.[0], password: flat.password?.[0] },
      values,
    };
  }
  // Sign-ups share the sign-in throttle, so the form cannot be used to probe for taken addresses at speed.
  const who = { email: parsed.data.email, ip: clientIp(await headers()) };
  if (!(await checkSignInAllowed(who)).allowed) {
    return { error: "Too many attempts. Wait 15 minutes and try again.", fieldErrors: {}, values };
  }
  try {
    await createPasswordUser({ db: db(), email: parsed.data.email, name: parsed.data.name, password: parsed.data.password });
  } catch (error) {
    if (error instanceof DomainError) {
      await recordFailedSignIn(who);
      return { error: error.message, fieldErrors: { email: error.message }, values };
    }
    throw error;
  }
  await signIn("credentials", {
    email: parsed.data.email,
    password: parsed.data.password,
    redirectTo: safeRedirect(form.get("callbackUrl")),
  });
  return { error: null, fieldErrors: {}, values };
}
