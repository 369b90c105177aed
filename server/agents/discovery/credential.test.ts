import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/errors/domain-error";
import { credentialHeaderNames, credentialHeaders } from "./credential";

describe("credentialHeaders", () => {
  it.each([
    ["OPENAI", { kind: "bearer", value: "t" }, { authorization: "Bearer t" }],
    ["A2A", { kind: "bearer", value: "t" }, { authorization: "Bearer t" }],
    ["OPENAI", { kind: "api_key", value: "sk" }, { authorization: "Bearer sk" }],
    ["A2A", { kind: "api_key", value: "k" }, { "x-api-key": "k" }],
    ["MCP", { kind: "api_key", value: "k" }, { "x-api-key": "k" }],
    ["MCP", { kind: "header", headerName: "X-Tenant-Token", value: "v" }, { "x-tenant-token": "v" }],
  ] as const)("%s %j → %j", (protocol, credential, headers) => {
    expect(credentialHeaders(protocol, credential)).toEqual(headers);
  });

  it("sends nothing without a credential", () => {
    expect(credentialHeaders("A2A", null)).toEqual({});
    expect(credentialHeaders("A2A", undefined)).toEqual({});
  });

  it.each([
    [{ kind: "header", headerName: null, value: "v" }],
    [{ kind: "header", headerName: "Bad Header", value: "v" }],
    [{ kind: "header", headerName: "Host", value: "v" }],
    [{ kind: "header", headerName: "Content-Length", value: "v" }],
    [{ kind: "bearer", value: "" }],
    [{ kind: "bearer", value: "a\r\nX-Injected: 1" }],
  ] as const)("refuses %j as BAD_REQUEST on the credential field", (credential) => {
    try {
      credentialHeaders("MCP", credential);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ kind: "BAD_REQUEST", field: "credential" });
    }
  });

  it("names the custom header as secret, so redirects off-origin drop it", () => {
    expect(credentialHeaderNames({ kind: "header", headerName: "X-Token", value: "v" })).toEqual(["x-token"]);
    expect(credentialHeaderNames({ kind: "bearer", value: "v" })).toEqual([]);
  });
});
