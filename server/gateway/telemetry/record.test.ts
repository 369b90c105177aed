import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TelemetryRecord } from "../types";
import { dayLiteral, normalizeRecord, utcDay } from "./record";
import { sampleRecord } from "./testing";

describe("normalizeRecord", () => {
  it("keeps a well-formed record as it is", () => {
    const r = sampleRecord({ at: 1_764_085_500_123, subject: "user-7", errorClass: "http_5xx" });
    expect(normalizeRecord(r)).toEqual(r);
  });

  it("makes values Postgres would reject acceptable", () => {
    const r = normalizeRecord({
      ...sampleRecord(),
      subject: "a\u0000b",
      latencyMs: Number.NaN,
      tokensIn: 1e12,
      ttftMs: 12.6,
      costUsd: Number.POSITIVE_INFINITY,
      model: "m".repeat(5000),
      at: 1e20,
    });
    expect(r.subject).toBe("ab");
    expect(r.latencyMs).toBe(0);
    expect(r.tokensIn).toBe(2_147_483_647);
    expect(r.ttftMs).toBe(13);
    expect(r.costUsd).toBeNull();
    expect(r.model).toHaveLength(1024);
    expect(Math.abs(r.at - Date.now())).toBeLessThan(5_000);
  });

  it("gives a record without an id one, and a request its own id as request id", () => {
    const r = normalizeRecord({ kind: "request", orgId: "o", at: 5 });
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.requestId).toBe(r.id);
    expect(r.at).toBe(5);
  });

  it("is idempotent and survives a JSON round trip unchanged (what the spool relies on)", () => {
    const anything = fc.record(
      {
        id: fc.oneof(fc.string(), fc.constant(undefined)),
        kind: fc.oneof(fc.constantFrom("request", "attempt"), fc.string()),
        requestId: fc.string(),
        at: fc.oneof(fc.integer({ min: 0, max: 4e12 }), fc.double(), fc.constantFrom(undefined, -0, 0.5)),
        orgId: fc.string(),
        apiKeyId: fc.option(fc.string()),
        protocol: fc.string(),
        model: fc.option(fc.oneof(fc.string({ unit: "binary" }), fc.string({ minLength: 1020, maxLength: 1030 }))),
        stream: fc.oneof(fc.boolean(), fc.string(), fc.integer()),
        status: fc.oneof(fc.integer(), fc.double()),
        latencyMs: fc.oneof(fc.double(), fc.constantFrom(-0, -0.4)),
        ttftMs: fc.option(fc.double()),
        tokensIn: fc.oneof(fc.integer(), fc.bigInt().map(String)),
        costUsd: fc.option(fc.oneof(fc.double(), fc.constantFrom(-0, 0))),
        subject: fc.option(fc.string({ unit: "binary" })),
        traceId: fc.string(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(anything, (input) => {
        const once = normalizeRecord(input as Partial<Record<keyof TelemetryRecord, unknown>>);
        expect(normalizeRecord(once)).toEqual(once);
        expect(normalizeRecord(JSON.parse(JSON.stringify(once)))).toEqual(once);
      }),
    );
  });
});

describe("UTC days", () => {
  it("maps a time to its UTC day and back to a date literal", () => {
    expect(dayLiteral(utcDay(Date.UTC(2026, 10, 25, 23, 59, 59, 999)))).toBe("2026-11-25");
    expect(dayLiteral(utcDay(Date.UTC(2026, 10, 26)))).toBe("2026-11-26");
  });
});
