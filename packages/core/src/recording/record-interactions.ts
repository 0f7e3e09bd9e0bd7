// Records interactions and their effect on scores in one transaction, so that no reader ever sees
// an interaction without the score it produced. Each write carries an idempotency key: a retry
// with the same key and the same content returns the original interaction; the same key with
// other content is refused. Concurrent duplicates are settled by the unique index on
// (workspaceId, idempotencyKey) with INSERT ... ON CONFLICT DO NOTHING, never by a read-then-write.
import { randomUUID } from 'node:crypto';
import { contentHashOf } from './content-hash.ts';
import type { PrismaClient } from '@pulso/database';
import { currentModel, WorkspaceNotFoundError } from '../model/current-model.ts';
import { backfillGridStart } from '../rescoring/history-grid.ts';
import { enqueueHistoryBackfill } from '../rescoring/rescore-queue.ts';
import { scoreChangeOf, type ScoreChange } from '../scores/score-change.ts';
import { type InteractionInput, interactionIntensity, type Sentiment } from '@pulso/scoring';
import { loadPeerGroups } from '../peers/peer-groups.ts';
import { scoreCustomers } from '../scores/score-customers.ts';
import { scoreCustomersFromState } from '../scores/score-from-state.ts';
import { customerInputsOf } from '../scores/scoring-inputs.ts';
import { storeScores } from '../scores/store-scores.ts';
import type { Tx } from '../transaction.ts';
import type { InteractionRow as BulkInteractionRow } from './bulk-insert.ts';
import {
  interactionDetails,
  occurredAtOf,
  type InteractionWrite,
  type RecordedInteraction,
} from './interaction-write.ts';
import { IdempotencyConflictError, InteractionValidationError } from './recording-errors.ts';
import { lockCustomersById, lockWriters } from './lock-customers.ts';
import { missingCustomerProblems, namedCustomers, resolveCustomers } from './resolve-customers.ts';
import { checkBatchSize, inWriteOrder, modelProblems, writeShapeProblems } from './validate-writes.ts';

export interface RecordOptions {
  now?: Date;
  /** Prefix of field paths in problems: `interactions` for a batch, `input` for one write. */
  field?: (index: number) => string;
}

export interface RecordResult {
  results: RecordedInteraction[];
  changes: ScoreChange[];
  /** The history backfill queued for interactions recorded in the past (kick the rescoring runner). */
  backfillRunId?: string;
}

/** A write as inserted (JSON: the time as text), with its position in the batch and the hash of what it says. */
interface InteractionRow extends Omit<BulkInteractionRow, 'occurredAt' | 'idempotencyKey' | 'contentHash'> {
  index: number;
  id: string;
  occurredAt: string;
  idempotencyKey: string;
  contentHash: string;
}

/** Canonical hash of what a write says, to tell an honest retry from a reused key. */
function contentHash(customerId: string, w: InteractionWrite): string {
  const content = [
    customerId,
    w.typeKey,
    w.occurredAt ? w.occurredAt.toISOString() : null,
    w.intensity ?? 1,
    w.sentiment ?? null,
    w.value ?? null,
    w.comment ?? null,
    w.journeyStage ?? null,
    w.source ?? null,
  ];
  return contentHashOf(content);
}

