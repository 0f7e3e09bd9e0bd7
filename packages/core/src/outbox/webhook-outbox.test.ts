// Score changes become webhook outbox rows in the transaction that stores them: one per endpoint
// whose filters match, none for a first score, none when the transaction rolls back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Band, Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { compileModel } from '@pulso/scoring';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { recordInteractions } from '../recording/record-interactions.ts';
import type { ScoreChange } from '../scores/score-change.ts';
import { scoreCustomers } from '../scores/score-customers.ts';
import { loadScoringModel } from '../model/load-scoring-model.ts';
import { storeScores } from '../scores/store-scores.ts';
import type { Tx } from '../transaction.ts';

interface Filter {
  id: string;
  bandChanged: boolean;
  bandChangedFrom: Band[];
  bandChangedTo: Band[];
  scoreDropPoints: number | null;
  enabled: boolean;
}

/** The events a change should give, by the filters' plain meaning (the oracle the SQL must match). */
function expectedEvents(change: ScoreChange, endpoints: Filter[]): string[] {
  const events: string[] = [];
  if (change.previousScore === null || change.previousBand === null) return events;
  for (const e of [...endpoints].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (!e.enabled) continue;
    const moved = change.band !== change.previousBand;
    if (
      e.bandChanged &&
      moved &&
      (!e.bandChangedFrom.length || e.bandChangedFrom.includes(change.previousBand)) &&
      (!e.bandChangedTo.length || e.bandChangedTo.includes(change.band))
    ) {
      events.push(`band.changed ${e.id}`);
    }
  }
  for (const e of [...endpoints].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (e.enabled && e.scoreDropPoints !== null && change.previousScore - change.score >= e.scoreDropPoints)
      events.push(`score.dropped ${e.id}`);
  }
  // Sorted as the outbox orders one change's events: by type, then endpoint.
  return events;
}

describe.each(['pglite', 'postgres'] as const)('webhook outbox on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'webhook_outbox');
    database = test.database;
  });
  afterAll(() => test?.close());

  it('writes one event per matching endpoint for band changes and drops, in commit order, with the payload', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'outbox', name: 'Outbox' });
    const endpoint = (data: Partial<Filter>) =>
      prisma.webhookEndpoint.create({
        data: { workspaceId, url: 'http://127.0.0.1:9/hook', secret: 'whsec_dGVzdA==', ...data },
      });
    const endpoints: Filter[] = [
      await endpoint({ bandChanged: true }),
      await endpoint({ bandChanged: true, bandChangedFrom: ['HEALTHY'], bandChangedTo: ['AT_RISK'] }),
      await endpoint({ bandChanged: true, bandChangedTo: ['HEALTHY'] }),
      await endpoint({ scoreDropPoints: 10 }),
      await endpoint({ bandChanged: true, scoreDropPoints: 0.1, enabled: false }),
    ];

    const changes: ScoreChange[] = [];
    // Meetings recorded now, one write per step. Under formula 2 an indifferent first meeting is
    // at risk, liked ones carry it to healthy, and two "wasted my time" in one write (grave signals,
    // ×0.55 of the whole score) drop it straight from healthy to at risk; a third drops it again.
    const steps = [
      ['INDIFFERENT'],
      ['LIKED'],
      ['LIKED'],
      ['LIKED'],
      ['WASTED_TIME', 'WASTED_TIME'],
      ['LIKED'],
      ['WASTED_TIME'],
    ] as const;
    for (const [i, sentiments] of steps.entries()) {
      const { changes: moved } = await recordInteractions(
        prisma,
        workspaceId,
        sentiments.map((sentiment, j) => ({
          customer: { externalId: 'acme', name: 'Acme' },
          typeKey: 'meeting',
          sentiment,
          idempotencyKey: `step-${i}-${j}`,
        })),
      );
      changes.push(...moved);
    }
    const expected = changes.flatMap((change) => expectedEvents(change, endpoints));
    const events = await prisma.webhookEvent.findMany({ where: { workspaceId }, orderBy: { sequence: 'asc' } });
    expect(events.map((e) => `${e.type} ${e.endpointId}`)).toEqual(expected);
    // The scenario does exercise each kind of filter.
    expect(expected.filter((e) => e === `band.changed ${endpoints[1]!.id}`).length).toBeGreaterThan(0);
    expect(expected.filter((e) => e === `band.changed ${endpoints[2]!.id}`).length).toBeGreaterThan(0);
    expect(expected.filter((e) => e.startsWith('score.dropped')).length).toBeGreaterThan(0);

    const customer = await prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId: 'acme' } });
    const drop = events.find((e) => e.type === 'score.dropped')!;
    const change = changes.find((c) => c.previousScore !== null && c.previousScore - c.score >= 10)!;
    expect(drop.payload).toEqual({
      type: 'score.dropped',
      timestamp: change.computedAt,
      data: {
        workspaceId,
        customer: { id: customer.id, externalId: 'acme', name: 'Acme' },
        score: {
          previous: change.previousScore,
          current: change.score,
          change: Math.round((change.score - change.previousScore!) * 10) / 10,
        },
        band: { previous: change.previousBand, current: change.band },
        computedAt: change.computedAt,
        modelVersion: change.modelVersion,
      },
    });
    expect(new Set(events.map((e) => e.messageId)).size).toBe(events.length);
    for (const e of events) {
      expect(e.messageId).toMatch(/^evt_[0-9a-f]{32}$/);
      expect(e).toMatchObject({ status: 'PENDING', attempts: 0, customerId: customer.id });
    }
  });

  it('writes nothing when the transaction that stored the score rolls back', async () => {
    const prisma = database.prisma;
    const { workspaceId } = await createWorkspace(prisma, { slug: 'rollback', name: 'Rollback' });
    await prisma.webhookEndpoint.create({
      data: {
        workspaceId,
        url: 'http://127.0.0.1:9/hook',
        secret: 'whsec_dGVzdA==',
        bandChanged: true,
        scoreDropPoints: 0.1,
      },
    });
    for (const [i, sentiment] of (['LIKED', 'LIKED'] as const).entries()) {
      await recordInteractions(prisma, workspaceId, [
        { customer: { externalId: 'b', name: 'B' }, typeKey: 'meeting', sentiment, idempotencyKey: `r${i}` },
      ]);
    }
    const customer = await prisma.customer.findFirstOrThrow({ where: { workspaceId, externalId: 'b' } });
    await prisma.interaction.create({
      data: {
        workspaceId,
        customerId: customer.id,
        typeId: (await prisma.interactionType.findFirstOrThrow({ where: { workspaceId, key: 'meeting' } })).id,
        occurredAt: new Date(),
        sentiment: 'WASTED_TIME',
      },
    });
    const failed = prisma.$transaction(async (tx: Tx) => {
      const { version, ...model } = await loadScoringModel(tx, workspaceId);
      const computed = await scoreCustomers(tx, workspaceId, compileModel(model), [customer.id], new Date());
      await storeScores(tx, workspaceId, version, new Date(), computed);
      expect(await tx.webhookEvent.count({ where: { workspaceId } })).toBeGreaterThan(0);
      throw new Error('rolled back');
    });
    await expect(failed).rejects.toThrow('rolled back');
    expect(await prisma.webhookEvent.count({ where: { workspaceId } })).toBe(0);
  });
});
