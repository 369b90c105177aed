import { z } from "zod";
import { authedProcedure, orgProcedure, router } from "@/server/trpc/init";
import { createOrgInput, orgDetail, orgSummary, updateOrgInput } from "./schema";
import { createOrganization, getOrganization, listMyOrganizations, updateOrganization } from "./service";
import { leaveOrganization } from "@/server/members/service";

export const orgRouter = router({
  list: authedProcedure
    .output(z.array(orgSummary))
    .query(({ ctx }) => listMyOrganizations({ db: ctx.db, userId: ctx.user.id })),

  create: authedProcedure
    .input(createOrgInput)
    .output(orgSummary)
    .mutation(({ ctx, input }) => createOrganization({ db: ctx.db, user: ctx.user, ...input })),

  get: orgProcedure("VIEWER")
    .output(orgDetail)
    .query(({ ctx }) => getOrganization({ ctx })),

  update: orgProcedure("ADMIN")
    .input(updateOrgInput)
    .output(orgDetail)
    .mutation(({ ctx, input }) => updateOrganization({ ctx, ...input })),

  leave: orgProcedure("VIEWER")
    .output(z.object({ id: z.string() }))
    .mutation(({ ctx }) => leaveOrganization({ ctx })),
});
