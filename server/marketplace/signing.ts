import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { signedPayload } from "./manifest";

/*
 * ed25519 signatures over a version's signed payload (manifest.ts `signedPayload`), with node:crypto.
 * A publisher registers public keys; each version names the key it was signed with by fingerprint.
 * Public keys travel as base64 of the raw 32 bytes, or as a PEM/DER SPKI ("BEGIN PUBLIC KEY").
 */

/** The fixed DER prefix of an ed25519 SubjectPublicKeyInfo; the raw key's 32 bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export class SigningError extends Error {
  override name = "SigningError";
}

/** Raw public key bytes from base64 (raw or DER SPKI) or PEM. Throws a SigningError a person can act on. */
export function parsePublicKey(text: string): Buffer {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith("-----BEGIN")) {
      key = createPublicKey({ key: trimmed, format: "pem" });
    } else {
      if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new SigningError("not base64");
      const bytes = Buffer.from(trimmed, "base64");
      const der = bytes.length === 32 ? Buffer.concat([ED25519_SPKI_PREFIX, bytes]) : bytes;
      key = createPublicKey({ key: der, format: "der", type: "spki" });
    }
  } catch {
    throw new SigningError("That is not an ed25519 public key: give the raw 32-byte key in base64, or a PEM \"BEGIN PUBLIC KEY\" block");
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new SigningError(`That is a ${key.asymmetricKeyType ?? "unknown"} key; the marketplace takes ed25519 public keys only`);
  }
  const der = key.export({ format: "der", type: "spki" });
  return Buffer.from(der.subarray(der.length - 32));
}

function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

/** "ed25519:" + hex of the first 16 bytes of SHA-256 of the raw key. */
export function keyFingerprint(raw: Buffer): string {
  return `ed25519:${createHash("sha256").update(raw).digest().subarray(0, 16).toString("hex")}`;
}
export const KEY_ID_PATTERN = /^ed25519:[0-9a-f]{32}$/;

export interface SigningKeyPair {
  /** Raw 32-byte public key, base64: what a publisher registers. */
  publicKey: string;
  /** PKCS#8 PEM private key: stays with the publisher. */
  privateKey: string;
  keyId: string;
}

/** A fresh key pair (the demo seed and tests; publishers make theirs with any ed25519 tool). */
export function generateSigningKeyPair(): SigningKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "der", type: "spki" }).subarray(-32));
  return { publicKey: raw.toString("base64"), privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(), keyId: keyFingerprint(raw) };
}

/** Signs a version's payload; returns the signature in base64. */
export function signVersion(opts: { privateKey: string; listing: string; version: string; manifest: unknown }): string {
  return sign(null, signedPayload(opts), opts.privateKey).toString("base64");
}

const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;

/** True when `signature` (base64) is a valid ed25519 signature of the version's payload by `publicKey` (raw, base64). */
export function verifyVersion(opts: { publicKey: string; signature: string; listing: string; version: string; manifest: unknown }): boolean {
  if (!SIGNATURE_PATTERN.test(opts.signature)) return false;
  try {
    return verify(null, signedPayload(opts), publicKeyObject(Buffer.from(opts.publicKey, "base64")), Buffer.from(opts.signature, "base64"));
  } catch {
    return false;
  }
}

export type SignatureCheck =
  | { ok: true; keyId: string }
  | { ok: false; reason: "malformed" | "unknown_key" | "foreign_key" | "mismatch"; message: string };

/**
 * Decides whether a version may be published with this signature: the key must be one of the
 * listing's publisher's keys (a key of another publisher, or no known key, is refused) and the
 * signature must verify over exactly this listing, version and manifest.
 */
export function checkSignature(opts: {
  signature: string;
  keyId: string;
  listing: string;
  version: string;
  manifest: unknown;
  publisherName: string;
  /** The publisher's own keys. */
  publisherKeys: readonly { keyId: string; publicKey: string }[];
  /** Whether the key id is registered to another publisher (for the message). */
  keyOwnedElsewhere: boolean;
}): SignatureCheck {
  if (!SIGNATURE_PATTERN.test(opts.signature.trim())) {
    return { ok: false, reason: "malformed", message: "The signature is not an ed25519 signature: give the 64-byte signature in base64 (88 characters)" };
  }
  const key = opts.publisherKeys.find((k) => k.keyId === opts.keyId);
  if (!key) {
    return opts.keyOwnedElsewhere
      ? { ok: false, reason: "foreign_key", message: `Key ${opts.keyId} belongs to another publisher, not to ${opts.publisherName}: sign with one of ${opts.publisherName}'s own keys` }
      : { ok: false, reason: "unknown_key", message: `Key ${opts.keyId} is not registered to ${opts.publisherName}: add its public key to the publisher first` };
  }
  const ok = verifyVersion({ publicKey: key.publicKey, signature: opts.signature.trim(), listing: opts.listing, version: opts.version, manifest: opts.manifest });
  if (!ok) {
    return {
      ok: false,
      reason: "mismatch",
      message: `The signature does not verify with key ${opts.keyId}: the manifest, version or listing differs from what was signed, or it was signed with another key. Sign the canonical JSON of { listing: "${opts.listing}", manifest, version: "${opts.version}" } again`,
    };
  }
  return { ok: true, keyId: key.keyId };
}
