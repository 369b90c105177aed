-- AlterTable
ALTER TABLE "PublisherKey" ADD COLUMN     "revokedAt" TIMESTAMP(3);
