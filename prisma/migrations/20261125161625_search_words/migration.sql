-- DropIndex
DROP INDEX "Agent_searchText_idx";

-- DropIndex
DROP INDEX "AgentSkill_searchText_idx";

-- CreateTable
CREATE TABLE "SearchWord" (
    "orgId" TEXT NOT NULL,
    "word" TEXT NOT NULL,

    CONSTRAINT "SearchWord_pkey" PRIMARY KEY ("orgId","word")
);

-- CreateIndex
CREATE INDEX "SearchWord_word_idx" ON "SearchWord" USING GIN ("word" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Agent_orgId_name_idx" ON "Agent"("orgId", "name");

-- AddForeignKey
ALTER TABLE "SearchWord" ADD CONSTRAINT "SearchWord_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
