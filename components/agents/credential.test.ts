import { describe, expect, it } from "vitest";
import { credentialFromDraft, credentialUpdate, describeCredential, emptyCredentialDraft } from "./credential";

describe("credentialFromDraft", () => {
  it("is null for none, whatever else was typed", () => {
    expect(credentialFromDraft(emptyCredentialDraft)).toBeNull();
    expect(credentialFromDraft({ kind: "NONE", headerName: "X-A", value: "s" })).toBeNull();
  });
  it("keeps the header name only for a custom header", () => {
    expect(credentialFromDraft({ kind: "BEARER", headerName: "X-A", value: "tok" })).toEqual({ kind: "BEARER", value: "tok" });
    expect(credentialFromDraft({ kind: "API_KEY", headerName: "", value: "k" })).toEqual({ kind: "API_KEY", value: "k" });
    expect(credentialFromDraft({ kind: "HEADER", headerName: " X-Agent-Token ", value: " v " })).toEqual({
      kind: "HEADER",
      headerName: "X-Agent-Token",
      value: " v ",
    });
  });
});

describe("credentialUpdate", () => {
  const draft = { kind: "BEARER" as const, headerName: "", value: "new" };
  it("leaves the field out to keep, sends null to remove, the new credential to replace", () => {
    expect(credentialUpdate("keep", draft)).toBeUndefined();
    expect(credentialUpdate("remove", draft)).toBeNull();
    expect(credentialUpdate("replace", draft)).toEqual({ kind: "BEARER", value: "new" });
  });
});

describe("describeCredential", () => {
  it("says whether one is set and of what kind", () => {
    expect(describeCredential(null)).toBe("Not set");
    expect(describeCredential({ kind: "BEARER", headerName: null, set: true })).toBe("Set (Bearer)");
    expect(describeCredential({ kind: "API_KEY", headerName: null, set: true })).toBe("Set (API key)");
    expect(describeCredential({ kind: "HEADER", headerName: "X-Token", set: true })).toBe("Set (header X-Token)");
  });
});
