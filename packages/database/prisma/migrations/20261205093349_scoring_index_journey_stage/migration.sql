-- DropIndex
DROP INDEX "Interaction_customer_scoring_idx";

-- CreateIndex
CREATE INDEX "Interaction_customer_scoring_idx" ON "Interaction"("customerId", "occurredAt" DESC, "typeId", "intensity", "sentiment", "value", "journeyStage", "id");
