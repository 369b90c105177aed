/**
 * `tsx fleet/main.ts` (npm run fleet): starts the demo fleet on 127.0.0.1:4100+ (FLEET_BASE_PORT,
 * FLEET_HOST; FLEET_BASE_PORT=0 picks random ports) and its control API on the port below,
 * prints what to register, runs until SIGINT or SIGTERM.
 */
import { startDemoFleet, type DemoFleet } from "./control";

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || (port !== 0 && (port < 2 || port > 65535))) {
    throw new Error(`FLEET_BASE_PORT must be 0 (random ports) or an integer between 2 and 65535, got '${value}'`);
  }
  return port;
}

function print(demo: DemoFleet): void {
  const rows = demo.fleet.agents.map((a) => [a.name, a.protocol, a.url]);
  const widths = [0, 1].map((col) => Math.max(...rows.map((r) => (r[col] ?? "").length)));
  console.log("HelixAgent demo fleet is running. Register these agents:\n");
  for (const [name = "", protocol = "", url = ""] of rows) {
    console.log(`  ${name.padEnd(widths[0] ?? 0)}  ${protocol.padEnd(widths[1] ?? 0)}  ${url}`);
  }
  console.log(`\nControl API: ${demo.control.url}/agents  (PATCH /agents/:id with a behaviour patch; POST /agents/:id/stop|start)`);
  console.log("Ctrl-C stops the fleet.");
}

async function main(): Promise<void> {
  const demo = await startDemoFleet({
    host: process.env.FLEET_HOST || "127.0.0.1",
    basePort: parsePort(process.env.FLEET_BASE_PORT, 4100),
  });
  print(demo);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the fleet…`);
    demo.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(`fleet: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
