import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "@/server/env";
import { DomainError } from "@/server/errors/domain-error";

const ALGORITHM = "aes-256-gcm";

function key(): Buffer {
  const configured = env().HELIX_ENCRYPTION_KEY;
  if (!configured) {
    throw new DomainError("BAD_REQUEST", "Credentials cannot be stored: the server has no HELIX_ENCRYPTION_KEY configured");
  }
  return Buffer.from(configured, "base64");
}

/**
 * AES-256-GCM with a random 96-bit IV per secret; `aad` (the agent id) binds the ciphertext to its
 * row, so a ciphertext copied onto another agent does not decrypt. Output: iv.tag.data, base64url.
 */
export function encryptSecret(plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key(), iv);
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString("base64url")).join(".");
}

export function decryptSecret(sealed: string, aad: string): string {
  const [iv, tag, data] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !data) throw new Error("Malformed encrypted secret");
  const decipher = createDecipheriv(ALGORITHM, key(), iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
}
