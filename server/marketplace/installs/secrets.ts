import { decryptSecret } from "@/server/agents/crypto";

/** What binds a sealed secret to its install and field: copied elsewhere, it does not decrypt. */
export function secretAad(installId: string, field: string): string {
  return `install:${installId}:${field}`;
}

/** The secret values of an install, decrypted (for the gateway's snapshot only); throws when one cannot be. */
export function unsealSecrets(installId: string, sealed: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries((sealed ?? {}) as Record<string, unknown>)) {
    if (typeof value === "string") out[name] = decryptSecret(value, secretAad(installId, name));
  }
  return out;
}
