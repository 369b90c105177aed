import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  process.env.HELIX_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:5432/unused";
});

describe("agent credential encryption", () => {
  it("round-trips and never contains the plaintext", async () => {
    const { encryptSecret, decryptSecret } = await import("./crypto");
    const sealed = encryptSecret("sk-very-secret", "agent-1");
    expect(sealed).not.toContain("sk-very-secret");
    expect(Buffer.from(sealed.split(".")[2]!, "base64url").toString()).not.toContain("secret");
    expect(decryptSecret(sealed, "agent-1")).toBe("sk-very-secret");
  });

  it("uses a fresh IV every time", async () => {
    const { encryptSecret } = await import("./crypto");
    expect(encryptSecret("same", "a")).not.toBe(encryptSecret("same", "a"));
  });

  it("refuses a ciphertext moved to another agent or tampered with", async () => {
    const { encryptSecret, decryptSecret } = await import("./crypto");
    const sealed = encryptSecret("token", "agent-1");
    expect(() => decryptSecret(sealed, "agent-2")).toThrow();
    const [iv, tag, data] = sealed.split(".");
    const flipped = Buffer.from(data!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret([iv, tag, flipped.toString("base64url")].join("."), "agent-1")).toThrow();
  });
});