export async function recordInteractions(
  prisma: PrismaClient,
  workspaceId: string,
  writes: InteractionWrite[],
  options: RecordOptions = {},
): Promise<RecordResult> {
  const now = options.now ?? new Date();
  const field = options.field ?? ((i: number) => `interactions[${i}]`);
  checkBatchSize(writes);
  const shapeProblems = writeShapeProblems(writes, now, field);
  if (shapeProblems.length) {
    // The model's problems and the unknown customers too (reads, nothing written), so that a future
    // date hides neither an unknown type nor an unknown customer: a client fixes its input in one round.
    const [{ compiled }, missing] = await Promise.all([
      currentModel(prisma, workspaceId),
      missingCustomerProblems(prisma, workspaceId, writes, field),
    ]);
    throw new InteractionValidationError(
      inWriteOrder(writes.length, field, shapeProblems, modelProblems(compiled, writes, now, field), missing),
    );
  }
  if (writes.length === 0) return { results: [], changes: [] };

  return prisma.$transaction(
    async (tx: Tx) => {
      // One statement finds and locks the customers named, with the model version and whether a
      // webhook listens (lock-customers.ts); only customers created on the fly cost more: then it
      // locks none, so that no lock is held while they are inserted.
      const named = namedCustomers(writes);
      const located = await lockWriters(tx, workspaceId, named.ids, named.externalIds);
      if (!located) throw new WorkspaceNotFoundError(workspaceId);
      const { version, compiled, typeIds } = await currentModel(tx, workspaceId, located.modelVersion);
      // The model's problems and the customers' are reported together (the transaction rolls
      // back any customer created on the fly for a write that is then refused).
      const refused = modelProblems(compiled, writes, now, field);
      const customerIds = await resolveCustomers(tx, workspaceId, writes, field, now, {
        customers: located.customers.length > 0 ? located.customers : located.found,
      }).catch((error: unknown) => {
        if (refused.length > 0 && error instanceof InteractionValidationError)
          throw new InteractionValidationError(inWriteOrder(writes.length, field, refused, error.problems));
        throw error;
      });
      if (refused.length > 0) throw new InteractionValidationError(refused);

      // Customers the first statement did not lock (all of them when some were missing) are
      // locked now, in id order; the others already are. The same rows tell the webhook outbox what the scores
      // were, and give the customers' scoring inputs, which scoring from their tallies needs.
      const ids = [...new Set(customerIds)].sort();
      const lockedById = new Map(located.customers.map((c) => [c.id, c]));
      const created = await lockCustomersById(
        tx,
        workspaceId,
        ids.filter((id) => !lockedById.has(id)),
      );
      for (const c of created) lockedById.set(c.id, c);
      const before = ids.map((id) => lockedById.get(id)!);

      const rows: InteractionRow[] = writes.map((w, index) => ({
        index,
        id: randomUUID(),
        workspaceId,
        customerId: customerIds[index]!,
        typeId: typeIds.get(w.typeKey)!,
        occurredAt: occurredAtOf(w, now).toISOString(),
        // A detailed comment strengthens the interaction, whichever way it arrives (@pulso/scoring write-rules).
        intensity: interactionIntensity(w.intensity, w.comment),
        ...interactionDetails(w),
        idempotencyKey: w.idempotencyKey,
        contentHash: contentHash(customerIds[index]!, w),
      }));
      const fresh = await insertNew(tx, rows);
      const results = await settleRetries(tx, workspaceId, rows, fresh, field);

      // Scored as of now, once the customers are locked, not as of `now` when the call began: a
      // concurrent write that took `now` later but committed first has already stored an
      // interaction after our `now`, and a score as of our `now` would leave it out for good.
      const scoredAt = options.now ?? new Date();
      const touched = [...new Set(rows.filter((r) => fresh.has(r.idempotencyKey)).map((r) => r.customerId))];
      const peers = await loadPeerGroups(tx, workspaceId, compiled, scoredAt);
      const previous = new Map(before.map((b) => [b.id, b]));
      // Formula 2 scores from each customer's stored tally and this write's interactions
      // (score-from-state.ts); formula 1 from the whole history.
      const fromState =
        compiled.formula === 2
          ? await scoreCustomersFromState(
              tx,
              workspaceId,
              compiled,
              version,
              touched.map((id) => ({ customerId: id, ...previous.get(id)! })),
              insertedInteractions(rows, fresh, writes),
              scoredAt,
              peers,
              new Map(before.map((b) => [b.id, customerInputsOf(b)])),
            )
          : null;
      const computed = fromState ?? (await scoreCustomers(tx, workspaceId, compiled, touched, scoredAt, peers));
      await storeScores(tx, workspaceId, version, scoredAt, computed, {
        lockedBefore: located.listened ? previous : new Map(),
        ...(fromState ? { states: new Map(fromState.map((s) => [s.customerId, s.state])) } : {}),
      });
      // A churned customer keeps its history (its score is stored) but leaves live streams: an
      // interaction after its churn (a late import, a goodbye email) is no event to act on.
      const changes = computed
        .filter(({ customerId }) => !previous.get(customerId)!.churned)
        .map(({ customerId, result }) =>
          scoreChangeOf(workspaceId, customerId, previous.get(customerId)!, result, scoredAt, version),
        );
      const backfillRunId = await queueBackfill(tx, workspaceId, rows, fresh, previous, scoredAt);
      return { results, changes, ...(backfillRunId ? { backfillRunId } : {}) };
    },
    // Writers queue for the one PGlite connection or the pool: wait rather than fail.
    { maxWait: 60_000, timeout: 120_000 },
  );
}

/**
 * History at its proper instants for interactions recorded in the past: those older than the
 * customer's latest score (its snapshot is now stale) or than the last weekly grid instant queue
 * a backfill (history-grid.ts) in this transaction. Writes at "now" queue nothing and cost nothing.
 */
