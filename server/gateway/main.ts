/**
 * The gateway process: `npm run gateway` (npm start runs it beside the console).
 * Environment: DATABASE_URL, AUTH_SECRET (console "try it" tokens), HELIX_ENCRYPTION_KEY (agent
 * credentials), HELIX_GATEWAY_PORT (8080), HELIX_GATEWAY_HOST (127.0.0.1),
 * HELIX_GATEWAY_SPOOL_DIR (.helix/gateway-spool), HELIX_GATEWAY_MAX_BODY_BYTES (1 MiB).
 */
import path from "node:path";
import { z } from "zod";
import { startGateway } from "./server";

const gatewayEnv = z.object({
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgresql:// URL" }),
  AUTH_SECRET: z.string().min(16).optional(),
  HELIX_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HELIX_GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  HELIX_GATEWAY_SPOOL_DIR: z.string().min(1).default(path.join(".helix", "gateway-spool")),
  HELIX_GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
});

async function main() {
  const parsed = gatewayEnv.safeParse(process.env);
  if (!parsed.success) {
    console.error(`Invalid gateway environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
    process.exit(1);
  }
  const env = parsed.data;
  const gateway = await startGateway({
    databaseUrl: env.DATABASE_URL,
    port: env.HELIX_GATEWAY_PORT,
    host: env.HELIX_GATEWAY_HOST,
    spoolDir: path.resolve(env.HELIX_GATEWAY_SPOOL_DIR),
    authSecret: env.AUTH_SECRET,
    maxBodyBytes: env.HELIX_GATEWAY_MAX_BODY_BYTES,
    // Listen at once: /readyz says when the config is loaded, and Postgres may still be starting.
    waitForConfig: false,
  });
  console.log(`HelixAgent gateway listening on ${gateway.url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`gateway: ${signal}, finishing requests in flight and flushing telemetry`);
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`gateway: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
