-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "scoringState" JSONB,
ADD COLUMN     "scoringStateModelVersion" INTEGER;
