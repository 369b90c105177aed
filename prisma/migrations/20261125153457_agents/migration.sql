-- Trigram similarity for typo-tolerant agent and skill search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateEnum
CREATE TYPE "AgentProtocol" AS ENUM ('A2A', 'MCP', 'OPENAI');

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('ACTIVE', 'DISABLED', 'UNHEALTHY');

-- CreateEnum
CREATE TYPE "CredentialKind" AS ENUM ('BEARER', 'API_KEY', 'HEADER');

-- CreateEnum
CREATE TYPE "SkillKind" AS ENUM ('SKILL', 'TOOL', 'MODEL');

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "allowPrivateNetworks" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT,
    "protocol" "AgentProtocol" NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "endpointUrl" TEXT NOT NULL,
    "region" TEXT,
    "provider" TEXT,
    "tags" TEXT[],
    "status" "AgentStatus" NOT NULL DEFAULT 'ACTIVE',
    "credentialKind" "CredentialKind",
    "credentialHeader" TEXT,
    "credentialCipher" TEXT,
    "version" TEXT,
    "protocolVersion" TEXT,
    "capabilities" JSONB NOT NULL DEFAULT '{}',
    "document" JSONB,
    "discoveredAt" TIMESTAMP(3),
    "discoveryError" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastCheckedAt" TIMESTAMP(3),
    "lastLatencyMs" INTEGER,
    "searchText" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentSkill" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "kind" "SkillKind" NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "tags" TEXT[],
    "inputModes" TEXT[],
    "outputModes" TEXT[],
    "examples" TEXT[],
    "inputSchema" JSONB,
    "searchText" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "AgentSkill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentDiscovery" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trigger" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "version" TEXT,
    "skillKeys" TEXT[],
    "added" TEXT[],
    "removed" TEXT[],
    "document" JSONB,

    CONSTRAINT "AgentDiscovery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentHealthCheck" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "latencyMs" INTEGER,
    "statusCode" INTEGER,
    "error" TEXT,

    CONSTRAINT "AgentHealthCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentStatusChange" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "from" "AgentStatus" NOT NULL,
    "to" "AgentStatus" NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "AgentStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Agent_orgId_status_idx" ON "Agent"("orgId", "status");

-- CreateIndex
CREATE INDEX "Agent_orgId_protocol_idx" ON "Agent"("orgId", "protocol");

-- CreateIndex
CREATE INDEX "Agent_searchText_idx" ON "Agent" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "Agent_orgId_slug_key" ON "Agent"("orgId", "slug");

-- CreateIndex
CREATE INDEX "AgentSkill_orgId_idx" ON "AgentSkill"("orgId");

-- CreateIndex
CREATE INDEX "AgentSkill_searchText_idx" ON "AgentSkill" USING GIN ("searchText" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "AgentSkill_agentId_kind_key_key" ON "AgentSkill"("agentId", "kind", "key");

-- CreateIndex
CREATE INDEX "AgentDiscovery_agentId_at_idx" ON "AgentDiscovery"("agentId", "at" DESC);

-- CreateIndex
CREATE INDEX "AgentHealthCheck_agentId_at_idx" ON "AgentHealthCheck"("agentId", "at" DESC);

-- CreateIndex
CREATE INDEX "AgentStatusChange_agentId_at_idx" ON "AgentStatusChange"("agentId", "at" DESC);

-- CreateIndex
CREATE INDEX "AgentStatusChange_orgId_at_idx" ON "AgentStatusChange"("orgId", "at" DESC);

-- AddForeignKey
ALTER TABLE "Agent" ADD CONSTRAINT "Agent_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentSkill" ADD CONSTRAINT "AgentSkill_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentDiscovery" ADD CONSTRAINT "AgentDiscovery_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentHealthCheck" ADD CONSTRAINT "AgentHealthCheck_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentStatusChange" ADD CONSTRAINT "AgentStatusChange_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Weighted full-text search. Expression indexes (Prisma cannot express them, and its diff leaves
-- them alone); server/agents/search.ts builds its tsvectors from the very same expressions.
CREATE INDEX "Agent_fts_idx" ON "Agent" USING GIN ((
  setweight(to_tsvector('english', "name"), 'A') ||
  setweight(to_tsvector('english', coalesce("description", '')), 'C') ||
  setweight(to_tsvector('english', "searchText"), 'D')
));

CREATE INDEX "AgentSkill_fts_idx" ON "AgentSkill" USING GIN ((
  setweight(to_tsvector('english', "name"), 'A') ||
  setweight(to_tsvector('english', "searchText"), 'B') ||
  setweight(to_tsvector('english', coalesce("description", '')), 'C')
));
