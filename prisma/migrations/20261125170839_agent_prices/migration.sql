-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "inputPricePerMTok" DOUBLE PRECISION,
ADD COLUMN     "outputPricePerMTok" DOUBLE PRECISION;
