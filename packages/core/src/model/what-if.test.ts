// Previewing a model change: every customer scored under the model in force and the proposed one
// as of one instant, band moves tallied, the biggest movers listed, and nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS } from '@pulso/scoring';
import type { InteractionWrite } from '../recording/interaction-write.ts';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { loadScoringModel } from './load-scoring-model.ts';
import { ModelChangeError } from './model-change-error.ts';
import { previewModelChange } from './what-if.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

/** Meetings of one customer, one every few days before NOW, all with the same sentiment. */
function meetings(externalId: string, count: number, sentiment: InteractionWrite['sentiment']): InteractionWrite[] {
  return Array.from({ length: count }, (_, i) => ({
    customer: { externalId, name: externalId },
    typeKey: 'meeting',
    sentiment,
    occurredAt: new Date(NOW.getTime() - (1 + 3 * i) * DAY_MS),
    idempotencyKey: `${externalId}-${i}`,
  }));
}

describe.each(['pglite', 'postgres'] as const)('previewing a model change on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let prisma: PrismaClient;
  let workspaceId: string;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'what_if');
    database = test.database;
    prisma = database.prisma;
    ({ workspaceId } = await createWorkspace(prisma, { slug: 'what-if', name: 'What if' }));
    const writes = [
      ...meetings('happy', 6, 'LIKED'),
      ...meetings('fine', 2, 'LIKED'),
      ...meetings('grumpy', 4, 'WASTED_TIME'),
      ...meetings('mixed', 3, 'DISLIKED'),
      // Grumpy also disliked its emails: its engagement says something (bad), so weighing that
      // category otherwise moves its score. (Its "wasted my time" meetings weigh on the whole score,
      // whatever the weights, and a support contact that went well would count for nothing while its
      // engagement is below neutral.)
      ...meetings('grumpy', 3, 'DISLIKED').map((w, i) => ({
        ...w,
        typeKey: 'email',
        idempotencyKey: `email-${i}`,
      })),
    ];
    await recordInteractions(prisma, workspaceId, writes, { now: NOW });
  });
  afterAll(() => test?.close());

  const stored = () =>
    prisma.customer.findMany({
      where: { workspaceId },
      select: { id: true, externalId: true, score: true, band: true },
    });

  it('scores the current model as stored and the proposed one beside it, tallying band moves', async () => {
    const customers = await stored();
    // Every score becomes at-risk under thresholds at the top of the scale; no score moves.
    const preview = await previewModelChange(
      prisma,
      workspaceId,
      [{ kind: 'updateSettings', settings: { bandAtRiskMax: 100, bandNeedsAttentionMax: 100 } }],
      { asOf: NOW },
    );
    const bands = { AT_RISK: 0, NEEDS_ATTENTION: 0, HEALTHY: 0 };
    for (const c of customers) bands[c.band!] += 1;
    expect(bands.HEALTHY).toBeGreaterThan(0);
    const average = Math.round((customers.reduce((sum, c) => sum + c.score!, 0) / customers.length) * 10) / 10;
    expect(preview).toMatchObject({
      asOf: NOW,
      modelVersion: 1,
      customers: 4,
      bandsBefore: bands,
      bandsAfter: { AT_RISK: 4, NEEDS_ATTENTION: 0, HEALTHY: 0 },
      bandChanged: 4 - bands.AT_RISK,
      improved: 0,
      worsened: 4 - bands.AT_RISK,
      averageBefore: average,
      averageAfter: average,
      movers: [],
    });
    expect(preview.bandChanges.reduce((sum, c) => sum + c.count, 0)).toBe(4 - bands.AT_RISK);
    expect(preview.bandChanges.every((c) => c.to === 'AT_RISK')).toBe(true);
  });

  it('lists the biggest movers first, as many as asked, and writes nothing', async () => {
    const before = await stored();
    const preview = await previewModelChange(
      prisma,
      workspaceId,
      [{ kind: 'updateInteractionType', key: 'meeting', basePoints: 30 }],
      { asOf: NOW, movers: 2, chunkSize: 1 },
    );
    expect(preview.customers).toBe(4);
    expect(preview.movers).toHaveLength(2);
    const sizes = preview.movers.map((m) => Math.abs(m.scoreAfter - m.scoreBefore));
    expect(sizes[0]).toBeGreaterThanOrEqual(sizes[1]!);
    expect(sizes[1]).toBeGreaterThan(0);
    for (const mover of preview.movers) {
      const customer = before.find((c) => c.id === mover.customerId)!;
      expect(mover).toMatchObject({ externalId: customer.externalId, scoreBefore: customer.score });
    }
    expect(await stored()).toEqual(before);
    expect((await loadScoringModel(prisma, workspaceId)).version).toBe(1);
  });

  it('moves only the customer whose own weights change, and refuses weights that leave it none', async () => {
    const grumpy = (await stored()).find((c) => c.externalId === 'grumpy')!;
    const preview = await previewModelChange(
      prisma,
      workspaceId,
      [{ kind: 'setCustomerWeight', customerId: grumpy.id, categoryKey: 'engagement', weight: 1 }],
      { asOf: NOW },
    );
    expect(preview.movers.map((m) => m.externalId)).toEqual(['grumpy']);
    expect(preview.movers[0]!.scoreAfter).toBeGreaterThan(preview.movers[0]!.scoreBefore);

    const { categories } = await loadScoringModel(prisma, workspaceId);
    const refused = await previewModelChange(
      prisma,
      workspaceId,
      categories.map((c) => ({
        kind: 'setCustomerWeight' as const,
        customerId: grumpy.id,
        categoryKey: c.key,
        weight: 0,
      })),
      { asOf: NOW },
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ModelChangeError);
    expect(refused).toMatchObject({ field: 'customerWeights.grumpy' });
  });
});
