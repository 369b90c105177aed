import { z } from "zod";
import { authedProcedure, orgProcedure, publicProcedure, router } from "@/server/trpc/init";
import {
  createdInvitation,
  createInvitationInput,
  invitationIdInput,
  invitationPreview,
  invitationTokenInput,
  invitationView,
} from "./schema";
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from "./service";

export const invitationRouter = router({
  list: orgProcedure("ADMIN")
    .output(z.array(invitationView))
    .query(({ ctx }) => listInvitations({ ctx })),

  create: orgProcedure("ADMIN")
    .input(createInvitationInput)
    .output(createdInvitation)
    .mutation(({ ctx, input }) => createInvitation({ ctx, ...input })),

  revoke: orgProcedure("ADMIN")
    .input(invitationIdInput)
    .output(invitationView)
    .mutation(({ ctx, input }) => revokeInvitation({ ctx, ...input })),

  /** The link's token is the credential: whoever holds it may see what it offers. */
  preview: publicProcedure
    .input(invitationTokenInput)
    .output(invitationPreview)
    .query(({ ctx, input }) => previewInvitation({ db: ctx.db, token: input.token })),

  accept: authedProcedure
    .input(invitationTokenInput)
    .output(z.object({ orgSlug: z.string(), orgName: z.string() }))
    .mutation(({ ctx, input }) => acceptInvitation({ db: ctx.db, user: ctx.user, token: input.token })),
});
