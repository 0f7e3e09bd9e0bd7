// The rescoring queue: every rescoring to do is a row of the RescoreRun table (a whole workspace,
// or the segments and customers a model change affects, "as of" an instant), with its cursor and
// progress, so a server stopped halfway resumes on its next start from the first customer not yet
// done (rescore-runner.ts processes the rows, rescore-chunk.ts one chunk of a row).
//
// Why a table and not a job queue library: pg-boss and graphile-worker need a PostgreSQL server
// they can LISTEN to and open connections of their own; Pulso's default database is PGlite, one
// in-process connection that no such library can reach. One small table serves both databases.
import { Prisma, type PrismaClient, type RescoreRun, workspaceKey } from '@pulso/database';
import type { Tx } from '../transaction.ts';

export interface RescoreScope {
  segments?: string[];
  customerIds?: string[];
}

export interface EnqueueRescoreInput {
  workspaceId: string;
  reason: string;
  asOf?: Date;
  scope?: RescoreScope | null;
  /** Also recompute every stored snapshot under the model in force. */
  recomputeHistory?: boolean;
  /**
   * Instead, write history at grid instants: every `everyDays` days from `from` up to `asOf`,
   * plus each band change, under the model in force at each instant (history-grid.ts).
   */
  grid?: { from: Date; everyDays: number };
}

/**
 * The customers a run covers. Churned customers keep the score they left with, so an "as of now"
 * run skips them (their scores would otherwise decay into events nobody should act on); a run that
 * recomputes history includes them, because evaluating a model needs their past.
 */
export function scopeWhere(
  workspaceId: string,
  scope: RescoreScope | null | undefined,
  recomputeHistory: boolean,
): Prisma.CustomerWhereInput {
  const active = recomputeHistory ? {} : { churnedAt: null };
  if (!scope) return { workspaceId, ...active };
  return {
    workspaceId,
    ...active,
    OR: [{ segment: { in: scope.segments ?? [] } }, { id: { in: scope.customerIds ?? [] } }],
  };
}

/**
 * Records a run to do. A whole-workspace rescoring that has not started yet already covers a new
 * one: it is reused (with the later instant), so a burst of model changes rescores once.
 */
export async function enqueueRescore(db: Tx | PrismaClient, input: EnqueueRescoreInput): Promise<RescoreRun> {
  const asOf = input.asOf ?? new Date();
  const scope = input.scope ?? null;
  const recomputeHistory = (input.recomputeHistory ?? false) || input.grid !== undefined;
  if (!scope && !recomputeHistory) {
    const waiting = await db.rescoreRun.findFirst({
      where: {
        workspaceId: input.workspaceId,
        status: 'PENDING',
        done: 0,
        cursor: null,
        scope: { equals: Prisma.DbNull },
        recomputeHistory: false,
      },
      orderBy: { createdAt: 'asc' },
    });
    if (waiting) {
      // Only while it has not started: a runner (of any instance) may have claimed it meanwhile.
      const merged = await db.rescoreRun.updateMany({
        where: { workspaceId: waiting.workspaceId, id: waiting.id, status: 'PENDING', done: 0, cursor: null },
        data: {
          asOf: new Date(Math.max(asOf.getTime(), waiting.asOf.getTime())),
          reason: mergeReason(waiting.reason, input.reason),
        },
      });
      if (merged.count === 1)
        return db.rescoreRun.findUniqueOrThrow({ where: workspaceKey(waiting.workspaceId, waiting.id) });
    }
  }
  const total = await db.customer.count({
    where: scopeWhere(input.workspaceId, scope, recomputeHistory),
  });
  return db.rescoreRun.create({
    data: {
      workspaceId: input.workspaceId,
      reason: input.reason,
      asOf,
      scope: scope ? (scope as Prisma.InputJsonValue) : undefined,
      recomputeHistory,
      gridFrom: input.grid?.from,
      gridEveryDays: input.grid?.everyDays,
      total,
    },
  });
}

/** Both reasons, once each (a run that absorbs another says why it runs). */
export function mergeReason(a: string, b: string) {
  return a === b || a.split('; ').includes(b) ? a : `${a}; ${b}`.slice(0, 500);
}

export const BACKFILL_REASON = 'history backfill';
/** The grid backfills use: weekly. */
export const BACKFILL_EVERY_DAYS = 7;

/**
 * Queues the weekly history grid (history-grid.ts) of customers from `from` up to `asOf`, for
 * interactions recorded in the past. Called inside the write's transaction, so a committed write
 * never lacks its backfill. A backfill not started yet absorbs the new one in one statement (the
 * union of customers, the earliest start, the latest end), so an import in many batches queues one
 * run; concurrent writers merge one after the other on the run's row.
 */
export async function enqueueHistoryBackfill(
  tx: Tx,
  workspaceId: string,
  customerIds: string[],
  from: Date,
  asOf: Date,
): Promise<string> {
  const merged = await tx.$queryRaw<{ id: string }[]>`
    WITH target AS (
      SELECT "workspaceId", "id", "scope" FROM "RescoreRun" WHERE "workspaceId" = ${workspaceId}::uuid AND "status" = 'PENDING'
        AND "cursor" IS NULL AND "reason" = ${BACKFILL_REASON} ORDER BY "createdAt" LIMIT 1 FOR UPDATE
    ), ids AS (
      SELECT jsonb_agg(DISTINCT u.id ORDER BY u.id) AS "all" FROM (
        SELECT jsonb_array_elements_text(target."scope" -> 'customerIds') AS id FROM target
        UNION SELECT unnest(${customerIds}::text[])
      ) AS u
    )
    UPDATE "RescoreRun" AS run SET
      "scope" = jsonb_build_object('customerIds', ids."all"), "total" = jsonb_array_length(ids."all"),
      "gridFrom" = LEAST(run."gridFrom", ${from}), "asOf" = GREATEST(run."asOf", ${asOf}), "updatedAt" = now()
    FROM target, ids
    WHERE run."workspaceId" = target."workspaceId" AND run."id" = target."id" AND run."status" = 'PENDING' AND run."cursor" IS NULL
    RETURNING run."id"::text AS "id"`;
  if (merged[0]) return merged[0].id;
  const created = await tx.rescoreRun.create({
    data: {
      workspaceId,
      reason: BACKFILL_REASON,
      asOf,
      scope: { customerIds: [...new Set(customerIds)].sort() },
      recomputeHistory: true,
      gridFrom: from,
      gridEveryDays: BACKFILL_EVERY_DAYS,
      total: new Set(customerIds).size,
    },
  });
  return created.id;
}
