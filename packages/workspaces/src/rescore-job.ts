// Rescoring runs: every customer of a workspace (or those a model change affects) rescored "as of"
// an instant, in chunks, with progress. Each run and its cursor live in the RescoreRun table and
// each chunk commits its scores and the cursor together, so a server stopped halfway resumes on its
// next start from the first customer not yet done, and never counts a chunk twice.
//
// Why a table and not a job queue library: pg-boss and graphile-worker need a PostgreSQL server
// they can LISTEN to and open connections of their own; Pulso's default database is PGlite, one
// in-process connection that no such library can reach. One small table serves both databases.
//
// PGlite runs every query on the event loop: the runner yields to it between chunks (setImmediate)
// so API requests are answered while a large rescoring is under way.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Prisma, type Band, type PrismaClient, type RescoreRun } from '@pulso/database';
import { scoreChangeOf, type ScoreChange } from './record-interactions.ts';
import { compileModel, scoreCustomer } from '@pulso/scoring';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from './scoring-inputs.ts';
import { loadScoringModel } from './scoring-model.ts';
import { historyBreakdown, storeScores, type ComputedScore, type Tx } from './store-scores.ts';

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

function scopeWhere(workspaceId: string, scope: RescoreScope | null | undefined): Prisma.CustomerWhereInput {
  if (!scope) return { workspaceId };
  return { workspaceId, OR: [{ segment: { in: scope.segments ?? [] } }, { id: { in: scope.customerIds ?? [] } }] };
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
      where: { workspaceId: input.workspaceId, status: 'PENDING', done: 0, cursor: null, scope: { equals: Prisma.DbNull }, recomputeHistory: false },
      orderBy: { createdAt: 'asc' },
    });
    if (waiting) return db.rescoreRun.update({ where: { id: waiting.id }, data: { asOf: asOf > waiting.asOf ? asOf : waiting.asOf, reason: mergeReason(waiting.reason, input.reason) } });
  }
  const total = await db.customer.count({ where: scopeWhere(input.workspaceId, scope) });
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
  /** Errors: of a failed run, or of the runner itself (no run). */
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
          await this.#prisma.rescoreRun.update({ where: { id: run.id }, data: { status: 'PENDING' } });
          return;
        }
        const next = await rescoreChunk(this.#prisma, run, this.#chunkSize, (changes) => {
          for (const listener of this.#scoreListeners) listener(changes);
        });
        if (!next) {
          await this.#prisma.rescoreRun.update({ where: { id: run.id }, data: { status: 'SUCCEEDED', finishedAt: new Date() } });
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
      this.#options.onError?.(error, run);
      await this.#prisma.rescoreRun
        .update({ where: { id: run.id }, data: { status: 'FAILED', finishedAt: new Date(), error: error instanceof Error ? error.message : String(error) } })
        .catch(() => {});
    }
  }
}

/**
 * Rescores the next chunk of a run and moves its cursor, in one transaction. Returns the updated
 * run, or null when no customer is left.
 */
