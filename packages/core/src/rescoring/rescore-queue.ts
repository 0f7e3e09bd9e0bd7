// The rescoring queue: every rescoring to do is a row of the RescoreRun table (a whole workspace,
// or the segments and customers a model change affects, "as of" an instant), with its cursor and
// progress, so a server stopped halfway resumes on its next start from the first customer not yet
// done (rescore-runner.ts processes the rows, rescore-chunk.ts one chunk of a row).
//
// Why a table and not a job queue library: pg-boss and graphile-worker need a PostgreSQL server
// they can LISTEN to and open connections of their own; Pulso's default database is PGlite, one
// in-process connection that no such library can reach. One small table serves both databases.
import { Prisma, type PrismaClient, type RescoreRun } from '@pulso/database';
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
  if (!scope && !input.recomputeHistory) {
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
        where: { id: waiting.id, status: 'PENDING', done: 0, cursor: null },
        data: {
          asOf: new Date(Math.max(asOf.getTime(), waiting.asOf.getTime())),
          reason: mergeReason(waiting.reason, input.reason),
        },
      });
      if (merged.count === 1) return db.rescoreRun.findUniqueOrThrow({ where: { id: waiting.id } });
    }
  }
  const total = await db.customer.count({
    where: scopeWhere(input.workspaceId, scope, input.recomputeHistory ?? false),
  });
  return db.rescoreRun.create({
    data: {
      workspaceId: input.workspaceId,
      reason: input.reason,
      asOf,
      scope: scope ? (scope as Prisma.InputJsonValue) : undefined,
      recomputeHistory: input.recomputeHistory ?? false,
      total,
    },
  });
}

/** Both reasons, once each (a run that absorbs another says why it runs). */
export function mergeReason(a: string, b: string) {
  return a === b || a.split('; ').includes(b) ? a : `${a}; ${b}`.slice(0, 500);
}
