import { describe, expect, it } from "vitest";
import { atlasReply, countTokens, detectLanguage, novaReply, summarizerReply, tokenChunks, translatorReply, travelReply } from "./answers";
import { BehaviourController, createRng, DEFAULT_BEHAVIOUR, logNormalParams, mergeBehaviour, sleep } from "./behaviour";

describe("seeded randomness", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("fits a log-normal to the median and p99", () => {
    const { mu, sigma } = logNormalParams(50, 400);
    expect(Math.exp(mu)).toBeCloseTo(50, 9);
    expect(Math.exp(mu + 2.3263478740408408 * sigma)).toBeCloseTo(400, 6);
    expect(logNormalParams(50, 50).sigma).toBe(0);

    const controller = new BehaviourController({ ...DEFAULT_BEHAVIOUR, latencyMedianMs: 50, latencyP99Ms: 400 }, 7);
    const samples = Array.from({ length: 4000 }, () => controller.sampleLatencyMs()).sort((x, y) => x - y);
    const median = samples[Math.floor(samples.length / 2)] ?? 0;
    const p99 = samples[Math.floor(samples.length * 0.99)] ?? 0;
    expect(median).toBeGreaterThan(40);
    expect(median).toBeLessThan(62);
    expect(p99).toBeGreaterThan(250);
    expect(p99).toBeLessThan(650);
  });

  it("gives constant latency when median = p99 and zero when the median is zero", () => {
    const fixed = new BehaviourController({ ...DEFAULT_BEHAVIOUR, latencyMedianMs: 30, latencyP99Ms: 30 }, 1);
    expect(new Set(Array.from({ length: 20 }, () => Math.round(fixed.sampleLatencyMs()))).size).toBe(1);
    const none = new BehaviourController({ ...DEFAULT_BEHAVIOUR, latencyMedianMs: 0, latencyP99Ms: 0 }, 1);
    expect(none.sampleLatencyMs()).toBe(0);
  });

  it("fails about errorRate of the time, reproducibly", () => {
    const run = () => {
      const controller = new BehaviourController({ ...DEFAULT_BEHAVIOUR, errorRate: 0.3 }, 99);
      return Array.from({ length: 1000 }, () => controller.shouldFail());
    };
    const first = run();
    expect(run()).toEqual(first);
    const failures = first.filter(Boolean).length;
    expect(failures).toBeGreaterThan(240);
    expect(failures).toBeLessThan(360);
  });
});

describe("behaviour validation", () => {
  it("merges valid patches and rejects invalid ones with a message", () => {
    expect(mergeBehaviour(DEFAULT_BEHAVIOUR, { errorRate: 0.5 }).errorRate).toBe(0.5);
    expect(() => mergeBehaviour(DEFAULT_BEHAVIOUR, { errorRate: 1.5 })).toThrow(/errorRate/);
    expect(() => mergeBehaviour(DEFAULT_BEHAVIOUR, { latencyMedianMs: -1 })).toThrow(/latencyMedianMs/);
    expect(() => mergeBehaviour(DEFAULT_BEHAVIOUR, { latencyMedianMs: 500, latencyP99Ms: 100 })).toThrow(/latencyP99Ms/);
    expect(() => mergeBehaviour(DEFAULT_BEHAVIOUR, { bogus: 1 } as never)).toThrow(/bogus/);
  });

  it("sleep resolves, and rejects when aborted", async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
  });
});

describe("deterministic answers", () => {
  it("counts and chunks tokens so that chunks join back to the text", () => {
    expect(countTokens("  a  b\nc ")).toBe(3);
    expect(countTokens("   ")).toBe(0);
    const text = "  hello   big\nworld ";
    expect(tokenChunks(text).join("")).toBe(text);
    expect(tokenChunks(text)).toHaveLength(3);
  });

  it("answers the same input the same way", () => {
    expect(atlasReply("atlas-small", "summarize: One. Two three.")).toBe("atlas-small: Summary: One. (3 words)");
    expect(novaReply("nova-code", "def greet(name):\n    return name")).toBe(
      "nova-code: This looks like Python: 2 lines. It defines greet.",
    );
    expect(translatorReply("translate to German: Hello friend")).toBe("German: Hallo freund");
    expect(translatorReply("translate: constructor toString")).toBe("Spanish: constructor toString");
    expect(detectLanguage("bonjour le monde").code).toBe("fr");
    expect(summarizerReply("key points: Sales grew. Sales churn fell. Costs rose.")).toBe(
      "Key points (3 sentences; terms: sales, grew, churn):\n1. Sales grew.\n2. Sales churn fell.\n3. Costs rose.",
    );
    const flight = travelReply("Find a flight from Berlin to Lisbon next Friday");
    expect(flight).toMatch(/^Flight search: .+ from Berlin to Lisbon, departs \d\d:\d\d, \d+ EUR/);
    expect(travelReply("Find a flight from Berlin to Lisbon next Friday")).toBe(flight);
    expect(travelReply("Plan a 2 day trip to Rome")).toMatch(/^Itinerary for Rome: Day 1: .+; Day 2: .+\.$/);
  });
});