export async function rescoreChunk(
  prisma: PrismaClient,
  run: RescoreRun,
  chunkSize: number,
  onScoreChanges?: (changes: ScoreChange[]) => void,
): Promise<RescoreRun | null> {
  const where = scopeWhere(run.workspaceId, run.scope as RescoreScope | null);
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
  const { version, ...model } = await loadScoringModel(prisma, run.workspaceId);
  const compiled = compileModel(model);
  const customers = await loadCustomerInputs(prisma, ids, run.asOf);
  const before = onScoreChanges
    ? new Map((await prisma.customer.findMany({ where: { id: { in: ids } }, select: { id: true, externalId: true, score: true, band: true } })).map((c) => [c.id, c]))
    : new Map<string, { externalId: string; score: number | null; band: Band | null }>();
  const current: ComputedScore[] = customers.map((c) => ({
    customerId: c.id,
    result: scoreCustomer(compiled, scoringInputAt(c, run.asOf), interactionsAt(c, run.asOf), run.asOf),
  }));

  let history: { id: string; score: number; band: string; coverage: number; breakdown: unknown; modelVersion: number }[] = [];
  if (run.recomputeHistory) {
    const byId = new Map(customers.map((c) => [c.id, c]));
    const snapshots = await prisma.scoreSnapshot.findMany({
      where: { customerId: { in: ids }, computedAt: { lt: run.asOf } },
      select: { id: true, customerId: true, computedAt: true },
    });
    history = snapshots.map((s) => {
      const customer = byId.get(s.customerId)!;
      const result = scoreCustomer(compiled, scoringInputAt(customer, s.computedAt), interactionsAt(customer, s.computedAt), s.computedAt);
      return { id: s.id, score: result.score, band: result.band.key, coverage: result.coverage, breakdown: historyBreakdown(result), modelVersion: version };
    });
  }

  const stored = await prisma.$transaction(async (tx: Tx) => {
    if (history.length) {
      // One statement with one JSON parameter: row-by-row updates cost a round trip each.
      await tx.$executeRaw`
        UPDATE "ScoreSnapshot" AS s
        SET "score" = r."score", "band" = r."band"::"Band", "coverage" = r."coverage", "breakdown" = r."breakdown", "modelVersion" = r."modelVersion"
        FROM jsonb_to_recordset(${JSON.stringify(history)}::jsonb)
          AS r("id" uuid, "score" float8, "band" text, "coverage" float8, "breakdown" jsonb, "modelVersion" int)
        WHERE s."id" = r."id"`;
    }
    await storeScores(tx, run.workspaceId, version, run.asOf, current);
    return tx.rescoreRun.update({
      where: { id: run.id },
      data: { cursor: ids[ids.length - 1]!, done: { increment: ids.length }, total: run.total < run.done + ids.length ? run.done + ids.length : undefined },
    });
  });
  if (onScoreChanges) {
    const changes: ScoreChange[] = [];
    for (const { customerId, result } of current) {
      const old = before.get(customerId);
      if (!old || (old.score === result.score && old.band === result.band.key)) continue;
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
  /** Time between scheduled rescorings of every workspace. */
  intervalMs: number;
  runner?: RescoreRunner;
  onError?: (error: unknown) => void;
}

export const SCHEDULE_REASON = 'schedule';

/**
 * Rescores every workspace "as of now" every `intervalMs`, so that silence and decay show without
 * new interactions. At start it resumes unfinished runs and catches up on a rescoring that is due.
 */
export function startRescoreSchedule(prisma: PrismaClient, options: RescoreScheduleOptions): { stop(): Promise<void> } {
  const runner = options.runner ?? rescoreRunnerFor(prisma);
  let stopped = false;
  const tick = async (onlyIfDue: boolean) => {
    const now = new Date();
    const workspaces = await prisma.workspace.findMany({ select: { id: true } });
    for (const { id } of workspaces) {
      if (stopped) return;
      const last = await prisma.rescoreRun.findFirst({ where: { workspaceId: id, reason: { contains: SCHEDULE_REASON } }, orderBy: { createdAt: 'desc' } });
      if (last && (last.status === 'PENDING' || last.status === 'RUNNING')) continue;
      if (onlyIfDue && last && now.getTime() - last.createdAt.getTime() < options.intervalMs) continue;
      await enqueueRescore(prisma, { workspaceId: id, reason: SCHEDULE_REASON, asOf: now });
    }
    runner.kick();
  };
  const run = (onlyIfDue: boolean) => void tick(onlyIfDue).catch((error: unknown) => options.onError?.(error));
  runner.kick();
  run(true);
  const timer = setInterval(() => run(false), options.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      // The database's own runner is forgotten too, so a later rescoreRunnerFor starts afresh.
      if (options.runner) await runner.stop();
      else await stopRescoreRunner(prisma);
    },
  };
}
