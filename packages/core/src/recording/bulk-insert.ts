// Bulk inserts for seeding, import and rescoring. Prisma's createMany binds every value as its
// own parameter and plans the statement in its query compiler, which took ~16 s for 32,000
// interactions on PGlite; one INSERT ... SELECT FROM jsonb_to_recordset($1) with a single JSON
// parameter does the same work in well under a second on PGlite and on PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@pulso/database';
import type { Tx } from '../transaction.ts';

export interface InteractionRow {
  workspaceId: string;
  customerId: string;
  typeId: string;
  occurredAt: Date;
  intensity: number;
  sentiment: string | null;
  value: number | null;
  comment: string | null;
  journeyStage: string | null;
  source: string | null;
  idempotencyKey: string | null;
  contentHash?: string | null;
}

export interface SnapshotRow {
  workspaceId: string;
  customerId: string;
  computedAt: Date;
  score: number;
  band: string;
  coverage: number;
  breakdown: unknown;
  modelVersion: number;
}

const BATCH = 5_000;

/**
 * Inserts interactions; rows whose idempotency key already exists are skipped. Returns rows inserted.
 * The customers' stored scoring tallies (score-from-state.ts) are dropped in the same statement: a
 * tally that missed interactions would keep missing them, so the next write rebuilds it.
 */
export async function insertInteractions(db: Tx | PrismaClient, rows: InteractionRow[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += BATCH) {
    const json = JSON.stringify(
      rows.slice(start, start + BATCH).map((r) => ({ id: randomUUID(), ...r, contentHash: r.contentHash ?? null })),
    );
    const [{ count }] = await db.$queryRaw<[{ count: number }]>`
      WITH inserted AS (
        INSERT INTO "Interaction" ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment",
          "value", "comment", "journeyStage", "source", "idempotencyKey", "contentHash")
        SELECT r."id", r."workspaceId", r."customerId", r."typeId", r."occurredAt", r."intensity", r."sentiment"::"Sentiment",
          r."value", r."comment", r."journeyStage"::"JourneyStage", r."source", r."idempotencyKey", r."contentHash"
        FROM jsonb_to_recordset(${json}::jsonb) AS r("id" uuid, "workspaceId" uuid, "customerId" uuid, "typeId" uuid,
          "occurredAt" timestamp(3), "intensity" double precision, "sentiment" text, "value" double precision, "comment" text,
          "journeyStage" text, "source" text, "idempotencyKey" text, "contentHash" text)
        ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING
        RETURNING "workspaceId", "customerId"
      ), dropped AS (
        UPDATE "Customer" SET "scoringState" = NULL, "scoringStateModelVersion" = NULL
        WHERE ("workspaceId", "id") IN (SELECT DISTINCT "workspaceId", "customerId" FROM inserted) AND "scoringState" IS NOT NULL
      )
      SELECT count(*)::int AS "count" FROM inserted`;
    inserted += count;
  }
  return inserted;
}

export async function insertSnapshots(db: Tx | PrismaClient, rows: SnapshotRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) {
    const json = JSON.stringify(rows.slice(start, start + BATCH).map((r) => ({ id: randomUUID(), ...r })));
    await db.$executeRaw`
      INSERT INTO "ScoreSnapshot" ("id", "workspaceId", "customerId", "computedAt", "score", "band", "coverage", "breakdown", "modelVersion")
      SELECT r."id", r."workspaceId", r."customerId", r."computedAt", r."score", r."band"::"Band", r."coverage", r."breakdown", r."modelVersion"
      FROM jsonb_to_recordset(${json}::jsonb) AS r("id" uuid, "workspaceId" uuid, "customerId" uuid, "computedAt" timestamp(3),
        "score" double precision, "band" text, "coverage" double precision, "breakdown" jsonb, "modelVersion" integer)`;
  }
}
