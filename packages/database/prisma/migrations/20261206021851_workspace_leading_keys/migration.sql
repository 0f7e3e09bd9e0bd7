-- Every table but the reference tables (Workspace, ApiKey) keyed and related by its workspace
-- first: primary keys (workspaceId, id), foreign keys through (workspaceId, ...), unique indexes led
-- by workspaceId. A PostgreSQL distributed by workspace (Citus) requires exactly this of a
-- distributed table (docs/scale.md). One PostgreSQL is unaffected but for the wider keys.

-- DropForeignKey
ALTER TABLE "CustomerOutcome" DROP CONSTRAINT "CustomerOutcome_customerId_fkey";

-- DropForeignKey
ALTER TABLE "CustomerWeight" DROP CONSTRAINT "CustomerWeight_categoryId_fkey";

-- DropForeignKey
ALTER TABLE "CustomerWeight" DROP CONSTRAINT "CustomerWeight_customerId_fkey";

-- DropForeignKey
ALTER TABLE "Interaction" DROP CONSTRAINT "Interaction_customerId_fkey";

-- DropForeignKey
ALTER TABLE "Interaction" DROP CONSTRAINT "Interaction_typeId_fkey";

-- DropForeignKey
ALTER TABLE "InteractionType" DROP CONSTRAINT "InteractionType_categoryId_fkey";

-- DropForeignKey
ALTER TABLE "ManualAssessment" DROP CONSTRAINT "ManualAssessment_customerId_fkey";

-- DropForeignKey
ALTER TABLE "ScoreSnapshot" DROP CONSTRAINT "ScoreSnapshot_customerId_fkey";

-- DropForeignKey
ALTER TABLE "SegmentWeight" DROP CONSTRAINT "SegmentWeight_categoryId_fkey";

-- DropForeignKey
ALTER TABLE "WebhookEvent" DROP CONSTRAINT "WebhookEvent_customerId_fkey";

-- DropForeignKey
ALTER TABLE "WebhookEvent" DROP CONSTRAINT "WebhookEvent_endpointId_fkey";

-- DropIndex
DROP INDEX "WebhookEvent_messageId_key";

-- AlterTable
ALTER TABLE "Category" DROP CONSTRAINT "Category_pkey",
ADD CONSTRAINT "Category_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "Customer" DROP CONSTRAINT "Customer_pkey",
ADD CONSTRAINT "Customer_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "CustomerOutcome" DROP CONSTRAINT "CustomerOutcome_pkey",
ADD CONSTRAINT "CustomerOutcome_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable: CustomerWeight gets its customer's workspace (filled from the customer rows before it
-- becomes required), so that every distributed table leads with the workspace.
ALTER TABLE "CustomerWeight" ADD COLUMN "workspaceId" UUID;
UPDATE "CustomerWeight" AS w SET "workspaceId" = c."workspaceId" FROM "Customer" AS c WHERE c."id" = w."customerId";
ALTER TABLE "CustomerWeight" ALTER COLUMN "workspaceId" SET NOT NULL,
DROP CONSTRAINT "CustomerWeight_pkey",
ADD CONSTRAINT "CustomerWeight_pkey" PRIMARY KEY ("workspaceId", "customerId", "categoryId");

-- AlterTable
ALTER TABLE "Interaction" DROP CONSTRAINT "Interaction_pkey",
ADD CONSTRAINT "Interaction_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "InteractionType" DROP CONSTRAINT "InteractionType_pkey",
ADD CONSTRAINT "InteractionType_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "ManualAssessment" DROP CONSTRAINT "ManualAssessment_pkey",
ADD CONSTRAINT "ManualAssessment_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "ModelEvaluation" DROP CONSTRAINT "ModelEvaluation_pkey",
ADD CONSTRAINT "ModelEvaluation_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "RescoreRun" DROP CONSTRAINT "RescoreRun_pkey",
ADD CONSTRAINT "RescoreRun_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "ScoreSnapshot" DROP CONSTRAINT "ScoreSnapshot_pkey",
ADD CONSTRAINT "ScoreSnapshot_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "WebhookEndpoint" DROP CONSTRAINT "WebhookEndpoint_pkey",
ADD CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("workspaceId", "id");

-- AlterTable
ALTER TABLE "WebhookEvent" DROP CONSTRAINT "WebhookEvent_pkey",
ADD CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("workspaceId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_workspaceId_messageId_key" ON "WebhookEvent"("workspaceId", "messageId");

-- AddForeignKey
ALTER TABLE "SegmentWeight" ADD CONSTRAINT "SegmentWeight_workspaceId_categoryId_fkey" FOREIGN KEY ("workspaceId", "categoryId") REFERENCES "Category"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerWeight" ADD CONSTRAINT "CustomerWeight_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerWeight" ADD CONSTRAINT "CustomerWeight_workspaceId_categoryId_fkey" FOREIGN KEY ("workspaceId", "categoryId") REFERENCES "Category"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionType" ADD CONSTRAINT "InteractionType_workspaceId_categoryId_fkey" FOREIGN KEY ("workspaceId", "categoryId") REFERENCES "Category"("workspaceId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_workspaceId_typeId_fkey" FOREIGN KEY ("workspaceId", "typeId") REFERENCES "InteractionType"("workspaceId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerOutcome" ADD CONSTRAINT "CustomerOutcome_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreSnapshot" ADD CONSTRAINT "ScoreSnapshot_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ManualAssessment" ADD CONSTRAINT "ManualAssessment_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_workspaceId_endpointId_fkey" FOREIGN KEY ("workspaceId", "endpointId") REFERENCES "WebhookEndpoint"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_workspaceId_customerId_fkey" FOREIGN KEY ("workspaceId", "customerId") REFERENCES "Customer"("workspaceId", "id") ON DELETE CASCADE ON UPDATE CASCADE;
