// Rescoring runs: every customer of a workspace (or those a model change affects) rescored "as of"
// an instant, in chunks, with progress. Each run and its cursor live in the RescoreRun table and
// each chunk commits its scores and the cursor together, so a server stopped halfway resumes on its
// next start from the first customer not yet done, and never counts a chunk twice.
//
// Why a table and not a job queue library: pg-boss and graphile-worker need a PostgreSQL server
// they can LISTEN to and open connections of their own; Pulso's default database is PGlite, one
// in-process connection that no such library can reach. One small table serves both databases.
//
// Several instances may share one PostgreSQL database. The database, not timing, keeps them from
// doing work twice: a scheduled run is keyed by (workspace, interval) and inserted with ON CONFLICT
// DO NOTHING, a run is claimed by compare-and-set, and each chunk commits only if the run is still
// as its owner last saw it (cursor and updatedAt), so an instance whose lease was taken over stops
// instead of writing a chunk again.
//
// PGlite runs every query on the event loop: the runner yields to it between chunks (setImmediate)
// so API requests are answered while a large rescoring is under way.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Prisma, type Band, type PrismaClient, type RescoreRun } from '@pulso/database';
import { scoreChangeOf, type ScoreChange } from '../recording/record-interactions.ts';
import { scoreCustomer } from '@pulso/scoring';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from '../scores/scoring-inputs.ts';
import { currentModel } from '../model/current-model.ts';
import { historyBreakdown, storeScores, type ComputedScore, type Tx } from '../scores/store-scores.ts';

