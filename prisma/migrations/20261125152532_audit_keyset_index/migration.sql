-- DropIndex
DROP INDEX "AuditEvent_orgId_at_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_orgId_at_id_idx" ON "AuditEvent"("orgId", "at" DESC, "id" DESC);
