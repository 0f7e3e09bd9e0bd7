// Records what happened to customers' contracts — churned, renewed, downgraded, expanded,
// reactivated — the outcomes a health score exists to predict. They are labels for evaluating a
// model, never inputs of the score: recording one changes no score.
//
// Written like interactions: each carries an idempotency key (a retry returns the original, the
// same key with other content is refused), customers are named by id or external id (with a name,
// a missing one is created), and everything happens in one transaction. A customer's `churnedAt`
// follows its latest churn or reactivation, so lists filter churned customers out with an index;
// a customer that newly churned becomes a `customer.churned` webhook event in the same transaction.
// A reactivation brings back a churned customer: one for a customer with no churn recorded at or
// before it (the same batch's churns included) is refused, NOT_CHURNED, and nothing is stored.
import { randomUUID } from 'node:crypto';
import { contentHashOf } from '../recording/content-hash.ts';
import type { OutcomeKind, PrismaClient } from '@pulso/database';
import type { CustomerRef } from '../recording/interaction-write.ts';
import {
  type FieldProblem,
  IdempotencyConflictError,
  InteractionValidationError,
} from '../recording/recording-errors.ts';
import { resolveCustomers } from '../recording/resolve-customers.ts';
import { checkBatchSize, checkKeyedWrite } from '../recording/validate-writes.ts';
import type { Tx } from '../transaction.ts';
import { writeChurnEvents } from './churn-events.ts';

export const OUTCOME_KINDS: readonly OutcomeKind[] = ['CHURNED', 'RENEWED', 'DOWNGRADED', 'EXPANDED', 'REACTIVATED'];
const MAX_REASON_LENGTH = 2_000;

export interface OutcomeWrite {
  customer: CustomerRef;
  kind: OutcomeKind;
  /** Defaults to now. */
  occurredAt?: Date | null;
  /** Why, in the company's words (a churn reason, a plan name). */
  reason?: string | null;
  /** Churns only: whether the customer chose to leave. */
  voluntary?: boolean | null;
  source?: string | null;
  idempotencyKey: string;
}

export interface RecordedOutcome {
  outcomeId: string;
  customerId: string;
  /** True when this write was a retry of one already recorded: nothing new was stored. */
  replayed: boolean;
}

export interface OutcomeRecordOptions {
  now?: Date;
  /** Prefix of field paths in problems: `outcomes` for a batch, `input` for one write. */
  field?: (index: number) => string;
}

export interface OutcomeRecordResult {
  results: RecordedOutcome[];
  /** Customers whose latest lifecycle event became a churn with this call. */
  churned: string[];
  /** Customers brought back by a reactivation in this call. */
  reactivated: string[];
}

function contentHash(customerId: string, w: OutcomeWrite): string {
  const content = [
    customerId,
    w.kind,
    w.occurredAt ? w.occurredAt.toISOString() : null,
    w.reason ?? null,
    w.voluntary ?? null,
    w.source ?? null,
  ];
  return contentHashOf(content);
}

