import { z } from "zod";
import { orgProcedure, router } from "@/server/trpc/init";
import { createRequestInput, requestIdInput, requestView } from "./schema";
import { createRequest, getRequest, listRequests } from "./service";

/** GDPR data-subject requests: admins only, as they reveal or remove what is stored about a person. */
export const dataSubjectRouter = router({
  list: orgProcedure("ADMIN")
    .output(z.array(requestView))
    .query(({ ctx }) => listRequests({ ctx })),

  get: orgProcedure("ADMIN")
    .input(requestIdInput)
    .output(requestView)
    .query(({ ctx, input }) => getRequest({ ctx, requestId: input.requestId })),

  create: orgProcedure("ADMIN")
    .input(createRequestInput)
    .output(requestView)
    .mutation(({ ctx, input }) => createRequest({ ctx, subject: input.subject, kind: input.kind })),
});
