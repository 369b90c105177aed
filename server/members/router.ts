import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import { roleSchema } from "@/server/orgs/schema";
import { changeRoleInput, memberView, removeMemberInput } from "./schema";
import { changeMemberRole, listMembers, removeMember } from "./service";

export const memberRouter = router({
  list: orgProcedure("VIEWER")
    .output(z.array(memberView))
    .query(({ ctx }) => listMembers({ ctx })),

  changeRole: orgProcedure("ADMIN")
    .input(changeRoleInput)
    .output(z.object({ id: z.string(), role: roleSchema }))
    .mutation(({ ctx, input }) => changeMemberRole({ ctx, ...input })),

  remove: orgProcedure("ADMIN")
    .input(removeMemberInput)
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx, input }) => removeMember({ ctx, ...input })),
});
