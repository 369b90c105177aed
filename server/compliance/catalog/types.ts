import type { CheckKey } from "../check-keys";

/** One control of a framework as shipped in code: its real identifier, our own short wording. */
export interface CatalogControl {
  controlId: string;
  title: string;
  description: string;
  checks: CheckKey[];
}

export interface CatalogFramework {
  key: string;
  name: string;
  description: string;
  controls: CatalogControl[];
}
