import { z } from "zod";
import { idSchema, roleSchema } from "@/server/orgs/schema";

export const emailSchema = z
  .string({ message: "Give an email address" })
  .trim()
  .max(254, "An email address has at most 254 characters")
  .pipe(z.email({ message: "That is not a valid email address" }))
  .transform((e) => e.toLowerCase());

/** The secret from an invitation link: 32 random bytes, base64url. */
export const invitationTokenSchema = z
  .string({ message: "Give the invitation token" })
  .regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not valid; ask for a new one");

export const createInvitationInput = z.object({ email: emailSchema, role: roleSchema });
export const invitationIdInput = z.object({ invitationId: idSchema });
export const invitationTokenInput = z.object({ token: invitationTokenSchema });

export const invitationStatus = z.enum(["pending", "expired", "accepted", "revoked"]);
export type InvitationStatus = z.infer<typeof invitationStatus>;

export const invitationView = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  status: invitationStatus,
  expiresAt: z.date(),
  createdAt: z.date(),
  invitedBy: z.string().nullable(),
});
export type InvitationView = z.infer<typeof invitationView>;

export const createdInvitation = z.object({
  invitation: invitationView,
  /** Shown once to the inviter; only its hash is stored. */
  url: z.string(),
  emailed: z.boolean(),
  emailError: z.string().nullable(),
});

export const invitationPreview = z.object({
  orgName: z.string(),
  email: z.string(),
  role: roleSchema,
  invitedBy: z.string().nullable(),
  status: invitationStatus,
  expiresAt: z.date(),
});
