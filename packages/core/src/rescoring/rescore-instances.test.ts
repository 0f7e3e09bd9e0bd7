// Rescoring with several instances on one PostgreSQL database: each "instance" here is its own
// connection pool (its own Database), as two server processes have. The database decides who
// queues and who writes; nothing relies on timing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type PrismaClient } from '@pulso/database';
import { createMigratedTestPostgresDatabase, type TestPostgresDatabase } from '@pulso/database/testing';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { rescoreChunk, RescoreRunTakenOverError } from './rescore-chunk.ts';
import { enqueueRescore } from './rescore-queue.ts';
import { RescoreRunner } from './rescore-runner.ts';
import { enqueueScheduledRescore, scheduleSlot } from './rescore-schedule.ts';

async function workspaceWithCustomers(prisma: PrismaClient, slug: string, count: number): Promise<string> {
  const { workspaceId } = await createWorkspace(prisma, { slug, name: slug });
  await prisma.customer.createMany({
    data: Array.from({ length: count }, (_, i) => ({ workspaceId, externalId: `c${i}`, name: `C${i}` })),
  });
  return workspaceId;
}

/** How many snapshots each customer of the workspace has as of `asOf`. */
async function snapshotsPerCustomer(prisma: PrismaClient, workspaceId: string, asOf: Date): Promise<number[]> {
  const groups = await prisma.scoreSnapshot.groupBy({
    by: ['customerId'],
    where: { workspaceId, computedAt: asOf },
    _count: true,
  });
  return groups.map((g) => g._count);
}

describe('two instances on one PostgreSQL database', () => {
  let postgres: TestPostgresDatabase;
  let a: Database;
  let b: Database;
  beforeAll(async () => {
    postgres = await createMigratedTestPostgresDatabase('rescore_instances');
    a = await openDatabase({ kind: 'postgres', url: postgres.url });
    b = await openDatabase({ kind: 'postgres', url: postgres.url });
  });
  // A runner takes any unfinished run of the database: leave none to the next test.
  afterEach(async () => {
    await a.prisma.rescoreRun.deleteMany({ where: { status: { in: ['PENDING', 'RUNNING'] } } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await postgres?.drop();
  });

  it('queues one scheduled run per interval when both instances queue it at the same moment', async () => {
    const workspaceId = await workspaceWithCustomers(a.prisma, 'race-queue', 5);
    const slot = scheduleSlot(new Date(), 60_000);
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        enqueueScheduledRescore((i % 2 ? a : b).prisma, workspaceId, slot, new Date()),
      ),
    );
    expect(attempts.filter((run) => run !== null)).toHaveLength(1);
    expect(await a.prisma.rescoreRun.count({ where: { workspaceId } })).toBe(1);
  });

  it('lets one of two instances commit a chunk both computed; the other writes nothing', async () => {
    const workspaceId = await workspaceWithCustomers(a.prisma, 'race-chunk', 12);
    const asOf = new Date();
    const run = await enqueueRescore(a.prisma, { workspaceId, reason: 'test', asOf });
    const results = await Promise.allSettled([rescoreChunk(a.prisma, run, 5), rescoreChunk(b.prisma, run, 5)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(RescoreRunTakenOverError);
    expect(await a.prisma.rescoreRun.findFirstOrThrow({ where: { id: run.id } })).toMatchObject({ done: 5 });
    expect(await snapshotsPerCustomer(a.prisma, workspaceId, asOf)).toEqual([1, 1, 1, 1, 1]);
  });

  it('stops an instance whose run was taken over after its lease expired, without writing its chunk again', async () => {
    const workspaceId = await workspaceWithCustomers(a.prisma, 'takeover', 12);
    const asOf = new Date();
    await enqueueRescore(a.prisma, { workspaceId, reason: 'test', asOf });
    // Instance A stops dead after one chunk, as a process that hangs or dies would.
    const stalled = new RescoreRunner(a.prisma, { chunkSize: 5, crashAfterChunks: 1 });
    stalled.kick();
    await stalled.idle();
    const seenByA = await a.prisma.rescoreRun.findFirstOrThrow({ where: { workspaceId } });
    expect(seenByA).toMatchObject({ status: 'RUNNING', done: 5 });
    // Instance B finds the lease expired (leaseMs 0 stands for the wait) and finishes the run.
    const errors: unknown[] = [];
    const takeover = new RescoreRunner(b.prisma, { chunkSize: 5, leaseMs: 0, onError: (error) => errors.push(error) });
    takeover.kick();
    await takeover.idle();
    expect(errors).toEqual([]);
    // A wakes up and tries its next chunk from where it left off: refused, nothing written.
    await expect(rescoreChunk(a.prisma, seenByA, 5)).rejects.toBeInstanceOf(RescoreRunTakenOverError);
    expect(await a.prisma.rescoreRun.findFirstOrThrow({ where: { id: seenByA.id } })).toMatchObject({
      status: 'SUCCEEDED',
      done: 12,
      total: 12,
    });
    const counts = await snapshotsPerCustomer(a.prisma, workspaceId, asOf);
    expect(counts).toHaveLength(12);
    expect(counts.every((n) => n === 1)).toBe(true);
  });

  it('processes a run once when both instances run their runner at the same time', async () => {
    const workspaceId = await workspaceWithCustomers(a.prisma, 'two-runners', 40);
    const asOf = new Date();
    const run = await enqueueRescore(a.prisma, { workspaceId, reason: 'test', asOf });
    const chunks: { instance: string; done: number }[] = [];
    const errors: unknown[] = [];
    const runners = [a, b].map(
      (db, i) =>
        new RescoreRunner(db.prisma, {
          chunkSize: 4,
          onChunk: (r) => r.id === run.id && chunks.push({ instance: 'AB'[i]!, done: r.done }),
          onError: (e) => errors.push(e),
        }),
    );
    for (const runner of runners) runner.kick();
    for (const runner of runners) await runner.idle();
    expect(errors).toEqual([]);
    expect(await a.prisma.rescoreRun.findFirstOrThrow({ where: { id: run.id } })).toMatchObject({
      status: 'SUCCEEDED',
      done: 40,
    });
    // Every chunk committed once: its progress figures are 4, 8, ..., 40, whoever processed it.
    expect(chunks.map((c) => c.done).sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * 4));
    const counts = await snapshotsPerCustomer(a.prisma, workspaceId, asOf);
    expect(counts).toHaveLength(40);
    expect(counts.every((n) => n === 1)).toBe(true);
  });
});
