import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkSignature, generateSigningKeyPair, KEY_ID_PATTERN, keyFingerprint, parsePublicKey, signVersion, verifyVersion } from "./signing";

const manifest = { kind: "GATEWAY_PLUGIN", serviceUrl: "https://plugins.example.com/hook", hooks: ["before_request"], configSchema: { type: "object", properties: { a: { type: "string" } } } };

describe("ed25519 signing of versions", () => {
  const keys = generateSigningKeyPair();
  const signature = signVersion({ privateKey: keys.privateKey, listing: "keyword-blocker", version: "1.0.0", manifest });
  const base = { publicKey: keys.publicKey, signature, listing: "keyword-blocker", version: "1.0.0", manifest };

  it("verifies what was signed, whatever the key order of the manifest", () => {
    expect(signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(verifyVersion(base)).toBe(true);
    const reordered = { configSchema: manifest.configSchema, hooks: manifest.hooks, serviceUrl: manifest.serviceUrl, kind: manifest.kind };
    expect(verifyVersion({ ...base, manifest: reordered })).toBe(true);
  });

  it("refuses a tampered manifest, another version or another listing", () => {
    expect(verifyVersion({ ...base, manifest: { ...manifest, serviceUrl: "https://evil.example.com/hook" } })).toBe(false);
    expect(verifyVersion({ ...base, manifest: { ...manifest, hooks: ["before_request", "after_response"] } })).toBe(false);
    expect(verifyVersion({ ...base, version: "1.0.1" })).toBe(false);
    expect(verifyVersion({ ...base, listing: "other-listing" })).toBe(false);
  });

  it("refuses another key, a garbled signature and garbage", () => {
    expect(verifyVersion({ ...base, publicKey: generateSigningKeyPair().publicKey })).toBe(false);
    const flipped = Buffer.from(signature, "base64");
    flipped[10] = flipped[10]! ^ 1;
    expect(verifyVersion({ ...base, signature: flipped.toString("base64") })).toBe(false);
    expect(verifyVersion({ ...base, signature: "not a signature" })).toBe(false);
    expect(verifyVersion({ ...base, publicKey: "AAAA" })).toBe(false);
  });
});

describe("public keys", () => {
  it("takes the raw key in base64 or a PEM block, and names it by fingerprint", () => {
    const keys = generateSigningKeyPair();
    const raw = parsePublicKey(keys.publicKey);
    expect(raw).toHaveLength(32);
    expect(keyFingerprint(raw)).toBe(keys.keyId);
    expect(keys.keyId).toMatch(KEY_ID_PATTERN);
    const { publicKey } = generateKeyPairSync("ed25519");
    const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
    expect(parsePublicKey(pem).equals(Buffer.from(publicKey.export({ format: "der", type: "spki" }).subarray(-32)))).toBe(true);
  });

  it("refuses other kinds of keys and garbage with a message saying what to give", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "pem", type: "spki" }).toString();
    expect(() => parsePublicKey(rsa)).toThrow("That is a rsa key; the marketplace takes ed25519 public keys only");
    expect(() => parsePublicKey("hello world")).toThrow("not an ed25519 public key");
    expect(() => parsePublicKey(Buffer.alloc(31).toString("base64"))).toThrow("not an ed25519 public key");
  });
});

describe("checkSignature", () => {
  const mine = generateSigningKeyPair();
  const theirs = generateSigningKeyPair();
  const payload = { listing: "pii-pack", version: "2.0.0", manifest };
  const check = (over: Partial<Parameters<typeof checkSignature>[0]>) =>
    checkSignature({
      signature: signVersion({ privateKey: mine.privateKey, ...payload }),
      keyId: mine.keyId,
      ...payload,
      publisherName: "Acme",
      publisherKeys: [{ keyId: mine.keyId, publicKey: mine.publicKey }],
      keyOwnedElsewhere: false,
      ...over,
    });

  it("accepts a signature by one of the publisher's keys", () => {
    expect(check({})).toEqual({ ok: true, keyId: mine.keyId });
  });

  it("says why a signature is refused", () => {
    expect(check({ keyId: theirs.keyId, signature: signVersion({ privateKey: theirs.privateKey, ...payload }), keyOwnedElsewhere: true })).toMatchObject({
      ok: false,
      reason: "foreign_key",
      message: expect.stringContaining("belongs to another publisher, not to Acme"),
    });
    expect(check({ keyId: theirs.keyId })).toMatchObject({ ok: false, reason: "unknown_key", message: expect.stringContaining("is not registered to Acme") });
    expect(check({ signature: signVersion({ privateKey: theirs.privateKey, ...payload }) })).toMatchObject({ ok: false, reason: "mismatch" });
    expect(check({ manifest: { ...manifest, timeoutMs: 50 } })).toMatchObject({ ok: false, reason: "mismatch", message: expect.stringContaining("does not verify") });
    expect(check({ signature: "abc" })).toMatchObject({ ok: false, reason: "malformed" });
  });
});
