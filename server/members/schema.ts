import { z } from "zod";
import { idSchema, roleSchema } from "@/server/orgs/schema";

export const changeRoleInput = z.object({ memberId: idSchema, role: roleSchema });
export const removeMemberInput = z.object({ memberId: idSchema });

export const memberView = z.object({
  id: z.string(),
  role: roleSchema,
  joinedAt: z.date(),
  user: z.object({ id: z.string(), name: z.string().nullable(), email: z.string() }),
  isYou: z.boolean(),
});
export type MemberView = z.infer<typeof memberView>;
