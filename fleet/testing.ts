/** Helpers for the fleet's own tests (and for other tests that need a quiet, fast fleet). */
import type { Behaviour } from "./behaviour";
import { DEFAULT_FLEET, type AgentSpec } from "./catalog";
import { startFleet, type Fleet } from "./index";

/** No latency, no pacing, no errors: answers as fast as the machine allows. */
export const INSTANT: Partial<Behaviour> = { latencyMedianMs: 0, latencyP99Ms: 0, ttftMs: 0, tokensPerSecond: 0, errorRate: 0 };

/** DEFAULT_FLEET (or the given specs) on random loopback ports, with INSTANT behaviour. */
export function startTestFleet(agents: AgentSpec[] = DEFAULT_FLEET, seed = 1): Promise<Fleet> {
  return startFleet({ basePort: 0, agents, seed, behaviour: INSTANT });
}

export function specOf(id: string): AgentSpec {
  const spec = DEFAULT_FLEET.find((s) => s.id === id);
  if (!spec) throw new Error(`no default agent ${id}`);
  return spec;
}

/** The error code of a refused connection as surfaced by fetch (undici puts it on `cause`). */
export async function connectionError(url: string): Promise<string | undefined> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return undefined;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).message;
  }
}
