import type { Db } from "@/server/db";
import { conflict } from "@/server/errors/domain-error";
import { hashPassword } from "./password";

/** Creates a user who signs in with email + password (sign-up, seed, tests). */
export async function createPasswordUser(opts: { db: Db; email: string; name: string | null; password: string }) {
  const email = opts.email.toLowerCase();
  const exists = await opts.db.user.findUnique({ where: { email }, select: { id: true } });
  if (exists) throw conflict("An account with this email already exists; sign in instead", "email");
  return opts.db.user.create({
    data: { email, name: opts.name, passwordHash: await hashPassword(opts.password) },
    select: { id: true, email: true, name: true },
  });
}
