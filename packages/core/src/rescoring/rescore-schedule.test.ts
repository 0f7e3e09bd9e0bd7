// The schedule's intervals: named the same from any instant inside them, and queued once per
// workspace and interval, whoever queues them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS } from '@pulso/scoring';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { enqueueRescore } from './rescore-queue.ts';
import { enqueueScheduledRescore, scheduleSlot } from './rescore-schedule.ts';

async function workspaceWithCustomers(prisma: PrismaClient, slug: string, count: number): Promise<string> {
  const { workspaceId } = await createWorkspace(prisma, { slug, name: slug });
  await prisma.customer.createMany({
    data: Array.from({ length: count }, (_, i) => ({ workspaceId, externalId: `c${i}`, name: `C${i}` })),
  });
  return workspaceId;
}

describe('scheduled rescoring slots (pglite)', () => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase('pglite', 'rescore_schedule');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('names the same interval from any instant inside it, aligned to the clock', () => {
    expect(scheduleSlot(new Date('2026-03-04T00:00:00Z'), DAY_MS)).toEqual(new Date('2026-03-04T00:00:00Z'));
    expect(scheduleSlot(new Date('2026-03-04T23:59:59.999Z'), DAY_MS)).toEqual(new Date('2026-03-04T00:00:00Z'));
    expect(scheduleSlot(new Date('2026-03-04T10:07:31Z'), 5 * 60_000)).toEqual(new Date('2026-03-04T10:05:00Z'));
  });

  it('queues one run per workspace and interval, lets a waiting on-demand run take the slot, and waits for a run under way', async () => {
    const prisma = database.prisma;
    const workspaceId = await workspaceWithCustomers(prisma, 'slots', 3);
    const slot = new Date('2026-03-04T10:00:00Z');
    const first = await enqueueScheduledRescore(prisma, workspaceId, slot, new Date());
    expect(first).toMatchObject({ slot, reason: 'schedule', total: 3, status: 'PENDING' });
    expect(await enqueueScheduledRescore(prisma, workspaceId, slot, new Date())).toBeNull();
    // The next interval while the first run has not finished: the run in progress covers it.
    const next = new Date('2026-03-04T10:05:00Z');
    expect(await enqueueScheduledRescore(prisma, workspaceId, next, new Date())).toBeNull();

    await prisma.rescoreRun.updateMany({ where: { id: first!.id }, data: { status: 'SUCCEEDED' } });
    const onDemand = await enqueueRescore(prisma, { workspaceId, reason: 'on demand' });
    const taken = await enqueueScheduledRescore(prisma, workspaceId, next, new Date());
    expect(taken).toMatchObject({ id: onDemand.id, slot: next, reason: 'on demand; schedule' });
    expect(await prisma.rescoreRun.count({ where: { workspaceId } })).toBe(2);
  });
});
