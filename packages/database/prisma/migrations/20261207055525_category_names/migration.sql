-- AlterTable
ALTER TABLE "Category" ADD COLUMN     "names" JSONB NOT NULL DEFAULT '{}';