export async function recordOutcomes(
  prisma: PrismaClient,
  workspaceId: string,
  writes: OutcomeWrite[],
  options: OutcomeRecordOptions = {},
): Promise<OutcomeRecordResult> {
  const now = options.now ?? new Date();
  const field = options.field ?? ((i: number) => `outcomes[${i}]`);
  checkBatchSize(writes, 'outcomes');
  checkOutcomes(writes, now, field);
  if (writes.length === 0) return { results: [], churned: [], reactivated: [] };

  return prisma.$transaction(
    async (tx: Tx) => {
      const customerIds = await resolveCustomers(tx, workspaceId, writes, field, now);
      const ids = [...new Set(customerIds)].sort();
      // Locked in a fixed order (as interactions do), so concurrent writes for one customer settle
      // its churn state one after the other.
      const before = await tx.$queryRaw<{ id: string; churnedAt: Date | null }[]>`
        SELECT "id"::text AS "id", "churnedAt" FROM "Customer"
        WHERE "workspaceId" = ${workspaceId}::uuid AND "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE`;
      const rows = writes.map((w, index) => ({
        index,
        id: randomUUID(),
        customerId: customerIds[index]!,
        kind: w.kind,
        occurredAt: (w.occurredAt && w.occurredAt.getTime() < now.getTime() ? w.occurredAt : now).toISOString(),
        reason: w.reason ?? null,
        voluntary: w.voluntary ?? null,
        source: w.source ?? null,
        idempotencyKey: w.idempotencyKey,
        contentHash: contentHash(customerIds[index]!, w),
      }));
      const ordered = [...rows].sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : 1));
      const inserted = await tx.$queryRaw<{ idempotencyKey: string }[]>`
        INSERT INTO "CustomerOutcome" ("id", "workspaceId", "customerId", "kind", "occurredAt", "reason", "voluntary",
          "source", "idempotencyKey", "contentHash", "createdAt")
        SELECT r."id", ${workspaceId}::uuid, r."customerId", r."kind"::"OutcomeKind", r."occurredAt", r."reason", r."voluntary",
          r."source", r."idempotencyKey", r."contentHash", ${now}
        FROM jsonb_to_recordset(${JSON.stringify(ordered)}::jsonb) AS r("id" uuid, "customerId" uuid, "kind" text,
          "occurredAt" timestamp(3), "reason" text, "voluntary" boolean, "source" text, "idempotencyKey" text, "contentHash" text)
        ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING
        RETURNING "idempotencyKey"`;
      const fresh = new Set(inserted.map((r) => r.idempotencyKey));
      const results: RecordedOutcome[] = rows.map((r) => ({
        outcomeId: r.id,
        customerId: r.customerId,
        replayed: false,
      }));
      const retried = rows.filter((r) => !fresh.has(r.idempotencyKey));
      if (retried.length > 0) {
        const existing = await tx.customerOutcome.findMany({
          where: { workspaceId, idempotencyKey: { in: retried.map((r) => r.idempotencyKey) } },
          select: { id: true, customerId: true, idempotencyKey: true, contentHash: true },
        });
        const byKey = new Map(existing.map((e) => [e.idempotencyKey!, e]));
        for (const row of retried) {
          const original = byKey.get(row.idempotencyKey)!;
          if (original.contentHash !== row.contentHash) {
            throw new IdempotencyConflictError(
              `${field(row.index)}.idempotencyKey`,
              row.idempotencyKey,
              original.id,
              'outcome',
            );
          }
          results[row.index] = { outcomeId: original.id, customerId: original.customerId, replayed: true };
        }
      }
      const notChurned = await notChurnedProblems(
        tx,
        workspaceId,
        writes,
        rows.filter((r) => r.kind === 'REACTIVATED' && fresh.has(r.idempotencyKey)),
        field,
      );
      if (notChurned.length > 0) throw new InteractionValidationError(notChurned);
      const touched = [...new Set(rows.filter((r) => fresh.has(r.idempotencyKey)).map((r) => r.customerId))];
      const after = await settleChurnState(tx, workspaceId, touched, now);
      const wasChurned = new Map(before.map((b) => [b.id, b.churnedAt !== null]));
      const churned = touched.filter((id) => after.get(id) != null && !wasChurned.get(id));
      const reactivated = touched.filter((id) => after.get(id) == null && wasChurned.get(id));
      await writeChurnEvents(tx, workspaceId, churned, now);
      return { results, churned, reactivated };
    },
    { maxWait: 60_000, timeout: 120_000 },
  );
}

/**
 * A NOT_CHURNED problem for each reactivation (newly written) of a customer with no churn recorded
 * at or before it: only a churned customer can come back. Read after this batch's outcomes were
 * inserted, so a churn earlier in the same batch counts; the caller's transaction is rolled back.
 */
