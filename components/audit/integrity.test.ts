import { describe, expect, it } from "vitest";
import { auditExportHref, brokenEventHref, verificationHeadline } from "./integrity";

describe("verificationHeadline", () => {
  it("counts the events of an intact chain", () => {
    expect(verificationHeadline({ ok: true, checked: 1, firstBroken: null })).toBe("Chain intact (1 event)");
    expect(verificationHeadline({ ok: true, checked: 12345, firstBroken: null })).toBe("Chain intact (12,345 events)");
  });

  it("names where a broken chain breaks, or that an event is outside it", () => {
    const at = new Date("2026-03-04T23:59:59.999Z");
    expect(verificationHeadline({ ok: false, checked: 6, firstBroken: { id: "e7", seq: 7, at, reason: "x" } })).toBe("The chain breaks at event #7");
    expect(verificationHeadline({ ok: false, checked: 9, firstBroken: { id: "e", seq: null, at, reason: "x" } })).toBe("An event is outside the chain");
  });
});

describe("links", () => {
  it("filter the log to the broken event's UTC day and highlight it", () => {
    expect(brokenEventHref("acme", { id: "cev1", at: new Date("2026-03-04T23:59:59.999Z") })).toBe("/o/acme/audit?from=2026-03-04&to=2026-03-04&event=cev1");
  });

  it("point the export at the organization's route", () => {
    expect(auditExportHref("acme-labs")).toBe("/api/orgs/acme-labs/audit/export");
  });
});
