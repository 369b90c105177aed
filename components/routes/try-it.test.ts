import { describe, expect, it } from "vitest";
import { attemptFlags, attemptOutcome, attemptProtocol } from "./try-it";

describe("try-it attempt labels", () => {
  it("puts the status and the error class in words", () => {
    expect(attemptOutcome({ status: 200, errorClass: null })).toBe("200 OK");
    expect(attemptOutcome({ status: 500, errorClass: "http_5xx" })).toBe("500 · Server error");
    expect(attemptOutcome({ status: 0, errorClass: "connect" })).toBe("Could not connect");
    expect(attemptOutcome({ status: 0, errorClass: "something_new" })).toBe("something_new");
  });

  it("names protocols as the badges do", () => {
    expect(attemptProtocol("OPENAI")).toBe("OpenAI-compatible");
    expect(attemptProtocol("a2a")).toBe("A2A");
    expect(attemptProtocol("grpc")).toBe("grpc");
    expect(attemptProtocol(null)).toBe("—");
  });

  it("lists the retry and failover flags", () => {
    expect(attemptFlags({ retry: false, failover: false })).toEqual([]);
    expect(attemptFlags({ retry: true, failover: true })).toEqual(["retry", "failover"]);
  });
});
