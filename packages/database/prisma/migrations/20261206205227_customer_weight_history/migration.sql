-- CreateTable
CREATE TABLE "CustomerWeightChange" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "categoryKey" TEXT NOT NULL,
    "previousWeight" DOUBLE PRECISION,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerWeightChange_pkey" PRIMARY KEY ("workspaceId","id")
);

-- CreateIndex
CREATE INDEX "CustomerWeightChange_workspaceId_customerId_changedAt_idx" ON "CustomerWeightChange"("workspaceId", "customerId", "changedAt");

-- AddForeignKey
ALTER TABLE "CustomerWeightChange" ADD CONSTRAINT "CustomerWeightChange_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
