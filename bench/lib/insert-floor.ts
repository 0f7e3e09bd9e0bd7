// The floor of benchmark 4: what the database itself does for ratings without Pulso — one
// autocommitted INSERT ... ON CONFLICT DO NOTHING per rating, each durable when it returns (the
// server's synchronous_commit stays on), into a table with the columns and indexes of
// "Interaction" (unique (workspaceId, idempotencyKey), the two occurredAt indexes, typeId).
// The same loop serves PostgreSQL (16 pg connections, in the harness process) and PGlite (its one
// connection, in a process of its own on the server core: servers/pglite-insert-floor.ts).
import { createHash, randomUUID } from 'node:crypto';

export const FLOOR_TABLE = `
  CREATE TABLE IF NOT EXISTS bench_floor_rating (
    "id" uuid PRIMARY KEY, "workspaceId" uuid NOT NULL, "customerId" uuid NOT NULL, "typeId" uuid NOT NULL,
    "occurredAt" timestamp(3) NOT NULL, "intensity" double precision NOT NULL DEFAULT 1, "sentiment" text,
    "value" double precision, "comment" text, "journeyStage" text, "source" text, "idempotencyKey" text,
    "contentHash" text, "createdAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);
  CREATE UNIQUE INDEX IF NOT EXISTS bench_floor_rating_key ON bench_floor_rating ("workspaceId", "idempotencyKey");
  CREATE INDEX IF NOT EXISTS bench_floor_rating_customer ON bench_floor_rating ("customerId", "occurredAt" DESC);
  CREATE INDEX IF NOT EXISTS bench_floor_rating_workspace ON bench_floor_rating ("workspaceId", "occurredAt");
  CREATE INDEX IF NOT EXISTS bench_floor_rating_type ON bench_floor_rating ("typeId");`;

const INSERT = `INSERT INTO bench_floor_rating ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment", "source", "idempotencyKey", "contentHash")
  VALUES ($1, $2, $3, $4, now(), 1, $5, 'widget', $6, $7) ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING`;

const CHOICES = ['LIKED', 'INDIFFERENT', 'WASTED_TIME'];

export interface FloorRows {
  workspaceId: string;
  typeId: string;
  customerIds: string[];
}

export type RunQuery = (sql: string, params: unknown[]) => Promise<unknown>;

/** Inserts ratings over `connections` for `seconds`; returns the rows inserted (each durable). */
export async function insertLoop(
  connections: RunQuery[],
  rows: FloorRows,
  tag: string,
  seconds: number,
): Promise<{ inserted: number; elapsed: number }> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let inserted = 0;
  let n = 0;
  await Promise.all(
    connections.map(async (query) => {
      while (performance.now() < deadline) {
        const key = `widget:${tag}-${++n}`;
        const customerId = rows.customerIds[Math.floor(Math.random() * rows.customerIds.length)]!;
        const sentiment = CHOICES[n % CHOICES.length]!;
        const hash = createHash('sha256')
          .update(JSON.stringify([customerId, 'micro_rating', sentiment, key]))
          .digest('hex');
        await query(INSERT, [randomUUID(), rows.workspaceId, customerId, rows.typeId, sentiment, key, hash]);
        inserted++;
      }
    }),
  );
  return { inserted, elapsed: (performance.now() - started) / 1000 };
}
