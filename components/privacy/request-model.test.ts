import { describe, expect, it } from "vitest";
import { confirmsSubject, describeResult, exportUrl, pollInterval, POLL_MS, recordsIn } from "./request-model";

describe("pollInterval", () => {
  it("polls while a request is queued or running, and stops when all are done", () => {
    expect(pollInterval(undefined)).toBe(false);
    expect(pollInterval([])).toBe(false);
    expect(pollInterval([{ status: "COMPLETED" }, { status: "FAILED" }])).toBe(false);
    expect(pollInterval([{ status: "COMPLETED" }, { status: "PENDING" }])).toBe(POLL_MS);
    expect(pollInterval([{ status: "RUNNING" }])).toBe(POLL_MS);
  });
});

describe("describeResult", () => {
  it("says when nothing is stored about the subject, for either kind", () => {
    const none = { requests: 0, attempts: 0, feedback: 0 };
    expect(describeResult("ERASE", none)).toBe("Nothing stored about this subject: nothing to erase");
    expect(describeResult("EXPORT", { ...none, priorRequests: 0 })).toBe("Nothing stored about this subject");
    expect(describeResult("EXPORT", { ...none, priorRequests: 2 })).toBe("Nothing stored about this subject; 2 earlier requests");
  });

  it("names what was found or erased, leaving out zero counts", () => {
    expect(describeResult("EXPORT", { requests: 3, attempts: 1, feedback: 0, priorRequests: 1 })).toBe("Found: 3 requests, 1 agent attempt; 1 earlier request");
    expect(describeResult("ERASE", { requests: 1200, attempts: 1300, feedback: 1 })).toBe("Erased: 1,200 requests, 1,300 agent attempts, 1 feedback");
    expect(describeResult("ERASE", null)).toBe("");
  });

  it("counts records", () => {
    expect(recordsIn(null)).toBe(0);
    expect(recordsIn({ requests: 1, attempts: 2, feedback: 3, priorRequests: 4 })).toBe(10);
  });
});

describe("exportUrl and confirmsSubject", () => {
  it("builds the download path with encoded segments", () => {
    expect(exportUrl("acme", "cabc123")).toBe("/api/orgs/acme/privacy/requests/cabc123/export");
  });

  it("unlocks erasing only for the exact subject", () => {
    expect(confirmsSubject("alice@example.com", "alice@example.com")).toBe(true);
    expect(confirmsSubject("alice@example.com", "Alice@example.com")).toBe(false);
    expect(confirmsSubject("alice@example.com", "alice@example.com ")).toBe(false);
    expect(confirmsSubject("", "")).toBe(false);
  });
});
