import { canonicalJson } from "@/server/marketplace/manifest";

/*
 * Signing a version in the browser with WebCrypto (Ed25519), so a publisher's private key never
 * leaves their machine. The bytes signed are exactly the server's signed payload
 * (server/marketplace/manifest.ts `signedPayload`: the canonical JSON of { listing, manifest,
 * version } as UTF-8), and the key id is the server's fingerprint (server/marketplace/signing.ts
 * `keyFingerprint`: "ed25519:" + hex of the first 16 bytes of SHA-256 of the raw public key).
 */

export class BrowserSigningError extends Error {
  override name = "BrowserSigningError";
}

/** The subset of WebCrypto used here (globalThis.crypto.subtle in browsers and Node). */
type Subtle = Pick<SubtleCrypto, "importKey" | "exportKey" | "sign" | "digest">;

function subtle(): Subtle {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new BrowserSigningError("This browser offers no WebCrypto here (it needs a secure context: https:// or localhost). Sign elsewhere and paste the signature instead.");
  return s;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/** The DER bytes of a PKCS#8 "BEGIN PRIVATE KEY" PEM block; throws a BrowserSigningError a person can act on. */
export function pkcs8FromPem(pem: string): Uint8Array<ArrayBuffer> {
  const match = PEM_BLOCK.exec(pem.trim());
  if (!match) throw new BrowserSigningError('That is not a PEM private key: paste the whole block from "-----BEGIN PRIVATE KEY-----" to "-----END PRIVATE KEY-----"');
  if (match[1] === "ENCRYPTED PRIVATE KEY") throw new BrowserSigningError("That private key is encrypted with a passphrase; export it unencrypted (PKCS#8) or use the CLI to sign");
  if (match[1] === "PUBLIC KEY") throw new BrowserSigningError("That is a public key; signing needs the private key (BEGIN PRIVATE KEY)");
  if (match[1] !== "PRIVATE KEY") throw new BrowserSigningError(`That is a "${match[1]}" block; the marketplace signs with an ed25519 private key in PKCS#8 ("BEGIN PRIVATE KEY")`);
  const body = match[2]!.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new BrowserSigningError("The private key's base64 body is malformed");
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

export interface BrowserSigningKey {
  key: CryptoKey;
  /** The raw 32-byte public key, base64 (what the publisher registered). */
  publicKey: string;
  /** The key's fingerprint, as the server computes it. */
  keyId: string;
}

/** Imports a PKCS#8 ed25519 private key and derives its public key and fingerprint (JWK export gives the public `x`). */
export async function importSigningKey(pem: string): Promise<BrowserSigningKey> {
  const der = pkcs8FromPem(pem);
  const s = subtle();
  let key: CryptoKey;
  try {
    key = await s.importKey("pkcs8", der, { name: "Ed25519" }, true, ["sign"]);
  } catch (error) {
    if (error instanceof DOMException && error.name === "NotSupportedError") {
      throw new BrowserSigningError("This browser cannot sign with Ed25519 (WebCrypto). Use a current Chrome, Firefox or Safari, or sign with the CLI and paste the signature");
    }
    throw new BrowserSigningError("That is not an ed25519 private key: give a PKCS#8 PEM such as `openssl genpkey -algorithm ed25519` writes");
  }
  const jwk = await s.exportKey("jwk", key);
  if (typeof jwk.x !== "string") throw new BrowserSigningError("Could not derive the public key from that private key");
  const raw = base64UrlDecode(jwk.x);
  if (raw.length !== 32) throw new BrowserSigningError("That is not an ed25519 private key");
  const digest = new Uint8Array(await s.digest("SHA-256", raw));
  return { key, publicKey: base64(raw), keyId: `ed25519:${hex(digest.subarray(0, 16))}` };
}

/** The bytes a version is signed over: the server's signed payload (canonical JSON of { listing, manifest, version }, UTF-8). */
export function signedPayloadBytes(opts: { listing: string; version: string; manifest: unknown }): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(canonicalJson({ listing: opts.listing, manifest: opts.manifest, version: opts.version }));
}

/** Signs a version's payload with the imported key; the signature in base64 (88 characters), as marketplace.version.publish takes it. */
export async function signInBrowser(key: BrowserSigningKey, opts: { listing: string; version: string; manifest: unknown }): Promise<string> {
  const signature = new Uint8Array(await subtle().sign({ name: "Ed25519" }, key.key, signedPayloadBytes(opts)));
  return base64(signature);
}
