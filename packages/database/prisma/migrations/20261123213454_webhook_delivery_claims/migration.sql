-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "claimedUntil" TIMESTAMP(3),
ADD COLUMN     "giveUpAt" TIMESTAMP(3);
