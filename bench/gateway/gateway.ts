/**
 * The gateway as the benchmark runs it: its own process, configured from the run's database
 * (DATABASE_URL), with telemetry on. Run as a child process: `node --import tsx bench/gateway/gateway.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGateway } from "@/server/gateway/server";
import { serveAsChild } from "./child";

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  const authSecret = process.env.AUTH_SECRET;
  if (!databaseUrl || !authSecret) throw new Error("DATABASE_URL and AUTH_SECRET must be set");
  const spoolDir = mkdtempSync(join(tmpdir(), "helix-gateway-bench-"));
  const gateway = await startGateway({ databaseUrl, port: 0, host: "127.0.0.1", spoolDir, authSecret, telemetry: process.env.BENCH_TELEMETRY !== "0" });
  serveAsChild(gateway.url, async () => {
    await gateway.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
