import { describe, expect, it } from "vitest";
import { formatLatency, formatRelativeTime, formatUtc } from "./time";

const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const ago = (seconds: number) => new Date(now - seconds * 1000);

describe("formatRelativeTime", () => {
  it("says just now for the last few seconds", () => {
    expect(formatRelativeTime(ago(3), now)).toBe("just now");
    expect(formatRelativeTime(ago(-3), now)).toBe("just now");
  });
  it("picks the largest unit that fits", () => {
    expect(formatRelativeTime(ago(30), now)).toBe("30 seconds ago");
    expect(formatRelativeTime(ago(50), now)).toBe("1 minute ago");
    expect(formatRelativeTime(ago(5 * 60), now)).toBe("5 minutes ago");
    expect(formatRelativeTime(ago(50 * 60), now)).toBe("1 hour ago");
    expect(formatRelativeTime(ago(90 * 60), now)).toBe("2 hours ago");
    expect(formatRelativeTime(ago(26 * 3600), now)).toBe("yesterday");
    expect(formatRelativeTime(ago(3 * 86400), now)).toBe("3 days ago");
    expect(formatRelativeTime(ago(65 * 86400), now)).toBe("2 months ago");
    expect(formatRelativeTime(ago(800 * 86400), now)).toBe("2 years ago");
  });
  it("handles the future (clock skew)", () => {
    expect(formatRelativeTime(ago(-120), now)).toBe("in 2 minutes");
  });
});

describe("formatUtc", () => {
  it("gives minutes in UTC", () => {
    expect(formatUtc(new Date(Date.UTC(2026, 0, 2, 3, 4, 59)))).toBe("2026-01-02 03:04 UTC");
  });
});

describe("formatLatency", () => {
  it("uses ms below a second and seconds above", () => {
    expect(formatLatency(42)).toBe("42 ms");
    expect(formatLatency(999.6)).toBe("1000 ms");
    expect(formatLatency(1250)).toBe("1.3 s");
    expect(formatLatency(12_400)).toBe("12 s");
  });
  it("shows a dash when unknown", () => {
    expect(formatLatency(null)).toBe("—");
    expect(formatLatency(undefined)).toBe("—");
  });
});
