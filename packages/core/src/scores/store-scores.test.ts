// A customer's current score only moves forward in time: a rescoring queued before a write and
// reaching the customer after it keeps the write's newer score (and its interaction in it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { recordInteractions } from '../recording/record-interactions.ts';
import { rescoreChunk } from '../rescoring/rescore-chunk.ts';
import { enqueueRescore } from '../rescoring/rescore-queue.ts';

describe.each(['pglite', 'postgres'] as const)('stored scores on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'store_scores');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('keeps a score computed as of a later instant when an older rescoring reaches the customer', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'forward', name: 'Forward' });
    const customer = await prisma.customer.create({ data: { workspaceId, externalId: 'a', name: 'A' } });
    const queuedAt = new Date(Date.now() - 60_000);
    const run = await enqueueRescore(prisma, { workspaceId, reason: 'schedule', asOf: queuedAt });

    await recordInteractions(prisma, workspaceId, [
      { customer: { externalId: 'a' }, typeKey: 'meeting', sentiment: 'WASTED_TIME', idempotencyKey: 'late' },
    ]);
    const afterWrite = await prisma.customer.findFirstOrThrow({ where: { id: customer.id } });
    const moved: unknown[] = [];
    await rescoreChunk(prisma, run, 100, (changes) => moved.push(...changes));

    const after = await prisma.customer.findFirstOrThrow({ where: { id: customer.id } });
    expect(after).toMatchObject({
      score: afterWrite.score,
      band: afterWrite.band,
      scoreComputedAt: afterWrite.scoreComputedAt,
    });
    expect(moved).toEqual([]);
    // The older instant is still recorded as history.
    const snapshots = await prisma.scoreSnapshot.findMany({
      where: { customerId: customer.id },
      orderBy: { computedAt: 'asc' },
    });
    expect(snapshots.map((s) => s.computedAt)).toEqual([queuedAt, afterWrite.scoreComputedAt]);
  });
});
