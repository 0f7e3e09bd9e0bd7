// The floor of the time-ordered ingestion benchmark: the same stream's rows written by the
// database alone, one plain multi-row INSERT ... ON CONFLICT DO NOTHING per batch (autocommitted,
// durable when it returns), the same batches in the same order with as many in flight, into a
// scratch table with the columns and indexes of "Interaction" (lib/insert-floor.ts). No scoring,
// no GraphQL: what Pulso's throughput is a ratio of.
import { createHash } from 'node:crypto';
import type { RunQuery } from './insert-floor.ts';
import type { StreamInteraction } from './interaction-stream.ts';
import { batchSizes, sendInOrder, type BatchTiming } from './batch-timing.ts';

const COLUMNS = [
  '"id"',
  '"workspaceId"',
  '"customerId"',
  '"typeId"',
  '"occurredAt"',
  '"intensity"',
  '"sentiment"',
  '"value"',
  '"source"',
  '"idempotencyKey"',
  '"contentHash"',
];

/** A stable uuid for a name (the floor's customers and types have no rows of their own). */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function insertOf(rows: StreamInteraction[], workspaceId: string): [string, unknown[]] {
  const params: unknown[] = [];
  const tuples = rows.map((r) => {
    const values = [
      uuidOf(r.idempotencyKey),
      workspaceId,
      uuidOf(r.customer.externalId),
      uuidOf(r.type),
      r.occurredAt,
      r.intensity,
      r.sentiment ?? null,
      r.value ?? null,
      'api',
      r.idempotencyKey,
      createHash('sha256').update(JSON.stringify(r)).digest('hex'),
    ];
    const at = params.length;
    params.push(...values);
    return `(${values.map((_, i) => `$${at + i + 1}`).join(', ')})`;
  });
  return [
    `INSERT INTO bench_floor_rating (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
     ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING`,
    params,
  ];
}

/** Inserts the stream in batches of `batchSize`, one connection per batch in flight. */
export function insertStream(
  connections: RunQuery[],
  interactions: StreamInteraction[],
  batchSize: number,
): Promise<BatchTiming[]> {
  const workspaceId = uuidOf(`floor-${Date.now()}`);
  const free = [...connections];
  return sendInOrder(batchSizes(interactions.length, batchSize), connections.length, async (batch) => {
    const query = free.pop()!;
    try {
      const [sql, params] = insertOf(interactions.slice(batch * batchSize, (batch + 1) * batchSize), workspaceId);
      await query(sql, params);
    } finally {
      free.push(query);
    }
  });
}
