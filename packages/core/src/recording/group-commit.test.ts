// Group commit: writes arriving together share a transaction, and each keeps the guarantees of a
// write recorded alone — stored once, refused alone, scored from everything stored, its score
// change handed out once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '@pulso/scoring';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { GroupCommit } from './group-commit.ts';
import { scoreCustomers } from '../scores/score-customers.ts';
import type { InteractionWrite } from './interaction-write.ts';
import { recordInteractions } from './record-interactions.ts';
import { IdempotencyConflictError } from './recording-errors.ts';
import { loadScoringModel } from '../model/load-scoring-model.ts';

const rating = (
  externalId: string,
  key: string,
  sentiment: InteractionWrite['sentiment'] = 'LIKED',
): InteractionWrite => ({
  customer: { externalId, name: externalId },
  typeKey: 'micro_rating',
  sentiment,
  source: 'widget',
  idempotencyKey: key,
});

describe.each(['pglite', 'postgres'] as const)('group commit on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'group_commit');
    database = test.database;
  }, 60_000);
  afterAll(() => test?.close());

  it('records writes that arrive while one is in flight in one transaction, each once, scored from everything stored', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: `group-${kind}`, name: 'Group' });
    const group = new GroupCommit(prisma, { concurrency: 1 });
    const writes = Array.from({ length: 40 }, (_, i) => rating(`c${i % 8}`, `k${i}`, i % 3 ? 'LIKED' : 'WASTED_TIME'));
    // The first goes alone at once; the 39 others arrive while it is in flight and go together.
    const outcomes = await Promise.all(writes.map((w) => group.record(workspaceId, w)));

    expect(outcomes.every((o) => !o.result.replayed)).toBe(true);
    expect(new Set(outcomes.map((o) => o.result.interactionId)).size).toBe(40);
    expect(await prisma.interaction.count({ where: { workspaceId } })).toBe(40);
    const snapshots = await prisma.scoreSnapshot.findMany({ where: { workspaceId }, select: { computedAt: true } });
    expect(new Set(snapshots.map((s) => s.computedAt.getTime())).size).toBe(2);

    // One change per customer and transaction, handed to one write only.
    const changes = outcomes.flatMap((o) => o.changes);
    const perTransaction = new Set(changes.map((c) => `${c.computedAt} ${c.customerId}`));
    expect(perTransaction.size).toBe(changes.length);
    expect(changes.length).toBe(1 + 8);

    // Stored scores equal a fresh recomputation from everything stored.
    const customers = await prisma.customer.findMany({
      where: { workspaceId },
      select: { id: true, score: true, scoreComputedAt: true },
    });
    const { version: _version, ...model } = await loadScoringModel(prisma, workspaceId);
    for (const customer of customers) {
      const [fresh] = await prisma.$transaction((tx) =>
        scoreCustomers(tx, workspaceId, compileModel(model), [customer.id], customer.scoreComputedAt!),
      );
      expect(customer.score).toBe(fresh!.result.score);
    }
  });

  it('makes writes arriving during a transaction wait for it, unless enough gather to go at once', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: `group-overlap-${kind}`, name: 'Overlap' });
    let transactions = 0;
    const counting = new Proxy(prisma, {
      get: (target, key) =>
        key === '$transaction'
          ? (...args: Parameters<typeof prisma.$transaction>) => {
              transactions++;
              return target.$transaction(...args);
            }
          : Reflect.get(target, key, target),
    });
    const group = new GroupCommit(counting, { concurrency: 4, overlapAt: 8 });
    // The first goes alone; the five after it wait for it and go as one group (not one each).
    const few = Array.from({ length: 6 }, (_, i) => rating(`few${i}`, `few-${i}`));
    await Promise.all(few.map((w) => group.record(workspaceId, w)));
    expect(transactions).toBe(2);

    // Twenty at once: the first alone, two groups of eight as soon as each has gathered (they
    // overlap the first), the last three after them.
    transactions = 0;
    const many = Array.from({ length: 20 }, (_, i) => rating(`many${i % 5}`, `many-${i}`));
    const outcomes = await Promise.all(many.map((w) => group.record(workspaceId, w)));
    expect(transactions).toBe(4);
    expect(outcomes.every((o) => !o.result.replayed)).toBe(true);
    expect(await prisma.interaction.count({ where: { workspaceId } })).toBe(26);
  });

  it('refuses only the write that reuses a key for other content, and settles retries within a group', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: `group-refuse-${kind}`, name: 'Group refusals' });
    const [taken] = (await recordInteractions(prisma, workspaceId, [rating('a', 'taken', 'LIKED')])).results;
    const group = new GroupCommit(prisma, { concurrency: 1 });
    const settled = await Promise.allSettled([
      group.record(workspaceId, rating('a', 'first')),
      // These four arrive while the first is in flight: one group, which the reused key fails.
      group.record(workspaceId, rating('b', 'fine-1')),
      group.record(workspaceId, rating('a', 'taken', 'DISLIKED')),
      group.record(workspaceId, rating('c', 'twice')),
      group.record(workspaceId, rating('c', 'twice')),
      group.record(workspaceId, rating('a', 'taken', 'LIKED')),
    ]);
    const [first, fine, conflict, twiceA, twiceB, retry] = settled;
    expect(first.status).toBe('fulfilled');
    expect(fine).toMatchObject({ status: 'fulfilled', value: { result: { replayed: false } } });
    expect(conflict.status).toBe('rejected');
    expect((conflict as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyConflictError);
    expect((conflict as PromiseRejectedResult).reason.field).toBe('input.idempotencyKey');
    const twice = [twiceA, twiceB].map(
      (s) => (s as PromiseFulfilledResult<Awaited<ReturnType<GroupCommit['record']>>>).value.result,
    );
    expect(twice.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(twice[0]!.interactionId).toBe(twice[1]!.interactionId);
    expect(retry).toMatchObject({
      status: 'fulfilled',
      value: { result: { replayed: true, interactionId: taken!.interactionId } },
    });
    expect(await prisma.interaction.count({ where: { workspaceId } })).toBe(4);
  });
});
