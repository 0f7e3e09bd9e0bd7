-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "scoreChange30d" DOUBLE PRECISION;

-- CreateIndex
CREATE INDEX "Customer_workspaceId_scoreChange30d_idx" ON "Customer"("workspaceId", "scoreChange30d");
