import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { z } from "zod";
import { db } from "@/server/db";
import { env, oidcConfigured } from "@/server/env";
import { verifyPassword } from "./password";
import { checkSignInAllowed, recordFailedSignIn, resetSignInAttempts } from "./rate-limit";

/** Wrong email or password: deliberately one message for both. */
export class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}
export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}

export const OIDC_PROVIDER_ID = "oidc";

const credentialsInput = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(1).max(200),
});

export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || null;
}

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const { email, password } = parsed.data;
        const who = { email, ip: clientIp(request.headers) };
        if (!(await checkSignInAllowed(who)).allowed) throw new TooManyAttempts();
        const user = await db().user.findUnique({
          where: { email },
          select: { id: true, email: true, name: true, passwordHash: true },
        });
        if (!(await verifyPassword(user?.passwordHash, password)) || !user) {
          await recordFailedSignIn(who);
          throw new InvalidCredentials();
        }
        await resetSignInAttempts(email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ];
  const e = env();
  if (oidcConfigured()) {
    list.push({
      id: OIDC_PROVIDER_ID,
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_CLIENT_ID,
      clientSecret: e.AUTH_OIDC_CLIENT_SECRET,
      checks: ["pkce", "state", "nonce"],
      // Linking is decided in the signIn callback below: only a verified email may join an existing user.
      allowDangerousEmailAccountLinking: true,
      profile(profile) {
        return {
          id: String(profile.sub),
          email: typeof profile.email === "string" ? profile.email.toLowerCase() : null,
          name: (profile.name as string | undefined) ?? (profile.preferred_username as string | undefined) ?? null,
          emailVerified: profile.email_verified === true ? new Date() : null,
        };
      },
    });
  }
  return list;
}

function buildConfig(): NextAuthConfig {
  const e = env();
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    adapter: PrismaAdapter(db() as unknown as Parameters<typeof PrismaAdapter>[0]),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      // A wrong password is an answer, not a server error: keep the log for real failures.
      error(error) {
        if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
        console.error("[auth]", error);
      },
    },
    providers: providers(),
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const email = typeof profile?.email === "string" ? profile.email.toLowerCase() : null;
        if (!email) return "/signin?error=OidcNoEmail";
        if (profile?.email_verified === true) return true;
        // An unverified address may sign in to an account it already owns, or create a new one, but
        // never take over an existing user who happens to have that address.
        const linked = await db().account.findUnique({
          where: { provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId } },
          select: { id: true },
        });
        if (linked) return true;
        const existing = await db().user.findUnique({ where: { email }, select: { id: true } });
        return existing ? "/signin?error=EmailNotVerified" : true;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());

export const signInErrorMessages: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  rate_limited: "Too many sign-in attempts. Wait 15 minutes and try again.",
  CredentialsSignin: "Wrong email or password.",
  EmailNotVerified:
    "Your identity provider did not confirm this email address, so it cannot be linked to the existing account. Ask your IdP admin to verify it.",
  OidcNoEmail: "Your identity provider did not share an email address; HelixAgent needs one to sign you in.",
  OAuthAccountNotLinked: "This email already belongs to an account that signs in another way.",
  AccessDenied: "Sign-in was refused.",
  Configuration: "Sign-in is misconfigured on the server. Check the AUTH_* settings.",
};
