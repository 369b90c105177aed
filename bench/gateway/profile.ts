/**
 * Profiles the gateway under load: `node --import tsx bench/gateway/profile.ts` (DATABASE_URL set to
 * a migrated scratch database). Starts the upstream and the gateway (with --cpu-prof into
 * $PROFILE_DIR, default /tmp/helix-gateway-profile), sends 5 s of load at 8 connections, stops.
 * Open the .cpuprofile in Chrome DevTools or summarize it with `node bench/gateway/top-frames.mjs`.
 */
import autocannon from "autocannon";
import { startChild } from "./child";
import { CHAT_PATH, chatBody, chatHeaders } from "./requests";
import { seedGatewayRoute } from "./seed";

async function main() {
  const dir = process.env.PROFILE_DIR ?? "/tmp/helix-gateway-profile";
  process.env.AUTH_SECRET ??= "bench-only-secret-0123456789abcdef";
  const upstream = await startChild("upstream", "./upstream.ts");
  const seed = await seedGatewayRoute(upstream.url);
  const gateway = await startChild("gateway", "./gateway.ts", {}, { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  try {
    await new Promise((r) => setTimeout(r, 500));
    const result = await autocannon({ url: `${gateway.url}${CHAT_PATH}`, method: "POST", body: chatBody, headers: chatHeaders(seed.apiKey), connections: 8, duration: 5 });
    console.log(`${result.requests.average} req/s, p99 ${result.latency.p99} ms, errors ${result.errors}, non2xx ${result.non2xx}`);
  } finally {
    await gateway.stop();
    await upstream.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
