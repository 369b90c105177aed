import { describe, expect, it } from "vitest";
import { apiKeyPrefix, hashApiKey, newApiKey } from "./secret";

describe("API key secrets", () => {
  it("have a visible prefix, a hash that is not the key, and are all different", () => {
    const a = newApiKey();
    const b = newApiKey();
    expect(a.secret.startsWith(`${a.prefix}_`)).toBe(true);
    expect(apiKeyPrefix(a.secret)).toBe(a.prefix);
    expect(a.hash).toBe(hashApiKey(a.secret));
    expect(a.hash).not.toContain(a.secret);
    expect(a.secret).not.toBe(b.secret);
  });

  it("recognise only well-formed keys", () => {
    expect(apiKeyPrefix("sk-openai-key")).toBeNull();
    expect(apiKeyPrefix("hx_12345678_short")).toBeNull();
    expect(apiKeyPrefix(`hx_1234567g_${"a".repeat(43)}`)).toBeNull();
  });
});
