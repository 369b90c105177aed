import type { Role } from "@/server/generated/prisma/enums";

export const ROLES = ["OWNER", "ADMIN", "EDITOR", "VIEWER"] as const satisfies readonly Role[];

const rank: Record<Role, number> = { VIEWER: 0, EDITOR: 1, ADMIN: 2, OWNER: 3 };

/** True when `role` is at least `min` on the ladder VIEWER < EDITOR < ADMIN < OWNER. */
export function hasRole(role: Role, min: Role): boolean {
  return rank[role] >= rank[min];
}

export const roleLabel: Record<Role, string> = {
  OWNER: "Owner",
  ADMIN: "Admin",
  EDITOR: "Editor",
  VIEWER: "Viewer",
};

export const roleDescription: Record<Role, string> = {
  OWNER: "Everything, including deleting the organization and managing owners",
  ADMIN: "Manage members, invitations and all configuration",
  EDITOR: "Change agents, routes and policies",
  VIEWER: "Read-only access",
};
