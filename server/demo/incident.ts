/**
 * A latency incident on the running demo fleet: Atlas Chat answers slowly for a while, then
 * recovers. With demo traffic flowing, the p95 anomaly rule fires within a few minutes and resolves
 * after the agent is back to normal.
 *
 *   npm run demo:incident            # 10 minutes
 *   npm run demo:incident -- 3       # 3 minutes
 *
 * FLEET_BASE_PORT (default 4100) locates the fleet; its control API listens one port below.
 */
const AGENT = "atlas-chat";
const SLOW = { latencyMedianMs: 1500, latencyP99Ms: 4000 };

interface Behaviour {
  latencyMedianMs?: number;
  latencyP99Ms?: number;
}

async function call(url: string, method: "GET" | "PATCH", body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: body ? { "content-type": "application/json" } : undefined,
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

async function main() {
  const minutes = Number(process.argv[2] ?? process.env.INCIDENT_MINUTES ?? 10);
  if (!(minutes > 0 && minutes <= 240)) throw new Error("Give the incident's length in minutes, 1–240");
  const control = `http://127.0.0.1:${Number(process.env.FLEET_BASE_PORT ?? 4100) - 1}/agents/${AGENT}`;

  let before: Behaviour;
  try {
    const status = (await call(control, "GET")) as { behaviour?: Behaviour };
    before = { latencyMedianMs: status.behaviour?.latencyMedianMs, latencyP99Ms: status.behaviour?.latencyP99Ms };
  } catch (error) {
    throw new Error(`The demo fleet's control API is not reachable at ${control} (is \`npm start\` or \`npm run fleet\` running?): ${(error as Error).message}`);
  }
  const restore = Object.fromEntries(Object.entries(before).filter(([, v]) => typeof v === "number"));

  let restored = false;
  const recover = async () => {
    if (restored) return;
    restored = true;
    await call(control, "PATCH", restore);
    console.log(`${AGENT} restored (${JSON.stringify(restore)}).`);
  };
  const onSignal = () => {
    void recover().finally(() => process.exit(0));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  await call(control, "PATCH", SLOW);
  console.log(`${AGENT} is slow for ${minutes} min (median ${SLOW.latencyMedianMs} ms, p99 ${SLOW.latencyP99Ms} ms). Watch the Alerts page; Ctrl-C restores it early.`);
  await new Promise((resolve) => setTimeout(resolve, minutes * 60_000));
  await recover();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
