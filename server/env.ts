import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgresql:// URL" }),
    AUTH_SECRET: z.string().min(16, "AUTH_SECRET must be at least 16 characters (npm start generates one)").optional(),
    AUTH_URL: z.url().optional(),
    /** 32 random bytes, base64: encrypts agent credentials at rest (npm start generates one). */
    HELIX_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "HELIX_ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)")
      .optional(),
    /** Seconds between health probes of each agent. */
    HELIX_HEALTH_INTERVAL_SECONDS: z.coerce.number().int().min(2).max(3600).default(15),
    /** Consecutive failed probes that mark an agent unhealthy (one success marks it healthy again). */
    HELIX_HEALTH_FAILURE_THRESHOLD: z.coerce.number().int().min(1).max(100).default(3),
    /** Minutes between scheduled re-discoveries of every agent. */
    HELIX_REDISCOVERY_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
    /** Public sign-up with email + password. Off by default: people join through invitations or SSO. */
    HELIX_ALLOW_SIGNUP: bool,
    AUTH_OIDC_ISSUER: z.url().optional(),
    AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
    AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    AUTH_OIDC_NAME: z.string().min(1).default("Single sign-on"),
    /** SMTP connection URL (smtp://user:pass@host:port). Without it, invitation links are only shown to the inviter. */
    SMTP_URL: z.url().optional(),
    SMTP_FROM: z.string().default("HelixAgent <no-reply@helix.local>"),
    /** Sign-in attempts allowed per email (and per client address) in 15 minutes. */
    HELIX_SIGNIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
    /** Set by the main command when it seeded the demo: the sign-in page then shows the demo sign-in. */
    HELIX_DEMO: bool,
    HELIX_INVITATION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
    /** Where the console reaches the gateway (the route page's "Try it" sends its requests there). */
    HELIX_GATEWAY_URL: z.url({ message: "HELIX_GATEWAY_URL must be an http(s) URL, e.g. http://127.0.0.1:8080" }).default("http://127.0.0.1:8080"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.AUTH_OIDC_ISSUER, env.AUTH_OIDC_CLIENT_ID, env.AUTH_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_OIDC_ISSUER"],
        message: "OIDC sign-in needs all of AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET",
      });
    }
  });

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee .env.example and the README's configuration table.`);
  }
  return parsed.data;
}

let cached: Env | undefined;

/** The validated environment, parsed once on first use (so `next build` needs no database settings). */
export function env(): Env {
  cached ??= load();
  return cached;
}

export function oidcConfigured(): boolean {
  const e = env();
  return Boolean(e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_CLIENT_ID && e.AUTH_OIDC_CLIENT_SECRET);
}
