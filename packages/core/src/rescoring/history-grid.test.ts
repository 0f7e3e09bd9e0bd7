// History backfilled at its proper instants: an import of months of past interactions for a new
// customer ends with weekly snapshots that score as `scoresAsOf` does at those instants (category
// sub-scores included), a snapshot where the band changed between two of them, and a rerun that
// changes nothing; a write at "now" queues nothing and runs the statements it always ran.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS } from '@pulso/scoring';
import { recordInteractions } from '../recording/record-interactions.ts';
import type { InteractionWrite } from '../recording/interaction-write.ts';
import { scoresAsOf } from '../scores/scores-as-of.ts';
import type { Tx } from '../transaction.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { backfillGridStart, gridInstants, snapshotId } from './history-grid.ts';
import { BACKFILL_REASON, enqueueHistoryBackfill, enqueueRescore } from './rescore-queue.ts';
import { RescoreRunner } from './rescore-runner.ts';

/** Every snapshot of a customer, as a rerun must leave it. */
async function history(prisma: PrismaClient, customerId: string) {
  return prisma.scoreSnapshot.findMany({
    where: { customerId },
    orderBy: [{ computedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      computedAt: true,
      score: true,
      band: true,
      coverage: true,
      breakdown: true,
      modelVersion: true,
    },
  });
}

describe.each(['pglite', 'postgres'] as const)('history backfill on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let workspaceId: string;
  let customerId: string;
  let runner: RescoreRunner;
  const now = new Date();
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY_MS);
  // Six months: a meeting every four days for four months, then silence, which lowers the band.
  const writes: InteractionWrite[] = Array.from({ length: 30 }, (_, i) => ({
    customer: { externalId: 'imported', name: 'Imported' },
    typeKey: 'meeting',
    occurredAt: daysAgo(180 - i * 4),
    sentiment: 'LIKED' as const,
    idempotencyKey: `import-${i}`,
  }));
  const batchIds: (string | undefined)[] = [];

  beforeAll(async () => {
    test = await openTestDatabase(kind, 'history_backfill');
    database = test.database;
    ({ workspaceId } = await createWorkspace(database.prisma, { slug: 'backfill', name: 'Backfill' }));
    runner = new RescoreRunner(database.prisma);
    // An import in two batches: the second joins the backfill the first queued.
    for (const batch of [writes.slice(0, 15), writes.slice(15)]) {
      batchIds.push((await recordInteractions(database.prisma, workspaceId, batch, { now })).backfillRunId);
    }
    customerId = (await database.prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId: 'imported' } }))
      .id;
    runner.kick();
    await runner.idle();
  }, 120_000);
  afterAll(async () => {
    await runner?.stop();
    await test?.close();
  });

  it('gives the current score its 30-day change from the backfilled history, as the trend reads it', async () => {
    const customer = await database.prisma.customer.findFirstOrThrow({ where: { workspaceId, id: customerId } });
    const monthBack = await database.prisma.scoreSnapshot.findFirstOrThrow({
      where: { customerId, computedAt: { lte: new Date(customer.scoreComputedAt!.getTime() - 30 * DAY_MS) } },
      orderBy: { computedAt: 'desc' },
    });
    // The import's write found no score 30 days back: only the backfill wrote one.
    expect(customer.scoreChange30d).not.toBeNull();
    expect(customer.scoreChange30d).toBe(Math.round((customer.score! - monthBack.score) * 10) / 10);
  });

  it('queues one backfill for the import, from the grid instant before its first interaction', async () => {
    expect(batchIds[0]).toBeDefined();
    expect(batchIds[1]).toBe(batchIds[0]);
    const run = await database.prisma.rescoreRun.findFirstOrThrow({ where: { id: batchIds[0]! } });
    expect(run).toMatchObject({ reason: BACKFILL_REASON, status: 'SUCCEEDED', gridEveryDays: 7, total: 1, done: 1 });
    expect(run.gridFrom).toEqual(backfillGridStart(daysAgo(180)));
    expect(run.scope).toEqual({ customerIds: [customerId] });
  });

  it('writes a weekly snapshot over the months imported, each scored as scoresAsOf scores that instant', async () => {
    const snapshots = await history(database.prisma, customerId);
    const grid = gridInstants(backfillGridStart(daysAgo(180)), now, 7).filter((at) => at >= daysAgo(180));
    expect(grid.length).toBeGreaterThanOrEqual(25); // 180 days hold 25 or 26 aligned weeks.
    for (const at of grid) {
      const snapshot = snapshots.find((s) => s.computedAt.getTime() === at.getTime());
      expect(snapshot, at.toISOString()).toBeDefined();
      const [expected] = await scoresAsOf(database.prisma, workspaceId, { at, customerIds: [customerId] });
      expect(snapshot).toMatchObject({
        id: snapshotId('grid', customerId, at),
        score: expected!.result.score,
        band: expected!.result.band.key,
        modelVersion: expected!.modelVersion,
      });
      // Category sub-scores are history too.
      expect((snapshot!.breakdown as { categories: unknown }).categories).toEqual(expected!.result.categories);
    }
    // Before the first interaction, the customer was not known: no snapshot.
    expect(snapshots[0]!.computedAt.getTime()).toBeGreaterThanOrEqual(daysAgo(180).getTime());
  });

  it('writes a snapshot at the instant the band changed between two grid instants', async () => {
    const snapshots = await history(database.prisma, customerId);
    const changes = snapshots.filter((s) => s.id === snapshotId('band', customerId, s.computedAt));
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) {
      const [at] = await scoresAsOf(database.prisma, workspaceId, { at: change.computedAt, customerIds: [customerId] });
      const [before] = await scoresAsOf(database.prisma, workspaceId, {
        at: new Date(change.computedAt.getTime() - 1),
        customerIds: [customerId],
      });
      expect(change.band).toBe(at!.result.band.key);
      expect(before!.result.band.key).not.toBe(change.band);
      // And the snapshot before it, in time, still had the old band.
      const previous = snapshots[snapshots.indexOf(change) - 1]!;
      expect(previous.band).toBe(before!.result.band.key);
    }
  });

  it('a rerun writes the same rows', async () => {
    const first = await history(database.prisma, customerId);
    const run = await database.prisma.$transaction((tx: Tx) =>
      enqueueHistoryBackfill(tx, workspaceId, [customerId], backfillGridStart(daysAgo(180)), now),
    );
    runner.kick();
    await runner.idle();
    expect((await database.prisma.rescoreRun.findFirstOrThrow({ where: { id: run } })).status).toBe('SUCCEEDED');
    expect(await history(database.prisma, customerId)).toEqual(first);
  });

  it('builds the grid for chosen instants, as a job with progress', async () => {
    const from = daysAgo(100);
    const to = daysAgo(40);
    const run = await enqueueRescore(database.prisma, {
      workspaceId,
      reason: 'history grid',
      asOf: to,
      grid: { from, everyDays: 10 },
    });
    runner.kick();
    await runner.idle();
    expect(await database.prisma.rescoreRun.findFirstOrThrow({ where: { id: run.id } })).toMatchObject({
      status: 'SUCCEEDED',
      done: 1,
      total: 1,
    });
    const snapshots = await history(database.prisma, customerId);
    for (const at of gridInstants(from, to, 10)) {
      const [expected] = await scoresAsOf(database.prisma, workspaceId, { at, customerIds: [customerId] });
      expect(snapshots.find((s) => s.computedAt.getTime() === at.getTime())?.score).toBe(expected!.result.score);
    }
  });

  it('a write at "now" queues nothing and runs the statements a write always ran', async () => {
    const operations: string[] = [];
    const recorded = database.prisma.$extends({
      query: {
        async $allOperations({ model, operation, args, query }) {
          // Raw statements by their first words: the statement, not only its count, must stay.
          const sql = (args as { strings?: string[] } | undefined)?.strings?.join('?') ?? '';
          operations.push(`${model ?? ''}.${operation} ${sql.replace(/\s+/g, ' ').trim().slice(0, 60)}`);
          return query(args);
        },
      },
    }) as unknown as PrismaClient;
    const runs = await database.prisma.rescoreRun.count();
    const result = await recordInteractions(recorded, workspaceId, [
      { customer: { externalId: 'imported' }, typeKey: 'meeting', idempotencyKey: 'today' },
    ]);
    expect(result.backfillRunId).toBeUndefined();
    expect(await database.prisma.rescoreRun.count()).toBe(runs);
    expect(operations.some((o) => o.startsWith('RescoreRun'))).toBe(false);
    expect(operations).toMatchSnapshot();
  });
});