type Db = Tx | PrismaClient;

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
function scopeWhere(
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
export async function enqueueRescore(db: Db, input: EnqueueRescoreInput): Promise<RescoreRun> {
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

function mergeReason(a: string, b: string) {
  return a === b || a.split('; ').includes(b) ? a : `${a}; ${b}`.slice(0, 500);
}

export interface RescoreRunnerOptions {
  /** Customers per chunk (default 200): one transaction each. */
  chunkSize?: number;
  /** A RUNNING run untouched for this long belongs to a process that died (default 60 s). */
  leaseMs?: number;
  /** Called after each chunk with the run as stored. */
  onChunk?: (run: RescoreRun) => void;
  /** Errors: of a failed run, or of the runner itself (no run). A run taken over is no error. */
  onError?: (error: unknown, run?: RescoreRun) => void;
  /** For tests: stop dead after this many chunks, as if the process had been killed. */
  crashAfterChunks?: number;
}

/** Processes queued runs one at a time, in the background of the process that owns the database. */
export class RescoreRunner {
  readonly #prisma: PrismaClient;
  readonly #chunkSize: number;
  readonly #leaseMs: number;
  readonly #options: RescoreRunnerOptions;
  #loop: Promise<void> | null = null;
  #again = false;
  #stopping = false;
  #chunks = 0;

  constructor(prisma: PrismaClient, options: RescoreRunnerOptions = {}) {
    this.#prisma = prisma;
    this.#chunkSize = options.chunkSize ?? 200;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#options = options;
  }

  #paused = false;
  readonly #scoreListeners = new Set<(changes: ScoreChange[]) => void>();

  /**
   * Hears of every score a chunk moved (score or band), after the chunk commits: the server
   * publishes them to live subscribers. Returns the function that stops listening.
   */
  onScoreChanges(listener: (changes: ScoreChange[]) => void): () => void {
    this.#scoreListeners.add(listener);
    return () => this.#scoreListeners.delete(listener);
  }

  /** Holds queued runs until resume() (the chunk in progress finishes). */
  async pause(): Promise<void> {
    this.#paused = true;
    await this.idle();
  }

  resume(): void {
    this.#paused = false;
    this.kick();
  }

  /** Makes sure queued runs are being processed (call after enqueueing). */
  kick(): void {
    if (this.#stopping || this.#paused) return;
    this.#again = true;
    if (this.#loop) return;
    this.#loop = this.#drain()
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#loop = null;
        if (this.#again && !this.#stopping && !this.#paused) this.kick();
      });
  }

  /** Resolves when nothing is queued any more (or the runner stopped). */
  async idle(): Promise<void> {
    while (this.#loop) await this.#loop;
  }

  /** Finishes the chunk in progress, leaves the run to resume later, and stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#loop;
  }

  async #drain(): Promise<void> {
    while (!this.#stopping && !this.#paused) {
      this.#again = false;
      const run = await this.#claim();
      if (!run) return;
      await this.#process(run);
    }
  }

  async #claim(): Promise<RescoreRun | null> {
    for (;;) {
      const stale = new Date(Date.now() - this.#leaseMs);
      const run = await this.#prisma.rescoreRun.findFirst({
        where: { OR: [{ status: 'PENDING' }, { status: 'RUNNING', updatedAt: { lt: stale } }] },
        orderBy: { createdAt: 'asc' },
      });
      if (!run) return null;
      // Compare-and-set: another process (PostgreSQL) may have taken it in between.
      const claimed = await this.#prisma.rescoreRun.updateMany({
        where: { id: run.id, status: run.status, updatedAt: run.updatedAt },
        data: { status: 'RUNNING', startedAt: run.startedAt ?? new Date() },
      });
      if (claimed.count === 1) return this.#prisma.rescoreRun.findUniqueOrThrow({ where: { id: run.id } });
    }
  }

  async #process(run: RescoreRun): Promise<void> {
    try {
      for (;;) {
        if (this.#stopping || this.#paused) {
          await this.#prisma.rescoreRun.updateMany({ where: owned(run), data: { status: 'PENDING' } });
          return;
        }
        const next = await rescoreChunk(this.#prisma, run, this.#chunkSize, (changes) => {
          for (const listener of this.#scoreListeners) listener(changes);
        });
        if (!next) {
          await this.#prisma.rescoreRun.updateMany({
            where: owned(run),
            data: { status: 'SUCCEEDED', finishedAt: new Date() },
          });
          return;
        }
        run = next;
        this.#options.onChunk?.(run);
        this.#chunks += 1;
        if (this.#options.crashAfterChunks !== undefined && this.#chunks >= this.#options.crashAfterChunks) {
          this.#stopping = true; // Leaves the run RUNNING, as a killed process would.
          return;
        }
        await yieldToEventLoop();
      }
    } catch (error) {
      // Another instance took the run over (its lease had expired): it carries on from there.
      if (error instanceof RescoreRunTakenOverError) return;
      this.#options.onError?.(error, run);
      await this.#prisma.rescoreRun
        .updateMany({
          where: owned(run),
          data: {
            status: 'FAILED',
            finishedAt: new Date(),
            error: error instanceof Error ? error.message : String(error),
          },
        })
        .catch(() => {});
    }
  }
}

/** The run as its owner last wrote it: any other writer (a takeover) changes its updatedAt. */
function owned(run: RescoreRun): Prisma.RescoreRunWhereInput {
  return { id: run.id, cursor: run.cursor, updatedAt: run.updatedAt };
}

/** The run changed under a chunk: another instance took it over. Nothing of the chunk was written. */
export class RescoreRunTakenOverError extends Error {
  constructor(readonly runId: string) {
    super(`rescoring run ${runId} was taken over by another runner`);
    this.name = 'RescoreRunTakenOverError';
  }
}

/**
 * Rescores the next chunk of a run and moves its cursor, in one transaction. Returns the updated
 * run, or null when no customer is left. Throws RescoreRunTakenOverError, writing nothing, when
 * the run is no longer as `run` shows it (another runner moved it on or claimed it).
 */
export async function rescoreChunk(
  prisma: PrismaClient,
  run: RescoreRun,
  chunkSize: number,
  onScoreChanges?: (changes: ScoreChange[]) => void,
): Promise<RescoreRun | null> {
  const where = scopeWhere(run.workspaceId, run.scope as RescoreScope | null, run.recomputeHistory);
  const ids = (
    await prisma.customer.findMany({
      where: run.cursor ? { AND: [where, { id: { gt: run.cursor } }] } : where,
      select: { id: true },
      orderBy: { id: 'asc' },
      take: chunkSize,
    })
  ).map((c) => c.id);
  if (ids.length === 0) return null;
  // The model in force now: a change made during a long run applies to the rest of it (and
  // queues its own run for the customers already done).
  const { version, compiled } = await currentModel(prisma, run.workspaceId);
  const customers = await loadCustomerInputs(prisma, ids, run.asOf);
  // Reading, scoring and storing a chunk are each a few milliseconds of JavaScript: requests that
  // arrived meanwhile are answered between them, not after the whole chunk (benchmark 3).
  await yieldToEventLoop();
  const before = onScoreChanges
    ? new Map(
        (
          await prisma.customer.findMany({
            where: { id: { in: ids } },
            select: { id: true, externalId: true, score: true, band: true },
          })
        ).map((c) => [c.id, c]),
      )
    : new Map<string, { externalId: string; score: number | null; band: Band | null }>();
  const current: ComputedScore[] = customers.map((c) => ({
    customerId: c.id,
    result: scoreCustomer(compiled, scoringInputAt(c, run.asOf), interactionsAt(c, run.asOf), run.asOf),
  }));

  let history: {
    id: string;
    score: number;
    band: string;
    coverage: number;
    breakdown: unknown;
    modelVersion: number;
  }[] = [];
  if (run.recomputeHistory) {
    const byId = new Map(customers.map((c) => [c.id, c]));
    const snapshots = await prisma.scoreSnapshot.findMany({
      where: { customerId: { in: ids }, computedAt: { lt: run.asOf } },
      select: { id: true, customerId: true, computedAt: true },
    });
    history = snapshots.map((s) => {
      const customer = byId.get(s.customerId)!;
      const result = scoreCustomer(
        compiled,
        scoringInputAt(customer, s.computedAt),
        interactionsAt(customer, s.computedAt),
        s.computedAt,
      );
      return {
        id: s.id,
        score: result.score,
        band: result.band.key,
        coverage: result.coverage,
        breakdown: historyBreakdown(result),
        modelVersion: version,
      };
    });
  }

  await yieldToEventLoop();
  let written = new Set<string>();
  const stored = await prisma.$transaction(async (tx: Tx) => {
    // First, so the run's row is locked before any score is written: a second writer of the same
    // chunk waits here, then finds the cursor moved (PostgreSQL re-checks the condition) and stops.
    const moved = await tx.rescoreRun.updateMany({
      where: owned(run),
      data: {
        cursor: ids[ids.length - 1]!,
        done: { increment: ids.length },
        total: run.total < run.done + ids.length ? run.done + ids.length : undefined,
      },
    });
    if (moved.count === 0) throw new RescoreRunTakenOverError(run.id);
    if (history.length) {
      // One statement with one JSON parameter: row-by-row updates cost a round trip each.
      await tx.$executeRaw`
        UPDATE "ScoreSnapshot" AS s
        SET "score" = r."score", "band" = r."band"::"Band", "coverage" = r."coverage", "breakdown" = r."breakdown", "modelVersion" = r."modelVersion"
        FROM jsonb_to_recordset(${JSON.stringify(history)}::jsonb)
          AS r("id" uuid, "score" float8, "band" text, "coverage" float8, "breakdown" jsonb, "modelVersion" int)
        WHERE s."id" = r."id"`;
    }
    written = new Set(await storeScores(tx, run.workspaceId, version, run.asOf, current));
    return tx.rescoreRun.findUniqueOrThrow({ where: { id: run.id } });
  });
  if (onScoreChanges) {
    const changes: ScoreChange[] = [];
    for (const { customerId, result } of current) {
      const old = before.get(customerId);
      // A customer scored meanwhile as of a later instant kept that score: nothing moved.
      if (!old || !written.has(customerId) || (old.score === result.score && old.band === result.band.key)) continue;
      changes.push(scoreChangeOf(run.workspaceId, customerId, old, result, run.asOf, version));
    }
    if (changes.length) onScoreChanges(changes);
  }
  return stored;
}

const runners = new WeakMap<PrismaClient, RescoreRunner>();

/** The runner of a database: one per process and client, created on first use. */
export function rescoreRunnerFor(prisma: PrismaClient, options?: RescoreRunnerOptions): RescoreRunner {
  let runner = runners.get(prisma);
  if (!runner) runners.set(prisma, (runner = new RescoreRunner(prisma, options)));
  return runner;
}

/** Stops the database's runner, if it has one (before closing the database). */
export async function stopRescoreRunner(prisma: PrismaClient): Promise<void> {
  const runner = runners.get(prisma);
  if (!runner) return;
  runners.delete(prisma);
  await runner.stop();
}

export interface RescoreScheduleOptions {
  /** Time between scheduled rescorings of every workspace; intervals are aligned to the clock. */
  intervalMs: number;
  runner?: RescoreRunner;
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
        where: { id: waiting.id, status: 'PENDING', done: 0, cursor: null, slot: null },
        data: {
          slot,
          asOf: asOf > waiting.asOf ? asOf : waiting.asOf,
          reason: mergeReason(waiting.reason, SCHEDULE_REASON),
        },
      });
      if (taken.count === 1) return prisma.rescoreRun.findUniqueOrThrow({ where: { id: waiting.id } });
    }
    const total = await prisma.customer.count({ where: { workspaceId } });
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
 */
export function startRescoreSchedule(prisma: PrismaClient, options: RescoreScheduleOptions): { stop(): Promise<void> } {
  const { intervalMs } = options;
  const runner = options.runner ?? rescoreRunnerFor(prisma);
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
      // The database's own runner is forgotten too, so a later rescoreRunnerFor starts afresh.
      if (options.runner) await runner.stop();
      else await stopRescoreRunner(prisma);
    },
  };
}
