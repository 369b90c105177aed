import { describe, expect, it } from "vitest";
import { fieldErrorsOf, placeErrors } from "./form-errors";

const trpcError = (message: string, fieldErrors?: Record<string, unknown>) => Object.assign(new Error(message), { data: { code: "BAD_REQUEST", fieldErrors } });

describe("fieldErrorsOf", () => {
  it("reads the server's fieldErrors and ignores anything malformed", () => {
    expect(fieldErrorsOf(trpcError("x", { slug: ["Taken"], name: [], tags: "nope", url: [1, "Bad URL"] }))).toEqual({ slug: ["Taken"], url: ["Bad URL"] });
    expect(fieldErrorsOf(new Error("plain"))).toEqual({});
    expect(fieldErrorsOf(null)).toEqual({});
  });
});

describe("placeErrors", () => {
  const fields = ["url", "credential", "protocol"] as const;
  it("shows a message that names no field next to the fallback field, verbatim", () => {
    expect(placeErrors(trpcError("Could not reach agents.example: connection refused"), fields, "url")).toEqual({
      url: "Could not reach agents.example: connection refused",
    });
  });
  it("puts each field's message next to it", () => {
    expect(placeErrors(trpcError("credential: The secret is empty", { credential: ["The secret is empty"] }), fields, "url")).toEqual({
      credential: "The secret is empty",
    });
  });
  it("sends messages about fields the form does not show to the fallback", () => {
    expect(placeErrors(trpcError("orgSlug: bad; url: worse", { orgSlug: ["bad"], url: ["worse"] }), fields, "form")).toEqual({
      url: "worse",
      form: "bad",
    });
  });
  it("is empty without an error", () => {
    expect(placeErrors(null, fields, "url")).toEqual({});
  });
});

describe("placeErrors with nested paths", () => {
  it("puts an error under a shown field when its path is inside that field", () => {
    const error = trpcError("x", { "credential.headerName": ["Bad header"], "credential.value": ["Empty"] });
    expect(placeErrors(error, ["url", "credential"] as const, "url")).toEqual({ credential: "Bad header Empty" });
  });
});
