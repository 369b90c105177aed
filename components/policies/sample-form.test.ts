import { describe, expect, it } from "vitest";
import { sampleRequestInput } from "@/server/policies/schema";
import { emptySampleForm, newSampleHeader, readSampleForm } from "./sample-form";

const ROUTE = "crouteaaaaaaaaaaaaaaaaaaaa";

describe("readSampleForm", () => {
  it("builds the sample the API takes", () => {
    const read = readSampleForm({
      ...emptySampleForm(ROUTE),
      text: "Mail me at a@b.example",
      labels: "phi, eu",
      stream: true,
      subject: " user-7 ",
      headers: [newSampleHeader({ name: " X-Tenant ", value: "trial" }), newSampleHeader()],
    });
    expect(read.errors).toBeNull();
    expect(read.sample).toEqual({
      routeId: ROUTE,
      keyId: null,
      text: "Mail me at a@b.example",
      labels: ["PHI", "EU"],
      stream: true,
      subject: "user-7",
      headers: [{ name: "x-tenant", value: "trial" }],
    });
    expect(sampleRequestInput.safeParse(read.sample).success).toBe(true);
  });

  it("pretends to be sent at an hour (UTC) of today", () => {
    const read = readSampleForm({ ...emptySampleForm(ROUTE), hour: "3" }, new Date("2026-11-25T17:10:00Z"));
    expect(read.sample?.at).toEqual(new Date("2026-11-25T03:30:00Z"));
  });

  it("explains what is wrong", () => {
    const read = readSampleForm({ ...emptySampleForm(), labels: "top secret", hour: "24", headers: [newSampleHeader({ name: "bad header", value: "x" }), newSampleHeader({ value: "v" })] });
    expect(read.errors).toEqual({
      routeId: "Choose the route the request is sent to",
      labels: expect.stringMatching(/not a valid data label/),
      hour: "An hour is 0–23 (UTC)",
      "headers.0.name": "A header name is 1–64 letters, digits or - _ . characters",
      "headers.1.name": "Give the header's name, or clear its value",
    });
  });
});