async function notChurnedProblems(
  tx: Tx,
  workspaceId: string,
  writes: readonly OutcomeWrite[],
  reactivations: readonly { index: number; customerId: string; occurredAt: string }[],
  field: (i: number) => string,
): Promise<FieldProblem[]> {
  if (reactivations.length === 0) return [];
  const firstChurns = await tx.customerOutcome.groupBy({
    by: ['customerId'],
    where: { workspaceId, kind: 'CHURNED', customerId: { in: [...new Set(reactivations.map((r) => r.customerId))] } },
    _min: { occurredAt: true },
  });
  const firstChurn = new Map(firstChurns.map((c) => [c.customerId, c._min.occurredAt]));
  return reactivations.flatMap((r): FieldProblem[] => {
    const churned = firstChurn.get(r.customerId);
    if (churned && churned.getTime() <= new Date(r.occurredAt).getTime()) return [];
    const { customer } = writes[r.index]!;
    return [
      {
        field: `${field(r.index)}.kind`,
        code: 'NOT_CHURNED',
        message: `customer "${customer.externalId ?? customer.id}" has not churned: no churn of it is recorded at or before ${r.occurredAt}, and only a churned customer can be reactivated (record the churn first)`,
      },
    ];
  });
}

/**
 * Sets each customer's `churnedAt` from its latest churn or reactivation (by when it happened; a
 * backdated churn before a reactivation leaves the customer active): the first churn since the
 * last reactivation before it, so that a churn reported twice keeps the date it churned. Returns
 * the new values.
 */
export async function settleChurnState(
  tx: Tx,
  workspaceId: string,
  customerIds: string[],
  now: Date,
): Promise<Map<string, Date | null>> {
  if (customerIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; churnedAt: Date | null }[]>`
    UPDATE "Customer" c SET "churnedAt" = l."churnedAt", "updatedAt" = ${now}
    FROM (
      SELECT ids."id", (
        -- Churned when the latest churn or reactivation is a churn; since the first churn after the
        -- last reactivation (a churn reported again, by another system, does not move it later).
        SELECT CASE WHEN o."kind" = 'CHURNED' THEN (
          SELECT min(c2."occurredAt") FROM "CustomerOutcome" c2
          WHERE c2."workspaceId" = o."workspaceId" AND c2."customerId" = o."customerId" AND c2."kind" = 'CHURNED'
            AND c2."occurredAt" > COALESCE((
              SELECT max(r."occurredAt") FROM "CustomerOutcome" r
              WHERE r."workspaceId" = o."workspaceId" AND r."customerId" = o."customerId" AND r."kind" = 'REACTIVATED'
                AND r."occurredAt" < o."occurredAt"), '-infinity'::timestamp)
        ) END FROM "CustomerOutcome" o
        WHERE o."workspaceId" = ${workspaceId}::uuid AND o."customerId" = ids."id" AND o."kind" IN ('CHURNED', 'REACTIVATED')
        ORDER BY o."occurredAt" DESC, o."createdAt" DESC, o."kind" DESC LIMIT 1
      ) AS "churnedAt"
      FROM unnest(${customerIds}::uuid[]) AS ids("id")
    ) l
    WHERE c."id" = l."id" AND c."workspaceId" = ${workspaceId}::uuid
    RETURNING c."id"::text AS "id", c."churnedAt"`;
  return new Map(rows.map((r) => [r.id, r.churnedAt]));
}

/**
 * Checks what can be checked without the database; throws every problem at once. Exported so an
 * importer can check each row before writing (what passes here is recorded).
 */
export function checkOutcomes(writes: OutcomeWrite[], now: Date, field: (i: number) => string): void {
  const problems: FieldProblem[] = [];
  const keys = new Map<string, number>();
  writes.forEach((w, i) => {
    const at = field(i);
    checkKeyedWrite(w, i, now, field, keys, problems);
    if (!OUTCOME_KINDS.includes(w.kind))
      problems.push({ field: `${at}.kind`, code: 'INVALID', message: `must be one of ${OUTCOME_KINDS.join(', ')}` });
    if (w.voluntary != null && w.kind !== 'CHURNED')
      problems.push({ field: `${at}.voluntary`, code: 'INVALID', message: 'applies to CHURNED outcomes only' });
    if (w.reason != null && (w.reason.trim() === '' || w.reason.length > MAX_REASON_LENGTH))
      problems.push({
        field: `${at}.reason`,
        code: 'INVALID',
        message: `must be 1 to ${MAX_REASON_LENGTH} characters`,
      });
  });
  if (problems.length) throw new InteractionValidationError(problems);
}
