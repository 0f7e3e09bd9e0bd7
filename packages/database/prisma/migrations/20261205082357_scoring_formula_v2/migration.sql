-- AlterEnum
ALTER TYPE "SentimentHandling" ADD VALUE 'FRICTION';

-- AlterTable
ALTER TABLE "Category" ADD COLUMN     "measuresActivity" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "scoringFormula" INTEGER NOT NULL DEFAULT 1;
