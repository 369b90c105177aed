/**
 * The demo fleet's plugin services as the plugins benchmark runs them: the fleet's control server
 * (fleet/control.ts, which serves fleet/plugins.ts under /plugins/…) in a child process of its own,
 * with no agents (the benchmark's upstream is bench/gateway/upstream.ts). Run as a child process:
 * `node --import tsx bench/plugins/service.ts`.
 */
import { startFleet } from "@/fleet";
import { startControlServer } from "@/fleet/control";
import { serveAsChild } from "../gateway/child";

async function main() {
  const fleet = await startFleet({ basePort: 0, agents: [] });
  const control = await startControlServer(fleet, { port: 0 });
  serveAsChild(control.url, async () => {
    await control.close();
    await fleet.stop();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
