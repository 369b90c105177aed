import type { AnyRouter } from "@trpc/server";

// Reading a router's procedures, for suites that must cover every one of them (tRPC v11 internals:
// `_def.procedures` is flat and keyed by dotted path, `_def.record` is the nested tree).

export interface ProcedureDef {
  type: "query" | "mutation" | "subscription";
  /** The parsers given to `.input()`, in order (ours are zod schemas). */
  inputs: unknown[];
  meta?: unknown;
}

export type ProcedureFn = ((opts: unknown) => Promise<unknown>) & { _def: ProcedureDef };

export interface ProcedureInfo {
  path: string;
  type: ProcedureDef["type"];
  inputs: unknown[];
  meta: unknown;
}

/** Every procedure of `router`, by dotted path. Lazy sub-routers would hide procedures, so they fail loudly. */
export function listProcedures(router: AnyRouter): ProcedureInfo[] {
  const def = router._def as unknown as { procedures: Record<string, ProcedureFn>; lazy?: Record<string, unknown> };
  const lazy = Object.keys(def.lazy ?? {});
  if (lazy.length > 0) {
    throw new Error(`Lazy routers (${lazy.join(", ")}) are not loaded, so their procedures cannot be listed; load them first`);
  }
  return Object.entries(def.procedures)
    .map(([path, procedure]) => ({
      path,
      type: procedure._def.type,
      inputs: procedure._def.inputs,
      meta: procedure._def.meta,
    }))
    .sort((x, y) => x.path.localeCompare(y.path));
}

/** The paths of the leaves of the nested router record, found by walking it (an independent count). */
export function walkRecordPaths(record: object, prefix: string[] = []): string[] {
  return Object.entries(record).flatMap(([key, value]) => {
    if (typeof value === "function") return [[...prefix, key].join(".")];
    if (value && typeof value === "object") {
      // A nested router in the record is either a router (with `_def.record`) or a plain object.
      const inner = "_def" in value ? (value as { _def: { record: object } })._def.record : value;
      return walkRecordPaths(inner, [...prefix, key]);
    }
    return [];
  });
}

/** The procedure at `path` on a caller made by `router.createCaller(ctx)`. */
export function procedureOnCaller(caller: unknown, path: string): (input?: unknown) => Promise<unknown> {
  let node = caller as Record<string, unknown>;
  for (const key of path.split(".")) node = node[key] as Record<string, unknown>;
  return node as unknown as (input?: unknown) => Promise<unknown>;
}
