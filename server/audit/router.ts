import { orgProcedure, router } from "@/server/trpc/init";
import { verifyAuditChain } from "./chain";
import { auditListInput, auditPage, auditVerification } from "./schema";
import { listAuditEvents } from "./service";

export const auditRouter = router({
  list: orgProcedure("ADMIN")
    .input(auditListInput)
    .output(auditPage)
    .query(({ ctx, input }) => listAuditEvents({ ctx, filter: input })),
  /** Recomputes the organization's hash chain and names the first event where it does not hold. Read-only. */
  verify: orgProcedure("ADMIN")
    .output(auditVerification)
    .query(({ ctx }) => verifyAuditChain({ db: ctx.db, orgId: ctx.org.id })),
});
