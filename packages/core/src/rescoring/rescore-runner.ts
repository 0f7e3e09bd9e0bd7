// The rescoring runner: processes queued runs (rescore-queue.ts) one at a time, chunk by chunk, in
// the background of the process that owns it. The server composes one (main.ts, or server.ts when
// none is given) and passes it to whoever queues work, which then calls kick().
//
// Several instances may share one PostgreSQL database. The database, not timing, keeps them from
// doing work twice: a run is claimed by compare-and-set, a RUNNING run untouched for longer than
// the lease is taken over (its process died), and a chunk of a run taken over is refused
// (rescore-chunk.ts).
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { inSpan } from '@pulso/tracing';
import type { PrismaClient, RescoreRun } from '@pulso/database';
import { workspaceKey } from '@pulso/database';
import type { ScoreChange } from '../scores/score-change.ts';
import { owned, rescoreChunk, RescoreRunTakenOverError } from './rescore-chunk.ts';
import { BACKFILL_REASON } from './rescore-queue.ts';

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
  /** Told of each chunk and each run's end, for the process's metrics (the server's PulsoMetrics). */
  metrics?: RescoreMetrics;
  /**
   * History backfills (interactions recorded for the past) wait until no write has joined them for
   * `quietMs`, and at most `maxMs` after the write that queued them. A stream of backdated writes
   * (an import, a replayed event log) then has its history written once, or once every `maxMs`,
   * instead of once per run that could start between two batches: each run rewrites every grid
   * instant after the earliest backdated interaction, for every customer it names. Default: at once.
   */
  backfillDelay?: { quietMs: number; maxMs: number };
}

/** What the runner reports to metrics, as it happens. */
export interface RescoreMetrics {
  /** A chunk committed: `customers` scored in it, in `seconds`; the run's `done` of `total` after it. */
  chunk(chunk: { customers: number; seconds: number; done: number; total: number }): void;
  /** A run this runner processed ended (succeeded or failed), `seconds` after this runner claimed it. */
  runEnded(run: { outcome: 'succeeded' | 'failed'; seconds: number }): void;
}

// Spans of the OpenTelemetry API: they cost nothing unless the process registered an SDK (the
// server does when OTEL_EXPORTER_OTLP_ENDPOINT is set), and each chunk's database queries (Prisma's
// own spans) then appear beneath its span.
const tracer = trace.getTracer('@pulso/core');

/**
 * Processes queued runs one at a time, in the background of the process that owns it. One per
 * process is enough: its owner creates it with its options, hands it to whoever queues runs (they
 * kick it), and stops it before closing the database.
 */
export class RescoreRunner {
  readonly #prisma: PrismaClient;
  readonly #chunkSize: number;
  readonly #leaseMs: number;
  readonly #options: RescoreRunnerOptions;
  #loop: Promise<void> | null = null;
  /** The wake-up of the earliest backfill still gathering writes, and when it fires. */
  #wake: { timer: NodeJS.Timeout; at: number } | null = null;
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

