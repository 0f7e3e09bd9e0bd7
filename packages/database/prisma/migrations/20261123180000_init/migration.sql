-- CreateEnum
CREATE TYPE "ApiKeyKind" AS ENUM ('SECRET', 'READ_ONLY', 'PUBLISHABLE');

-- CreateEnum
CREATE TYPE "Band" AS ENUM ('AT_RISK', 'NEEDS_ATTENTION', 'HEALTHY');

-- CreateEnum
CREATE TYPE "SentimentHandling" AS ENUM ('SIGNED', 'POSITIVE', 'FROM_VALUE');

-- CreateEnum
CREATE TYPE "ValueScale" AS ENUM ('NPS', 'CSAT', 'CES');

-- CreateEnum
CREATE TYPE "Sentiment" AS ENUM ('LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME');

-- CreateEnum
CREATE TYPE "JourneyStage" AS ENUM ('PURCHASE', 'USAGE', 'SUPPORT', 'CANCELLATION', 'LEARNING', 'DEEPENING');

-- CreateTable
CREATE TABLE "Workspace" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "bandAtRiskMax" INTEGER NOT NULL DEFAULT 50,
    "bandNeedsAttentionMax" INTEGER NOT NULL DEFAULT 70,
    "decayHalfLifeDays" DOUBLE PRECISION NOT NULL DEFAULT 30,
    "silenceWindowDays" INTEGER NOT NULL DEFAULT 21,
    "upsellEngagementMin" DOUBLE PRECISION NOT NULL DEFAULT 50,
    "scoringModelVersion" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "kind" "ApiKeyKind" NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "allowedOrigins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "segment" TEXT,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "score" DOUBLE PRECISION,
    "band" "Band",
    "scoreBreakdown" JSONB,
    "scoreComputedAt" TIMESTAMP(3),
    "scoreModelVersion" INTEGER,
    "lastInteractionAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Category" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "weight" DOUBLE PRECISION NOT NULL,
    "isEngagement" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentWeight" (
    "workspaceId" UUID NOT NULL,
    "segment" TEXT NOT NULL,
    "categoryId" UUID NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SegmentWeight_pkey" PRIMARY KEY ("workspaceId","segment","categoryId")
);

-- CreateTable
CREATE TABLE "CustomerWeight" (
    "customerId" UUID NOT NULL,
    "categoryId" UUID NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerWeight_pkey" PRIMARY KEY ("customerId","categoryId")
);

-- CreateTable
CREATE TABLE "InteractionType" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "categoryId" UUID NOT NULL,
    "basePoints" DOUBLE PRECISION NOT NULL,
    "sentimentHandling" "SentimentHandling" NOT NULL DEFAULT 'SIGNED',
    "valueScale" "ValueScale",
    "requiresEngagement" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InteractionType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "typeId" UUID NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "intensity" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "sentiment" "Sentiment",
    "value" DOUBLE PRECISION,
    "comment" TEXT,
    "journeyStage" "JourneyStage",
    "source" TEXT,
    "idempotencyKey" TEXT,
    "contentHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreSnapshot" (
    "id" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "band" "Band" NOT NULL,
    "coverage" DOUBLE PRECISION NOT NULL,
    "breakdown" JSONB NOT NULL,
    "modelVersion" INTEGER NOT NULL,

    CONSTRAINT "ScoreSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoringModelVersion" (
    "workspaceId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScoringModelVersion_pkey" PRIMARY KEY ("workspaceId","version")
);

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_slug_key" ON "Workspace"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_idx" ON "ApiKey"("workspaceId");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_score_idx" ON "Customer"("workspaceId", "score");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_band_score_idx" ON "Customer"("workspaceId", "band", "score");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_segment_idx" ON "Customer"("workspaceId", "segment");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_name_idx" ON "Customer"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "Customer_workspaceId_lastInteractionAt_idx" ON "Customer"("workspaceId", "lastInteractionAt");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_workspaceId_externalId_key" ON "Customer"("workspaceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Category_workspaceId_key_key" ON "Category"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "SegmentWeight_categoryId_idx" ON "SegmentWeight"("categoryId");

-- CreateIndex
CREATE INDEX "CustomerWeight_categoryId_idx" ON "CustomerWeight"("categoryId");

-- CreateIndex
CREATE INDEX "InteractionType_categoryId_idx" ON "InteractionType"("categoryId");

-- CreateIndex
CREATE UNIQUE INDEX "InteractionType_workspaceId_key_key" ON "InteractionType"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "Interaction_customerId_occurredAt_idx" ON "Interaction"("customerId", "occurredAt" DESC);

-- CreateIndex
CREATE INDEX "Interaction_workspaceId_occurredAt_idx" ON "Interaction"("workspaceId", "occurredAt");

-- CreateIndex
CREATE INDEX "Interaction_typeId_idx" ON "Interaction"("typeId");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_workspaceId_idempotencyKey_key" ON "Interaction"("workspaceId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ScoreSnapshot_customerId_computedAt_idx" ON "ScoreSnapshot"("customerId", "computedAt" DESC);

-- CreateIndex
CREATE INDEX "ScoreSnapshot_workspaceId_computedAt_idx" ON "ScoreSnapshot"("workspaceId", "computedAt");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Category" ADD CONSTRAINT "Category_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentWeight" ADD CONSTRAINT "SegmentWeight_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentWeight" ADD CONSTRAINT "SegmentWeight_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerWeight" ADD CONSTRAINT "CustomerWeight_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerWeight" ADD CONSTRAINT "CustomerWeight_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionType" ADD CONSTRAINT "InteractionType_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionType" ADD CONSTRAINT "InteractionType_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_typeId_fkey" FOREIGN KEY ("typeId") REFERENCES "InteractionType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSnapshot" ADD CONSTRAINT "ScoreSnapshot_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSnapshot" ADD CONSTRAINT "ScoreSnapshot_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoringModelVersion" ADD CONSTRAINT "ScoringModelVersion_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
