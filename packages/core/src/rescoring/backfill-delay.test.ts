// History backfills wait for a stream of backdated writes to pause (RescoreRunnerOptions.
// backfillDelay): every write joins the one pending run, which starts once no write has joined it
// for the quiet period, or once the longest wait has passed, and idle() waits for it all the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS } from '@pulso/scoring';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { RescoreRunner } from './rescore-runner.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['pglite', 'postgres'] as const)('history backfill delay on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let workspaceId: string;
  let written = 0;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'backfill_delay');
    database = test.database;
    ({ workspaceId } = await createWorkspace(database.prisma, { slug: 'delay', name: 'Delay' }));
  }, 60_000);
  afterAll(() => test?.close());

  /** One interaction 30 days back for `externalId`: a write into the past, which queues a backfill. */
  async function backdated(externalId: string, runner: RescoreRunner): Promise<string> {
    written += 1;
    const { backfillRunId } = await recordInteractions(database.prisma, workspaceId, [
      {
        customer: { externalId, name: externalId },
        typeKey: 'meeting',
        occurredAt: new Date(Date.now() - 30 * DAY_MS),
        idempotencyKey: `${externalId}-${written}`,
      },
    ]);
    runner.kick(); // as the server does after each write
    return backfillRunId!;
  }
  const status = async (id: string) => (await database.prisma.rescoreRun.findFirstOrThrow({ where: { id } })).status;

  it('starts a backfill once writes have been quiet for the period, every write joining it', async () => {
    const runner = new RescoreRunner(database.prisma, { backfillDelay: { quietMs: 2_000, maxMs: 60_000 } });
    try {
      const first = await backdated('quiet-a', runner);
      for (const name of ['quiet-b', 'quiet-c']) {
        await sleep(300);
        expect(await status(first)).toBe('PENDING'); // each write came within the quiet period
        expect(await backdated(name, runner)).toBe(first);
      }
      await sleep(300);
      expect(await status(first)).toBe('PENDING');
      await runner.idle(); // waits for the gathering run to start and finish
      const run = await database.prisma.rescoreRun.findFirstOrThrow({ where: { id: first } });
      expect(run).toMatchObject({ status: 'SUCCEEDED', total: 3, done: 3 });
      const snapshots = await database.prisma.scoreSnapshot.count({
        where: { customer: { externalId: { in: ['quiet-a', 'quiet-b', 'quiet-c'] } } },
      });
      expect(snapshots).toBeGreaterThan(3); // the weekly grid over the month, not only today's scores
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it('starts it after the longest wait however writes keep coming, and at once without a delay', async () => {
    const runner = new RescoreRunner(database.prisma, { backfillDelay: { quietMs: 2_000, maxMs: 3_000 } });
    try {
      const started = Date.now();
      const id = await backdated('steady-0', runner);
      let i = 1;
      while ((await status(id)) === 'PENDING' && Date.now() - started < 15_000) {
        await backdated(`steady-${i++}`, runner).catch(() => undefined);
        await sleep(150);
      }
      // Writes every 150 ms never left 2 s of quiet: the 3 s bound started it.
      expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
      expect(Date.now() - started).toBeLessThan(9_000);
      await runner.idle();
      expect(await status(id)).toBe('SUCCEEDED');
    } finally {
      await runner.stop();
    }
    const atOnce = new RescoreRunner(database.prisma);
    try {
      const id = await backdated('at-once', atOnce);
      await atOnce.idle();
      expect(await status(id)).toBe('SUCCEEDED');
    } finally {
      await atOnce.stop();
    }
  }, 60_000);
});
