-- CreateEnum
CREATE TYPE "ModelEvaluationStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "ModelEvaluation" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "modelVersion" INTEGER,
    "proposal" JSONB,
    "fromAt" TIMESTAMP(3) NOT NULL,
    "toAt" TIMESTAMP(3) NOT NULL,
    "stepDays" INTEGER NOT NULL,
    "horizonDays" INTEGER NOT NULL,
    "status" "ModelEvaluationStatus" NOT NULL DEFAULT 'PENDING',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ModelEvaluation_workspaceId_createdAt_idx" ON "ModelEvaluation"("workspaceId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ModelEvaluation_workspaceId_modelVersion_idx" ON "ModelEvaluation"("workspaceId", "modelVersion");

-- CreateIndex
CREATE INDEX "ModelEvaluation_status_updatedAt_idx" ON "ModelEvaluation"("status", "updatedAt");

-- AddForeignKey
ALTER TABLE "ModelEvaluation" ADD CONSTRAINT "ModelEvaluation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
