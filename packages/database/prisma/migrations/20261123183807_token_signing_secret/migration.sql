-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "tokenSigningSecret" TEXT NOT NULL DEFAULT ('pulso_ts_'::text || replace((gen_random_uuid())::text || (gen_random_uuid())::text, '-'::text, ''::text));
