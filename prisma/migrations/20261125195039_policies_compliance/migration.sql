-- CreateEnum
CREATE TYPE "PolicyScope" AS ENUM ('ORGANIZATION', 'ROUTE', 'AGENT', 'API_KEY');

-- CreateEnum
CREATE TYPE "PolicyMode" AS ENUM ('ENFORCE', 'MONITOR');

-- CreateEnum
CREATE TYPE "PolicyEffect" AS ENUM ('DENY', 'REDACT', 'RESTRICT_ROUTING', 'REQUIRE_LABEL', 'CAP_TOKENS');

-- CreateEnum
CREATE TYPE "ComplianceStatus" AS ENUM ('PASS', 'FAIL', 'NOT_APPLICABLE');

-- CreateEnum
CREATE TYPE "DataSubjectRequestKind" AS ENUM ('EXPORT', 'ERASE');

-- CreateEnum
CREATE TYPE "DataSubjectRequestStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED');

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prevHash" TEXT,
ADD COLUMN     "seq" INTEGER;

-- AlterTable
ALTER TABLE "Route" ADD COLUMN     "labels" TEXT[];

-- CreateTable
CREATE TABLE "Policy" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "scope" "PolicyScope" NOT NULL DEFAULT 'ORGANIZATION',
    "scopeId" TEXT,
    "mode" "PolicyMode" NOT NULL DEFAULT 'ENFORCE',
    "condition" TEXT NOT NULL,
    "effect" "PolicyEffect" NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "config" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PiiPattern" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PiiPattern_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceFramework" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ComplianceFramework_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceControl" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "frameworkId" TEXT NOT NULL,
    "controlId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "checks" TEXT[],

    CONSTRAINT "ComplianceControl_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceCheckResult" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "check" TEXT NOT NULL,
    "status" "ComplianceStatus" NOT NULL,
    "evidence" JSONB NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComplianceCheckResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataSubjectRequest" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "kind" "DataSubjectRequestKind" NOT NULL,
    "status" "DataSubjectRequestStatus" NOT NULL DEFAULT 'PENDING',
    "requestedById" TEXT,
    "requestedByEmail" TEXT,
    "result" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "DataSubjectRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Policy_orgId_scope_scopeId_idx" ON "Policy"("orgId", "scope", "scopeId");

-- CreateIndex
CREATE UNIQUE INDEX "Policy_orgId_name_key" ON "Policy"("orgId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_policyId_version_key" ON "PolicyVersion"("policyId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "PiiPattern_orgId_name_key" ON "PiiPattern"("orgId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceFramework_orgId_key_key" ON "ComplianceFramework"("orgId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceControl_frameworkId_controlId_key" ON "ComplianceControl"("frameworkId", "controlId");

-- CreateIndex
CREATE UNIQUE INDEX "ComplianceCheckResult_orgId_check_key" ON "ComplianceCheckResult"("orgId", "check");

-- CreateIndex
CREATE INDEX "DataSubjectRequest_orgId_createdAt_idx" ON "DataSubjectRequest"("orgId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_orgId_seq_key" ON "AuditEvent"("orgId", "seq");

-- AddForeignKey
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyVersion" ADD CONSTRAINT "PolicyVersion_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Policy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PiiPattern" ADD CONSTRAINT "PiiPattern_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplianceFramework" ADD CONSTRAINT "ComplianceFramework_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplianceControl" ADD CONSTRAINT "ComplianceControl_frameworkId_fkey" FOREIGN KEY ("frameworkId") REFERENCES "ComplianceFramework"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComplianceCheckResult" ADD CONSTRAINT "ComplianceCheckResult_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataSubjectRequest" ADD CONSTRAINT "DataSubjectRequest_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The gateway enforces policies and masks organization-defined PII kinds, so changes to them and to
-- a route's data labels reload its snapshot (see gateway_config_notify; Route's trigger fires on
-- every update already).
CREATE TRIGGER "Policy_notify_config"
AFTER INSERT OR UPDATE OR DELETE ON "Policy"
FOR EACH ROW EXECUTE FUNCTION helix_notify_config();

CREATE TRIGGER "PiiPattern_notify_config"
AFTER INSERT OR UPDATE OR DELETE ON "PiiPattern"
FOR EACH ROW EXECUTE FUNCTION helix_notify_config();

-- Policy decisions per request (which policies matched, their effect and mode), written by the gateway.
ALTER TABLE telemetry.gateway_events ADD COLUMN policy_decisions JSONB;
