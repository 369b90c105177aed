/**
 * A gentle stream of demo traffic through the gateway, so a newcomer's console shows live requests:
 * every couple of seconds one chat completion (now and then streamed) on one of the demo routes,
 * with the demo API key. `npm start` runs it where it seeded the demo (HELIX_DEMO_TRAFFIC=0 turns it
 * off); by hand: `tsx server/demo/traffic.ts <gatewayUrl> <keyFile>`.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const PROMPTS: Record<string, string[]> = {
  "helix-chat": ["Hello! What can you do?", "summarize: Gateways route requests to agents and keep them healthy.", "Explain retries with a budget in one sentence."],
  "helix-mixed": ["summarize: The demo fleet answers deterministically, with latency you can change at run time.", "Give me the key points of a resilient design."],
  travel: ["Find me a flight from Paris to Lisbon next Friday", "Plan a two-day itinerary in Rome"],
  translate: ["translate to french: good morning", "translate to german: thank you very much", "detect language: hola mundo"],
};

async function send(gatewayUrl: string, key: string, alias: string, content: string, stream: boolean): Promise<number> {
  const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-helix-subject": "demo-user" },
    body: JSON.stringify({ model: alias, messages: [{ role: "user", content }], stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }),
    signal: AbortSignal.timeout(60_000),
  });
  await res.arrayBuffer(); // read the whole answer (for streams: until [DONE])
  return res.status;
}

async function main() {
  const [gatewayUrl = `http://127.0.0.1:${process.env.HELIX_GATEWAY_PORT ?? 8080}`, keyFile = ".helix/demo-api-key"] = process.argv.slice(2);
  const key = readFileSync(keyFile, "utf8").trim();
  const intervalMs = Number(process.env.HELIX_DEMO_TRAFFIC_INTERVAL_MS ?? 2_000);
  // The routes the key may use, as the gateway lists them (the demo routes, and any added later).
  const models = await fetch(`${gatewayUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(10_000) });
  if (!models.ok) throw new Error(`the gateway answered ${models.status} to GET /v1/models with the demo key`);
  const aliases = ((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id);
  if (aliases.length === 0) throw new Error("the demo key may use no route");
  let lastWarning = 0;
  let sent = 0;
  console.log(`Demo traffic: one request about every ${intervalMs} ms through ${gatewayUrl} (${aliases.join(", ")})`);
  for (;;) {
    const alias = aliases[Math.floor(Math.random() * aliases.length)]!;
    const prompts = PROMPTS[alias] ?? ["Hello! What can you do?"];
    const prompt = prompts[Math.floor(Math.random() * prompts.length)]!;
    try {
      const status = await send(gatewayUrl, key, alias, prompt, Math.random() < 0.3);
      sent++;
      if (status >= 400 && Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        console.warn(`Demo traffic: ${alias} answered ${status} (request ${sent}); the console's route page shows why.`);
      }
    } catch (error) {
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        console.warn(`Demo traffic: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await sleep(intervalMs * (0.5 + Math.random()));
  }
}

main().catch((error: unknown) => {
  console.error(`Demo traffic stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