  /**
   * Resolves when nothing is queued any more (or the runner stopped), history backfills still
   * gathering writes included: it waits for them to run.
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.#loop) await this.#loop;
      else if (this.#wake && !this.#stopping && !this.#paused)
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.#wake!.at - Date.now()) + 5));
      else return;
    }
  }

  /** Finishes the chunk in progress, leaves the run to resume later, and stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#clearWake();
    await this.#loop;
  }

  async #drain(): Promise<void> {
    while (!this.#stopping && !this.#paused) {
      this.#again = false;
      const run = await this.#claim();
      if (!run) return this.#wakeForGatheringBackfills();
      await this.#process(run);
    }
  }

  /** What a backfill still gathering writes looks like now (Prisma filter), or null without a delay. */
  #gathering(now: number) {
    const delay = this.#options.backfillDelay;
    if (!delay || delay.quietMs <= 0) return null;
    return {
      status: 'PENDING' as const,
      reason: BACKFILL_REASON,
      cursor: null,
      // A write joining the run moves its updatedAt (rescore-queue.ts, enqueueHistoryBackfill).
      updatedAt: { gt: new Date(now - delay.quietMs) },
      createdAt: { gt: new Date(now - delay.maxMs) },
    };
  }

  /** Kicks again when the first backfill still gathering writes is due (another write may delay it). */
  async #wakeForGatheringBackfills(): Promise<void> {
    const now = Date.now();
    const gathering = this.#gathering(now);
    if (!gathering) return;
    const waiting = await this.#prisma.rescoreRun.findMany({
      where: gathering,
      select: { updatedAt: true, createdAt: true },
    });
    const { quietMs, maxMs } = this.#options.backfillDelay!;
    const due = Math.min(
      ...waiting.map((run) => Math.min(run.updatedAt.getTime() + quietMs, run.createdAt.getTime() + maxMs)),
    );
    if (!Number.isFinite(due) || this.#stopping) return;
    this.#clearWake();
    const timer = setTimeout(
      () => {
        this.#wake = null;
        this.kick();
      },
      Math.max(0, due - now) + 5,
    );
    this.#wake = { timer, at: due };
  }

  #clearWake(): void {
    if (this.#wake) clearTimeout(this.#wake.timer);
    this.#wake = null;
  }

  /** One chunk inside its span (`pulso.rescore.chunk`), which records a failure. */
  #chunk(run: RescoreRun): Promise<RescoreRun | null> {
    return inSpan(
      tracer,
      'pulso.rescore.chunk',
      { 'pulso.rescore.run_id': run.id, 'pulso.rescore.done': run.done, 'pulso.rescore.total': run.total },
      async (span) => {
        const next = await rescoreChunk(this.#prisma, run, this.#chunkSize, (changes) => {
          for (const listener of this.#scoreListeners) listener(changes);
        });
        span.setAttribute('pulso.rescore.customers', next ? next.done - run.done : 0);
        return next;
      },
    );
  }

  async #claim(): Promise<RescoreRun | null> {
    for (;;) {
      const now = Date.now();
      const stale = new Date(now - this.#leaseMs);
      const gathering = this.#gathering(now);
      const run = await this.#prisma.rescoreRun.findFirst({
        where: {
          OR: [
            gathering ? { status: 'PENDING', NOT: gathering } : { status: 'PENDING' },
            { status: 'RUNNING', updatedAt: { lt: stale } },
          ],
        },
        orderBy: { createdAt: 'asc' },
      });
      if (!run) return null;
      // Compare-and-set: another process (PostgreSQL) may have taken it in between.
      const claimed = await this.#prisma.rescoreRun.updateMany({
        where: { workspaceId: run.workspaceId, id: run.id, status: run.status, updatedAt: run.updatedAt },
        data: { status: 'RUNNING', startedAt: run.startedAt ?? new Date() },
      });
      if (claimed.count === 1)
        return this.#prisma.rescoreRun.findUniqueOrThrow({ where: workspaceKey(run.workspaceId, run.id) });
    }
  }

  async #process(run: RescoreRun): Promise<void> {
    const claimed = performance.now();
    const metrics = this.#options.metrics;
    const ended = (outcome: 'succeeded' | 'failed') =>
      metrics?.runEnded({ outcome, seconds: (performance.now() - claimed) / 1000 });
    try {
      for (;;) {
        if (this.#stopping || this.#paused) {
          await this.#prisma.rescoreRun.updateMany({ where: owned(run), data: { status: 'PENDING' } });
          return;
        }
        const started = performance.now();
        const next = await this.#chunk(run);
        if (!next) {
          await this.#prisma.rescoreRun.updateMany({
            where: owned(run),
            data: { status: 'SUCCEEDED', finishedAt: new Date() },
          });
          ended('succeeded');
          return;
        }
        metrics?.chunk({
          customers: next.done - run.done,
          seconds: (performance.now() - started) / 1000,
          done: next.done,
          total: next.total,
        });
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
      ended('failed');
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
