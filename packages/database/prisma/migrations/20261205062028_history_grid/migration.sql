-- AlterTable
ALTER TABLE "RescoreRun" ADD COLUMN     "gridEveryDays" INTEGER,
ADD COLUMN     "gridFrom" TIMESTAMP(3);
