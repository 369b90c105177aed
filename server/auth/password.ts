import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";

// argon2id with the OWASP-recommended minimums (19 MiB, 2 iterations, 1 lane).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const passwordSchema = z
  .string({ message: "Give a password" })
  .min(10, "A password has at least 10 characters")
  .max(200, "A password has at most 200 characters");

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/** A hash to verify against when the user does not exist, so the response takes as long either way. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword("helix-no-such-user-password");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
