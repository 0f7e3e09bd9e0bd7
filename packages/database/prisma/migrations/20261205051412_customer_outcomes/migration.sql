-- CreateEnum
CREATE TYPE "OutcomeKind" AS ENUM ('CHURNED', 'RENEWED', 'DOWNGRADED', 'EXPANDED', 'REACTIVATED');

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "churnedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "customerChurned" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CustomerOutcome" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "kind" "OutcomeKind" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT,
    "voluntary" BOOLEAN,
    "source" TEXT,
    "idempotencyKey" TEXT,
    "contentHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerOutcome_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CustomerOutcome_workspaceId_customerId_occurredAt_idx" ON "CustomerOutcome"("workspaceId", "customerId", "occurredAt");

-- CreateIndex
CREATE INDEX "CustomerOutcome_workspaceId_kind_occurredAt_idx" ON "CustomerOutcome"("workspaceId", "kind", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerOutcome_workspaceId_idempotencyKey_key" ON "CustomerOutcome"("workspaceId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_churnedAt_idx" ON "Customer"("workspaceId", "churnedAt");

-- AddForeignKey
ALTER TABLE "CustomerOutcome" ADD CONSTRAINT "CustomerOutcome_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerOutcome" ADD CONSTRAINT "CustomerOutcome_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
