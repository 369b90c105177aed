import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedPayload } from "@/server/marketplace/manifest";
import { generateSigningKeyPair, signVersion, verifyVersion } from "@/server/marketplace/signing";
import { BrowserSigningError, importSigningKey, pkcs8FromPem, signedPayloadBytes, signInBrowser } from "./browser-signing";

// WebCrypto here is Node's (globalThis.crypto.subtle), the same API the browser has; what it makes
// must be what the server's node:crypto code expects.

const manifest = { kind: "GATEWAY_PLUGIN", serviceUrl: "https://plugins.example.com/hook", hooks: ["before_request"], configSchema: { type: "object", properties: { "ü": { type: "string" } } } };

describe("signing in the browser", () => {
  it("derives the server's key id and makes the signature the server verifies (and node:crypto would make)", async () => {
    const pair = generateSigningKeyPair();
    const key = await importSigningKey(pair.privateKey);
    expect(key.keyId).toBe(pair.keyId);
    expect(key.publicKey).toBe(pair.publicKey);

    const opts = { listing: "keyword-blocker", version: "1.2.0", manifest };
    const signature = await signInBrowser(key, opts);
    expect(signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(verifyVersion({ publicKey: pair.publicKey, signature, ...opts })).toBe(true);
    // Ed25519 is deterministic: the same bytes, the same signature as the server-side helper.
    expect(signature).toBe(signVersion({ privateKey: pair.privateKey, ...opts }));
    expect(verifyVersion({ publicKey: pair.publicKey, signature, ...opts, version: "1.2.1" })).toBe(false);
  });

  it("signs exactly the server's payload bytes", () => {
    const opts = { listing: "x", version: "1.0.0", manifest: { b: 1, a: [1, "é", null], c: undefined } };
    expect(Buffer.from(signedPayloadBytes(opts)).equals(signedPayload(opts))).toBe(true);
  });

  it("refuses what is not an unencrypted ed25519 PKCS#8 private key, saying what to give instead", async () => {
    const pair = generateSigningKeyPair();
    const publicPem = `-----BEGIN PUBLIC KEY-----\n${Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(pair.publicKey, "base64")]).toString("base64")}\n-----END PUBLIC KEY-----`;
    await expect(importSigningKey(publicPem)).rejects.toThrow(/public key; signing needs the private key/);
    await expect(importSigningKey("not a key")).rejects.toThrow(BrowserSigningError);
    expect(() => pkcs8FromPem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----")).toThrow(/encrypted/);
    expect(() => pkcs8FromPem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----")).toThrow(/malformed/);

    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    await expect(importSigningKey(rsa)).rejects.toThrow(/not an ed25519 private key/);
  });

  it("takes the PEM with surrounding text and Windows line ends", async () => {
    const pair = generateSigningKeyPair();
    const pasted = `my key:\r\n${pair.privateKey.replace(/\n/g, "\r\n")}\r\n`;
    expect((await importSigningKey(pasted)).keyId).toBe(pair.keyId);
  });
});
