import type { AnyRouter } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { db } from "@/server/db";
import { createContext } from "@/server/trpc/context";
import { snapshotOrg, type TestUser } from "./fixtures";
import { procedureOnCaller, type ProcedureInfo } from "./procedures";
import { deriveInput, describeInput, idFieldPaths, type FieldValues } from "./sample-input";
import type { Tenant } from "./tenant";

// The cross-tenant check used by server/trpc/isolation.server.test.ts. It reports findings instead of
// asserting, so the same function can be shown to catch a deliberately leaky router.

export interface IsolationProbe {
  router: AnyRouter;
  procedure: ProcedureInfo;
  /** The organization under attack (A) and the attacker's own (B), whose owner is the caller. */
  victim: Tenant;
  home: Tenant;
  /** Field values for an input naming `org`'s slug and `idsOf`'s objects. */
  valuesFor: (org: Tenant, idsOf: Tenant) => FieldValues;
}

/** True when the procedure is reached through an organization or names tenant objects by id. */
export function isTenantScoped(procedure: ProcedureInfo): boolean {
  const shape = describeInput(procedure.path, procedure.inputs);
  return Boolean(shape && ("orgSlug" in shape.properties || idFieldPaths(shape).length > 0));
}

async function attempt(router: AnyRouter, path: string, user: TestUser, input: unknown) {
  const caller = router.createCaller(createContext({ db: db(), session: { id: user.id } }));
  try {
    return { ok: true as const, data: await procedureOnCaller(caller, path)(input) };
  } catch (error) {
    return { ok: false as const, error };
  }
}

function describeOutcome(outcome: Awaited<ReturnType<typeof attempt>>): string {
  if (outcome.ok) return `it succeeded and returned ${JSON.stringify(outcome.data)?.slice(0, 200)}`;
  if (outcome.error instanceof TRPCError) return `it failed with ${outcome.error.code}: ${outcome.error.message}`;
  return `it threw ${String(outcome.error)}`;
}

/**
 * Calls the procedure as the owner of `home`
 *   1. naming the victim's organization and objects: must be NOT_FOUND or FORBIDDEN;
 *   2. naming its own organization but the victim's object ids (when it takes ids): must be NOT_FOUND;
 * and checks after each call that not one of the victim's rows changed. Returns what went wrong.
 */
export async function checkTenantIsolation(probe: IsolationProbe): Promise<string[]> {
  const { router, procedure, victim, home } = probe;
  const { path } = procedure;
  const attacker = home.owner;
  const hasIds = idFieldPaths(describeInput(path, procedure.inputs)).length > 0;
  const variants = [
    { label: "the other organization's slug and ids", org: victim, allowed: ["NOT_FOUND", "FORBIDDEN"] },
    ...(hasIds ? [{ label: "its own organization's slug with the other organization's ids", org: home, allowed: ["NOT_FOUND"] }] : []),
  ];

  const findings: string[] = [];
  for (const variant of variants) {
    const input = deriveInput(path, procedure.inputs, probe.valuesFor(variant.org, victim));
    const before = await snapshotOrg(victim.org.id);
    const outcome = await attempt(router, path, attacker, input);
    const code = !outcome.ok && outcome.error instanceof TRPCError ? outcome.error.code : null;
    if (!code || !variant.allowed.includes(code)) {
      findings.push(`${path} called by another organization's owner with ${variant.label} ${JSON.stringify(input)}: expected ${variant.allowed.join(" or ")}, but ${describeOutcome(outcome)}`);
    }
    const after = await snapshotOrg(victim.org.id);
    if (after !== before) findings.push(`${path} called with ${variant.label} changed the other organization's data`);
  }
  return findings;
}
