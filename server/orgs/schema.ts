import { z } from "zod";
import { ROLES } from "@/server/auth/roles";

export const orgSlugSchema = z
  .string({ message: "Give the organization's slug" })
  .trim()
  .min(2, "A slug has at least 2 characters")
  .max(48, "A slug has at most 48 characters")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "A slug uses lowercase letters, digits and single dashes, e.g. acme-labs");

export const orgNameSchema = z
  .string({ message: "Give the organization a name" })
  .trim()
  .min(2, "A name has at least 2 characters")
  .max(80, "A name has at most 80 characters");

export const roleSchema = z.enum(ROLES, { message: "Role must be one of OWNER, ADMIN, EDITOR, VIEWER" });

/** Ids the database makes (cuid). Anything else is refused before it reaches a query. */
export const idSchema = z
  .string({ message: "Give an id" })
  .regex(/^c[a-z0-9]{20,32}$/, "That id is malformed");

export const createOrgInput = z.object({ name: orgNameSchema, slug: orgSlugSchema });
export const updateOrgInput = z
  .object({
    name: orgNameSchema.optional(),
    /** Whether agents may be registered on private networks (link-local/metadata stay blocked). */
    allowPrivateNetworks: z.boolean().optional(),
  })
  .refine((v) => v.name !== undefined || v.allowPrivateNetworks !== undefined, { message: "Nothing to change: give a name or a setting" });

export const orgSummary = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: roleSchema,
});
export type OrgSummary = z.infer<typeof orgSummary>;

export const orgDetail = orgSummary.extend({ allowPrivateNetworks: z.boolean() });
export type OrgDetail = z.infer<typeof orgDetail>;

/** Suggests a slug from a name: "Acme Labs, Inc." → "acme-labs-inc". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
}
