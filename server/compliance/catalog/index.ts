import { GDPR } from "./gdpr";
import { HIPAA } from "./hipaa";
import { SOC2 } from "./soc2";
import type { CatalogFramework } from "./types";

export type { CatalogControl, CatalogFramework } from "./types";

/** The frameworks every organization has, in the order the console shows them. */
export const BUILT_IN_FRAMEWORKS: readonly CatalogFramework[] = [GDPR, HIPAA, SOC2];

export const BUILT_IN_KEYS: ReadonlySet<string> = new Set(BUILT_IN_FRAMEWORKS.map((f) => f.key));
