import { describe, expect, it } from "vitest";
import { hashPassword, passwordSchema, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the password a hash was made from", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
  });

  it("salts: the same password hashes differently each time", async () => {
    expect(await hashPassword("same password 123")).not.toBe(await hashPassword("same password 123"));
  });

  it("rejects a wrong password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword(hash, "correct horse battery stapl")).toBe(false);
    expect(await verifyPassword(hash, "")).toBe(false);
  });

  it("rejects any password for a user without a hash (SSO-only or unknown user)", async () => {
    expect(await verifyPassword(null, "anything at all")).toBe(false);
    expect(await verifyPassword(undefined, "anything at all")).toBe(false);
    expect(await verifyPassword("", "anything at all")).toBe(false);
  });

  it("answers false, not an exception, for a corrupt stored hash", async () => {
    expect(await verifyPassword("not-a-phc-string", "whatever")).toBe(false);
  });

  it("asks for 10 to 200 characters with messages a person can act on", () => {
    expect(passwordSchema.safeParse("short").error?.issues[0]?.message).toBe("A password has at least 10 characters");
    expect(passwordSchema.safeParse("x".repeat(201)).error?.issues[0]?.message).toBe("A password has at most 200 characters");
    expect(passwordSchema.safeParse("long enough!").success).toBe(true);
  });
});
