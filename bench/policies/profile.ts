/**
 * Profiles the gateway serving organization B of the policies benchmark (20 policies):
 * `node --import tsx bench/policies/profile.ts` (DATABASE_URL set to a migrated scratch database).
 * Writes a V8 CPU profile into $PROFILE_DIR (default /tmp/helix-policies-profile); summarize it with
 * `node bench/gateway/top-frames.mjs <file.cpuprofile>`.
 */
import autocannon from "autocannon";
import { startChild } from "../gateway/child";
import { CHAT_PATH } from "../gateway/requests";
import { policiesChatBody, policiesHeaders } from "./requests";
import { seedPolicyOrgs } from "./seed";

async function main() {
  const dir = process.env.PROFILE_DIR ?? "/tmp/helix-policies-profile";
  process.env.AUTH_SECRET ??= "bench-only-secret-0123456789abcdef";
  const upstream = await startChild("upstream", "./upstream.ts", { NODE_ENV: "production" });
  const seed = await seedPolicyOrgs(upstream.url);
  const gateway = await startChild("gateway", "./gateway.ts", { NODE_ENV: "production" }, { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  try {
    await new Promise((r) => setTimeout(r, 500));
    const org = process.env.PROFILE_ORG === "A" ? seed.a : seed.b;
    const result = await autocannon({ url: `${gateway.url}${CHAT_PATH}`, method: "POST", body: policiesChatBody, headers: policiesHeaders(org.apiKey), connections: 4, duration: 5 });
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
