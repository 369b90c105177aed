import { orgProcedure, router } from "@/server/trpc/init";
import { auditListInput, auditPage } from "./schema";
import { listAuditEvents } from "./service";

export const auditRouter = router({
  list: orgProcedure("ADMIN")
    .input(auditListInput)
    .output(auditPage)
    .query(({ ctx, input }) => listAuditEvents({ ctx, filter: input })),
});
