-- DropIndex
DROP INDEX "Interaction_customerId_occurredAt_idx";

-- CreateIndex
CREATE INDEX "Interaction_customer_scoring_idx" ON "Interaction"("customerId", "occurredAt" DESC, "typeId", "intensity", "sentiment", "value", "id");
