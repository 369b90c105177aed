import { describe, expect, it } from "vitest";
import { env } from "@/server/env";
import { rand } from "@/server/test/fixtures";
import { checkSignInAllowed, recordFailedSignIn, resetSignInAttempts } from "./rate-limit";

// Random emails and addresses per test: buckets live in the database and outlast a run.
const email = () => `signin-${rand()}@Test.Helix`;
const ip = () => `fd00::${rand(2)}:${rand(2)}:${rand(2)}`;
const max = () => env().HELIX_SIGNIN_MAX_ATTEMPTS; // env is read once per process

async function fail(who: { email: string; ip: string | null }, times: number) {
  for (let i = 0; i < times; i++) await recordFailedSignIn(who);
}

describe("sign-in throttle", () => {
  it("allows HELIX_SIGNIN_MAX_ATTEMPTS failures per email, then refuses with a wait", async () => {
    const who = { email: email(), ip: ip() };
    await fail(who, max() - 1);
    expect(await checkSignInAllowed(who)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    const last = await recordFailedSignIn(who);
    expect(last.allowed).toBe(false);
    const refused = await checkSignInAllowed(who);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it("counts the email case-insensitively and from any address", async () => {
    const address = email();
    for (let i = 0; i < max(); i++) await recordFailedSignIn({ email: i % 2 ? address.toLowerCase() : address, ip: ip() });
    expect((await checkSignInAllowed({ email: address.toUpperCase(), ip: ip() })).allowed).toBe(false);
  });

  it("successful sign-ins cost nothing: checking alone never uses up the budget", async () => {
    const who = { email: email(), ip: ip() };
    for (let i = 0; i < max() * 2; i++) expect((await checkSignInAllowed(who)).allowed).toBe(true);
  });

  it("one address failing against many accounts is refused after ten times the per-account budget", async () => {
    const from = ip();
    for (let i = 0; i < max() * 10; i++) await recordFailedSignIn({ email: email(), ip: from });
    expect((await checkSignInAllowed({ email: email(), ip: from })).allowed).toBe(false);
    expect((await checkSignInAllowed({ email: email(), ip: ip() })).allowed).toBe(true);
  });

  it("a successful sign-in clears the email's failures but not the address's", async () => {
    const who = { email: email(), ip: ip() };
    await fail(who, max());
    expect((await checkSignInAllowed(who)).allowed).toBe(false);
    await resetSignInAttempts(who.email);
    expect(await checkSignInAllowed({ email: who.email, ip: null })).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });
});
