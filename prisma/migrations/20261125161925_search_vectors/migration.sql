-- Stored, generated tsvectors for agent and skill search: ranking reads them instead of
-- recomputing to_tsvector for every matching row (bench/agent-search.bench.ts measured that).
-- Written by hand: Prisma models these as dbgenerated defaults and cannot write GENERATED columns.
DROP INDEX "Agent_fts_idx";
DROP INDEX "AgentSkill_fts_idx";

ALTER TABLE "Agent" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "name"), 'A') ||
  setweight(to_tsvector('english', coalesce("description", '')), 'C') ||
  setweight(to_tsvector('english', "searchText"), 'D')) STORED;

ALTER TABLE "AgentSkill" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', "name"), 'A') ||
  setweight(to_tsvector('english', "searchText"), 'B') ||
  setweight(to_tsvector('english', coalesce("description", '')), 'C')) STORED;

CREATE INDEX "Agent_searchVector_idx" ON "Agent" USING GIN ("searchVector");
CREATE INDEX "AgentSkill_searchVector_idx" ON "AgentSkill" USING GIN ("searchVector");
