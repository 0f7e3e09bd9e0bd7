-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "previousTokenSigningSecret" TEXT,
ADD COLUMN     "previousTokenSigningSecretUntil" TIMESTAMP(3);
