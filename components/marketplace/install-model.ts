import type { ListingKind } from "@/server/marketplace/manifest";

/*
 * Pure helpers of the install pages: what can be installed, which versions an install can move to,
 * and how an install's reach reads. Type-only server imports: client components use this file.
 */

/** Kinds an organization installs; templates fill in a new route or agent instead. */
export const INSTALLABLE_KINDS: readonly ListingKind[] = ["GATEWAY_PLUGIN", "POLICY_PACK"];
export const isInstallable = (kind: ListingKind) => INSTALLABLE_KINDS.includes(kind);

/** Route and agent templates: each use creates a new route or agent from the template's form. */
export const isTemplate = (kind: ListingKind) => kind === "ROUTE_TEMPLATE" || kind === "AGENT_TEMPLATE";

/** The action a listing's button names: installing, or creating what a template describes. */
export const installActionLabel = (kind: ListingKind) => (kind === "ROUTE_TEMPLATE" ? "Create route" : kind === "AGENT_TEMPLATE" ? "Register agent" : "Install");

export interface VersionOption {
  version: string;
  changelog: string;
  yanked: boolean;
}

/**
 * The versions newer than `current`, newest first, without yanked ones. `versions` come newest first
 * (as the server sorts them by semver), so the newer ones are those before the current one.
 */
export function upgradeTargets(versions: readonly VersionOption[], current: string): VersionOption[] {
  const index = versions.findIndex((v) => v.version === current);
  const newer = index === -1 ? versions : versions.slice(0, index);
  return newer.filter((v) => !v.yanked);
}

/** Whether a newer version than the installed one can be installed. */
export const hasUpdate = (install: { version: string; latestVersion: string | null }) => install.latestVersion !== null && install.latestVersion !== install.version;

/** "Every route" or "2 routes: Helix chat, Travel", from the route ids an install applies to. */
export function routeScopeText(routeIds: readonly string[], routes: readonly { id: string; name: string }[] | undefined): string {
  if (routeIds.length === 0) return "Every route";
  if (!routes) return `${routeIds.length} ${routeIds.length === 1 ? "route" : "routes"}`;
  const names = routeIds.map((id) => routes.find((r) => r.id === id)?.name ?? "a deleted route");
  return `${routeIds.length === 1 ? "1 route" : `${routeIds.length} routes`}: ${names.join(", ")}`;
}

export type FailMode = "open" | "closed";
export const failModeLabel: Record<FailMode, string> = { open: "Fail open", closed: "Fail closed" };
export const failModeDescription: Record<FailMode, string> = {
  open: "When the plugin service is slow, down or answers garbage, let the request through.",
  closed: "When the plugin service is slow, down or answers garbage, refuse the request.",
};

/** The manifest's default fail mode ("open" unless it says "closed"). */
export const manifestFailMode = (manifest: Record<string, unknown> | undefined): FailMode => (manifest?.failMode === "closed" ? "closed" : "open");
