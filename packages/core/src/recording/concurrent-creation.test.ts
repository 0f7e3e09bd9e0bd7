// Writes that create customers while others lock them, on PostgreSQL (PGlite runs one transaction
// at a time): none deadlocks. The race this guards against: a write whose first statement did not
// see customer E yet (another transaction was creating it) inserts K, then waits to lock E; a
// second write, started once E was committed, locked E in its first statement and then waited to
// insert K behind the first. PostgreSQL's detector breaks such a cycle after a second by failing
// one of them — a refused rating, or a group commit falling back to one transaction per write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase, waitForLockWaits } from '@pulso/database/testing';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import type { InteractionWrite } from './interaction-write.ts';
import { recordInteractions } from './record-interactions.ts';

const write = (externalId: string, key: string): InteractionWrite => ({
  customer: { externalId, name: externalId },
  typeKey: 'micro_rating',
  sentiment: 'LIKED',
  source: 'widget',
  idempotencyKey: key,
});

describe('writes creating customers that concurrent writes lock, on postgres', () => {
  let test: TestDatabase;
  let database: Database;
  let prisma: PrismaClient;
  beforeAll(async () => {
    test = await openTestDatabase('postgres', 'concurrent_creation');
    database = test.database;
    prisma = database.prisma;
  }, 60_000);
  afterAll(() => test?.close());

  it('never deadlock, whichever sees a customer created by a third first', async () => {
    const { workspaceId } = await createWorkspace(prisma, { slug: 'creation-race', name: 'Race' });
    const rounds = 12;
    const failures: unknown[] = [];
    for (let round = 0; round < rounds; round++) {
      // "a…" sorts before "e…": the first write inserts K, then meets E being created.
      const k = `a-new-${round}`;
      const e = `e-new-${round}`;
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const creating = new Promise<void>((resolve) => (inserted = resolve));
      // A third transaction creates E and holds it uncommitted.
      const third = prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`INSERT INTO "Customer" ("id", "workspaceId", "externalId", "name", "updatedAt")
            VALUES (gen_random_uuid(), ${workspaceId}::uuid, ${e}, ${e}, now())`;
          inserted();
          await released;
        },
        { timeout: 30_000 },
      );
      await creating;
      // The first write does not see E, inserts K and waits for the third to end.
      const first = recordInteractions(prisma, workspaceId, [
        write(k, `first-k-${round}`),
        write(e, `first-e-${round}`),
      ]);
      await waitForLockWaits(prisma, 1, 'the first write, on the customer being created,');
      release();
      await third;
      // The second sees E committed from its first statement on, and names K too.
      const second = recordInteractions(prisma, workspaceId, [
        write(e, `second-e-${round}`),
        write(k, `second-k-${round}`),
      ]);
      for (const outcome of await Promise.allSettled([first, second]))
        if (outcome.status === 'rejected') failures.push(outcome.reason);
    }
    expect(failures).toEqual([]);
    expect(await prisma.interaction.count({ where: { workspaceId } })).toBe(rounds * 4);
    expect(await prisma.customer.count({ where: { workspaceId } })).toBe(rounds * 2);
  }, 120_000);
});
