// The rescoring schedule: every workspace rescored "as of now" once per interval, so that silence
// and decay show without new interactions. A scheduled run is keyed by (workspace, interval) and
// inserted with ON CONFLICT DO NOTHING, so instances sharing a database queue it once.
import { Prisma, type PrismaClient, type RescoreRun, workspaceKey } from '@pulso/database';
import { mergeReason, scopeWhere } from './rescore-queue.ts';
import type { RescoreRunner } from './rescore-runner.ts';

export interface RescoreScheduleOptions {
  /** Time between scheduled rescorings of every workspace; intervals are aligned to the clock. */
  intervalMs: number;
  /** Processes the queued runs; kicked by the schedule, stopped by its owner (not by the schedule). */
  runner: RescoreRunner;
  onError?: (error: unknown) => void;
}

export const SCHEDULE_REASON = 'schedule';

/**
 * The start of the schedule's interval that `at` falls in. Intervals are counted from the Unix
 * epoch, so every instance sharing a database names the same one (a daily interval starts at
 * 00:00 UTC), whenever each was started.
 */
export function scheduleSlot(at: Date, intervalMs: number): Date {
  return new Date(Math.floor(at.getTime() / intervalMs) * intervalMs);
}

/**
 * Queues the scheduled rescoring of a workspace for one interval (`slot`), as of `asOf`. Returns
 * null, queuing nothing, when that interval has its run already (queued by this instance or any
 * other: the unique key on (workspaceId, slot) decides, whatever the timing) or when the previous
 * scheduled run is still under way. A whole-workspace run not started yet takes the slot instead
 * of a new run, so an on-demand rescoring and the schedule rescore once.
 */
export async function enqueueScheduledRescore(
  prisma: PrismaClient,
  workspaceId: string,
  slot: Date,
  asOf: Date,
): Promise<RescoreRun | null> {
  const busy = await prisma.rescoreRun.count({
    where: { workspaceId, slot: { not: null }, status: { in: ['PENDING', 'RUNNING'] } },
  });
  if (busy > 0) return null;
  try {
    const waiting = await prisma.rescoreRun.findFirst({
      where: {
        workspaceId,
        status: 'PENDING',
        done: 0,
        cursor: null,
        scope: { equals: Prisma.DbNull },
        recomputeHistory: false,
        slot: null,
      },
      orderBy: { createdAt: 'asc' },
    });
    if (waiting) {
      const taken = await prisma.rescoreRun.updateMany({
        where: {
          workspaceId: waiting.workspaceId,
          id: waiting.id,
          status: 'PENDING',
          done: 0,
          cursor: null,
          slot: null,
        },
        data: {
          slot,
          asOf: asOf > waiting.asOf ? asOf : waiting.asOf,
          reason: mergeReason(waiting.reason, SCHEDULE_REASON),
        },
      });
      if (taken.count === 1)
        return prisma.rescoreRun.findUniqueOrThrow({ where: workspaceKey(waiting.workspaceId, waiting.id) });
    }
    // The customers an as-of-now run covers (rescore-queue.ts: churned ones keep the score they left with).
    const total = await prisma.customer.count({ where: scopeWhere(workspaceId, null, false) });
    const [created] = await prisma.rescoreRun.createManyAndReturn({
      data: [{ workspaceId, reason: SCHEDULE_REASON, asOf, slot, total }],
      skipDuplicates: true, // ON CONFLICT DO NOTHING: another instance queued this interval first.
    });
    return created ?? null;
  } catch (error) {
    // The waiting run could not take a slot another instance had taken meanwhile.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
    throw error;
  }
}

/**
 * Rescores every workspace "as of now" once per interval of `intervalMs`, so that silence and
 * decay show without new interactions. Every instance sharing the database may run a schedule:
 * each wakes at the start of each interval, and one run per workspace and interval is queued
 * (see enqueueScheduledRescore); any instance's runner may process it. At start it resumes
 * unfinished runs and catches up when the last scheduled rescoring is older than an interval.
 * Stopping the schedule leaves the runner running: its owner stops it.
 */
export function startRescoreSchedule(prisma: PrismaClient, options: RescoreScheduleOptions): { stop(): Promise<void> } {
  const { intervalMs } = options;
  const { runner } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let queuing: Promise<void> = Promise.resolve();

  const queue = async (slot: Date, onlyIfDue: boolean) => {
    const now = new Date();
    const workspaces = await prisma.workspace.findMany({ select: { id: true } });
    for (const { id } of workspaces) {
      if (stopped) return;
      if (onlyIfDue) {
        const last = await prisma.rescoreRun.findFirst({
          where: { workspaceId: id, slot: { not: null } },
          orderBy: { createdAt: 'desc' },
          select: { createdAt: true },
        });
        if (last && now.getTime() - last.createdAt.getTime() < intervalMs) continue;
      }
      await enqueueScheduledRescore(prisma, id, slot, now);
    }
    runner.kick();
  };

  // The interval we are in is the catch-up's; each later one is queued when it starts.
  let handled = scheduleSlot(new Date(), intervalMs).getTime();
  const wait = () => {
    if (stopped) return;
    timer = setTimeout(wake, Math.max(0, handled + intervalMs - Date.now()));
  };
  const wake = () => {
    const slot = scheduleSlot(new Date(), intervalMs).getTime();
    // A timer may fire a little before the interval starts: wait for it again.
    if (slot <= handled) return wait();
    handled = slot;
    queuing = queue(new Date(slot), false)
      .catch((error: unknown) => options.onError?.(error))
      .finally(wait);
  };

  runner.kick();
  queuing = queue(new Date(handled), true)
    .catch((error: unknown) => options.onError?.(error))
    .finally(wait);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await queuing;
    },
  };
}