async function queueBackfill(
  tx: Tx,
  workspaceId: string,
  rows: InteractionRow[],
  fresh: Set<string>,
  previous: Map<string, { scoreComputedAt: Date | null }>,
  scoredAt: Date,
): Promise<string | null> {
  const gridPoint = backfillGridStart(scoredAt).getTime();
  const customers = new Set<string>();
  let earliest = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    if (!fresh.has(row.idempotencyKey)) continue;
    const at = Date.parse(row.occurredAt);
    const latest = previous.get(row.customerId)?.scoreComputedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (at >= gridPoint && at >= latest) continue;
    customers.add(row.customerId);
    earliest = Math.min(earliest, at);
  }
  if (customers.size === 0) return null;
  return enqueueHistoryBackfill(tx, workspaceId, [...customers], backfillGridStart(new Date(earliest)), scoredAt);
}

/** The interactions this call inserted, per customer, as the scoring engine reads them. */
function insertedInteractions(
  rows: InteractionRow[],
  fresh: Set<string>,
  writes: InteractionWrite[],
): Map<string, InteractionInput[]> {
  const byCustomer = new Map<string, InteractionInput[]>();
  for (const row of rows) {
    if (!fresh.has(row.idempotencyKey)) continue;
    const list = byCustomer.get(row.customerId) ?? [];
    list.push({
      id: row.id,
      typeKey: writes[row.index]!.typeKey,
      occurredAt: new Date(row.occurredAt),
      intensity: row.intensity,
      sentiment: row.sentiment as Sentiment | null,
      value: row.value,
      // As loadCustomerInputs reads them back: only a cancellation means something to scoring.
      ...(row.journeyStage === 'CANCELLATION' ? { journeyStage: row.journeyStage } : {}),
    });
    byCustomer.set(row.customerId, list);
  }
  return byCustomer;
}

/** Inserts the rows whose idempotency key is new; returns those keys. */
async function insertNew(tx: Tx, rows: InteractionRow[]): Promise<Set<string>> {
  // Keys in a fixed order, so two batches sharing keys wait on each other instead of deadlocking.
  const ordered = [...rows].sort((a, b) =>
    a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0,
  );
  const inserted = await tx.$queryRaw<{ idempotencyKey: string }[]>`
    INSERT INTO "Interaction" ("id", "workspaceId", "customerId", "typeId", "occurredAt", "intensity", "sentiment",
      "value", "comment", "journeyStage", "source", "idempotencyKey", "contentHash")
    SELECT r."id", r."workspaceId", r."customerId", r."typeId", r."occurredAt", r."intensity", r."sentiment"::"Sentiment",
      r."value", r."comment", r."journeyStage"::"JourneyStage", r."source", r."idempotencyKey", r."contentHash"
    FROM jsonb_to_recordset(${JSON.stringify(ordered)}::jsonb) AS r("id" uuid, "workspaceId" uuid, "customerId" uuid, "typeId" uuid,
      "occurredAt" timestamp(3), "intensity" double precision, "sentiment" text, "value" double precision, "comment" text,
      "journeyStage" text, "source" text, "idempotencyKey" text, "contentHash" text)
    ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING
    RETURNING "idempotencyKey"`;
  return new Set(inserted.map((r) => r.idempotencyKey));
}

/**
 * The result of each write: the new interaction, or for a key already stored the original one
 * (a retry), unless that key was stored with other content (refused).
 */
async function settleRetries(
  tx: Tx,
  workspaceId: string,
  rows: InteractionRow[],
  fresh: Set<string>,
  field: (i: number) => string,
): Promise<RecordedInteraction[]> {
  const results: RecordedInteraction[] = rows.map((r) => ({
    interactionId: r.id,
    customerId: r.customerId,
    replayed: false,
  }));
  const retried = rows.filter((r) => !fresh.has(r.idempotencyKey));
  if (retried.length === 0) return results;
  const existing = await tx.interaction.findMany({
    where: { workspaceId, idempotencyKey: { in: retried.map((r) => r.idempotencyKey) } },
    select: { id: true, customerId: true, idempotencyKey: true, contentHash: true },
  });
  const byKey = new Map(existing.map((e) => [e.idempotencyKey!, e]));
  for (const row of retried) {
    const original = byKey.get(row.idempotencyKey)!;
    if (original.contentHash !== row.contentHash) {
      throw new IdempotencyConflictError(`${field(row.index)}.idempotencyKey`, row.idempotencyKey, original.id);
    }
    results[row.index] = { interactionId: original.id, customerId: original.customerId, replayed: true };
  }
  return results;
}
