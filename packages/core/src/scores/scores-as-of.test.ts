// Scores as of a past instant: computed from what had happened by then, under the model in force
// then or a chosen version, for the customers active then (known, and not churned by then).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { scoreCustomer } from '@pulso/scoring';
import { applyModelChange } from '../model/apply-model-change.ts';
import { loadModelVersions, ModelVersionNotFoundError } from '../model/model-versions.ts';
import { recordOutcomes } from '../outcomes/record-outcomes.ts';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { customersActiveAt, instantsActive, scoresAsOf } from './scores-as-of.ts';

const DAY = 86_400_000;

describe.each(['pglite', 'postgres'] as const)('scores as of an instant on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let workspaceId: string;
  const now = new Date();
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'scores_as_of');
    database = test.database;
    ({ workspaceId } = await createWorkspace(database.prisma, { slug: 'as-of', name: 'As of' }));
    const touch = (externalId: string, typeKey: string, days: number, extra: object = {}) => ({
      customer: { externalId, name: externalId },
      typeKey,
      occurredAt: daysAgo(days),
      idempotencyKey: `${externalId}-${typeKey}-${days}`,
      ...extra,
    });
    await recordInteractions(database.prisma, workspaceId, [
      touch('steady', 'meeting', 100),
      touch('steady', 'meeting', 60),
      touch('steady', 'email', 10),
      touch('fading', 'meeting', 90, { sentiment: 'LIKED' }),
      touch('fading', 'support_ticket', 20, { sentiment: 'WASTED_TIME' }),
      touch('gone', 'meeting', 80),
    ]);
    await recordOutcomes(database.prisma, workspaceId, [
      { customer: { externalId: 'gone' }, kind: 'CHURNED', occurredAt: daysAgo(30), idempotencyKey: 'gone' },
    ]);
  }, 60_000);
  afterAll(() => test?.close());

  it('scores each customer from what had happened by then, like the engine does', async () => {
    const at = daysAgo(50);
    const scores = await scoresAsOf(database.prisma, workspaceId, { at });
    expect(scores.map((s) => s.externalId).sort()).toEqual(['fading', 'gone', 'steady']);
    const versions = await loadModelVersions(database.prisma, workspaceId);
    const steady = scores.find((s) => s.externalId === 'steady')!;
    // The same as the engine over the interactions before the instant (the email, 10 days ago, is not one).
    const expected = scoreCustomer(
      versions.byNumber(1).compiled,
      { segment: null, weights: {}, assessment: null },
      [
        { id: 'a', typeKey: 'meeting', occurredAt: daysAgo(100), intensity: 1, sentiment: null, value: null },
        { id: 'b', typeKey: 'meeting', occurredAt: daysAgo(60), intensity: 1, sentiment: null, value: null },
      ],
      at,
    );
    expect(steady.result.score).toBe(expected.score);
    expect(steady.result.interactionCount).toBe(2);
    expect(steady.modelVersion).toBe(1);
    expect(steady.result.categories.length).toBeGreaterThan(0);
  });

  it('leaves out customers churned by then and customers not yet known', async () => {
    const afterChurn = await scoresAsOf(database.prisma, workspaceId, { at: daysAgo(25) });
    expect(afterChurn.map((s) => s.externalId).sort()).toEqual(['fading', 'steady']);
    // 95 days ago only "steady" had an interaction (the customers were created now, by the import).
    const early = await scoresAsOf(database.prisma, workspaceId, { at: daysAgo(95) });
    expect(early.map((s) => s.externalId)).toEqual(['steady']);
  });

  it('says for many instants at once which customers were active, as one instant at a time does', async () => {
    const instants = [95, 85, 50, 25, 5].map(daysAgo);
    const customers = await database.prisma.customer.findMany({ where: { workspaceId }, select: { id: true } });
    const ids = customers.map((c) => c.id);
    const together = await instantsActive(database.prisma, workspaceId, instants, ids);
    for (const id of ids) {
      const oneByOne: Date[] = [];
      for (const at of instants)
        if ((await customersActiveAt(database.prisma, workspaceId, at, null, 10, [id])).length) oneByOne.push(at);
      expect(together.get(id) ?? [], id).toEqual(oneByOne);
    }
    // Not a vacuous match: "gone" counts from its first interaction (80 days ago) to its churn (30).
    const gone = (await database.prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId: 'gone' } })).id;
    expect(together.get(gone)).toEqual([daysAgo(50)]);
  });

  it('uses the model in force at the instant unless a version is chosen, and pages by customer', async () => {
    await database.prisma.$transaction((tx) =>
      applyModelChange(tx, workspaceId, [{ kind: 'updateCategory', key: 'support', weight: 90 }], 'support matters'),
    );
    const before = await scoresAsOf(database.prisma, workspaceId, { at: daysAgo(5) });
    expect(new Set(before.map((s) => s.modelVersion))).toEqual(new Set([1]));
    const underNew = await scoresAsOf(database.prisma, workspaceId, { at: daysAgo(5), modelVersion: 2 });
    const fadingBefore = before.find((s) => s.externalId === 'fading')!.result.score;
    const fadingAfter = underNew.find((s) => s.externalId === 'fading')!.result.score;
    // A heavier support category weighs the wasted-time ticket more.
    expect(fadingAfter).toBeLessThan(fadingBefore);
    const nowScores = await scoresAsOf(database.prisma, workspaceId, { at: new Date() });
    expect(new Set(nowScores.map((s) => s.modelVersion))).toEqual(new Set([2]));

    const first = await scoresAsOf(database.prisma, workspaceId, { at: daysAgo(5), limit: 1 });
    const second = await scoresAsOf(database.prisma, workspaceId, {
      at: daysAgo(5),
      limit: 1,
      after: first[0]!.customerId,
    });
    expect(first).toHaveLength(1);
    expect(second[0]!.customerId > first[0]!.customerId).toBe(true);
    await expect(scoresAsOf(database.prisma, workspaceId, { at: now, modelVersion: 9 })).rejects.toBeInstanceOf(
      ModelVersionNotFoundError,
    );
  });
});
