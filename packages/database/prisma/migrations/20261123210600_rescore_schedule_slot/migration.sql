-- AlterTable
ALTER TABLE "RescoreRun" ADD COLUMN     "slot" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "RescoreRun_workspaceId_slot_key" ON "RescoreRun"("workspaceId", "slot");
