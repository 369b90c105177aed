import { z } from "zod";
import { auditActionNames } from "./actions";
import { idSchema } from "@/server/orgs/schema";

export const auditListInput = z
  .object({
    action: z.enum(auditActionNames, { message: "Unknown action" }).optional(),
    actor: z.string().trim().max(254, "At most 254 characters").optional(),
    targetType: z.string().trim().max(40, "At most 40 characters").optional(),
    from: z.coerce.date({ message: "Give a valid start date" }).optional(),
    to: z.coerce.date({ message: "Give a valid end date" }).optional(),
    cursor: idSchema.optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "The start date must be before the end date", path: ["from"] });

const json = z.json();

export const auditEventView = z.object({
  id: z.string(),
  action: z.string(),
  actorEmail: z.string().nullable(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: json.nullable(),
  after: json.nullable(),
  at: z.date(),
});
export type AuditEventView = z.infer<typeof auditEventView>;

export const auditPage = z.object({ events: z.array(auditEventView), nextCursor: z.string().nullable() });

export const auditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z
    .object({ id: z.string(), seq: z.number().int().nullable(), at: z.date(), reason: z.string() })
    .nullable(),
});
