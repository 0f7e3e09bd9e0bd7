-- CreateEnum
CREATE TYPE "RescoreRunStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "ManualAssessment" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 0.25,
    "reason" TEXT NOT NULL,
    "author" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "ManualAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RescoreRun" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "RescoreRunStatus" NOT NULL DEFAULT 'PENDING',
    "asOf" TIMESTAMP(3) NOT NULL,
    "recomputeHistory" BOOLEAN NOT NULL DEFAULT false,
    "scope" JSONB,
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "cursor" UUID,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RescoreRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ManualAssessment_customerId_createdAt_idx" ON "ManualAssessment"("customerId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ManualAssessment_workspaceId_idx" ON "ManualAssessment"("workspaceId");

-- CreateIndex
CREATE INDEX "RescoreRun_status_idx" ON "RescoreRun"("status");

-- CreateIndex
CREATE INDEX "RescoreRun_workspaceId_createdAt_idx" ON "RescoreRun"("workspaceId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "ManualAssessment" ADD CONSTRAINT "ManualAssessment_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ManualAssessment" ADD CONSTRAINT "ManualAssessment_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RescoreRun" ADD CONSTRAINT "RescoreRun_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
