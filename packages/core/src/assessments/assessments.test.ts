// Manual assessments directly, without the API: refused input, the replace rule (an assessment in
// force is only replaced when the caller says so), and the customer rescored in the same
// transaction as the assessment is set or ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS } from '@pulso/scoring';
import { recordInteractions } from '../recording/record-interactions.ts';
import type { ScoreChange } from '../scores/score-change.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import { AssessmentError } from './assessment-error.ts';
import { activeAssessmentOf, endManualAssessment, setManualAssessment } from './assessments.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const later = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

describe.each(['pglite', 'postgres'] as const)('manual assessments on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let prisma: PrismaClient;
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'assessments');
    database = test.database;
    prisma = database.prisma;
  });
  afterAll(() => test?.close());

  /** A customer with a healthy score from liked meetings. */
  async function customer(slug: string) {
    const { workspaceId } = await createWorkspace(prisma, { slug, name: slug });
    const writes = Array.from({ length: 5 }, (_, i) => ({
      customer: { externalId: 'acme', name: 'Acme' },
      typeKey: 'meeting',
      sentiment: 'LIKED' as const,
      occurredAt: new Date(NOW.getTime() - (1 + i) * DAY_MS),
      idempotencyKey: `m${i}`,
    }));
    const { results } = await recordInteractions(prisma, workspaceId, writes, { now: NOW });
    return { workspaceId, customerId: results[0]!.customerId };
  }

  it('refuses a rating off the scale, a weight out of range, no reason or an expiry in the past, writing nothing', async () => {
    const { workspaceId, customerId } = await customer('refusals');
    const base = { workspaceId, customerId, score: 20, reason: 'champion left', expiresAt: later(30), now: NOW };
    const field = (input: Partial<typeof base> & { weight?: number }) =>
      setManualAssessment(prisma, { ...base, ...input }).then(
        () => null,
        (error: unknown) => (error instanceof AssessmentError ? [error.field, error.code] : error),
      );
    expect(await field({ score: 101 })).toEqual(['score', 'OUT_OF_RANGE']);
    expect(await field({ weight: 0 })).toEqual(['weight', 'OUT_OF_RANGE']);
    expect(await field({ reason: '  ' })).toEqual(['reason', 'MISSING_VALUE']);
    expect(await field({ expiresAt: NOW })).toEqual(['expiresAt', 'OUT_OF_RANGE']);
    expect(await prisma.manualAssessment.count({ where: { customerId } })).toBe(0);
  });

  it('rescores the customer with the assessment when set, and without it when ended', async () => {
    const { workspaceId, customerId } = await customer('rescored');
    const automated = await prisma.customer.findFirstOrThrow({ where: { id: customerId } });
    const heard: ScoreChange[] = [];
    const set = await setManualAssessment(prisma, {
      workspaceId,
      customerId,
      score: 5,
      reason: ' renewal at risk ',
      expiresAt: later(30),
      author: 'ana@csm.example',
      now: NOW,
      onScoreChanges: (changes) => heard.push(...changes),
    });
    expect(set).toMatchObject({ score: 5, reason: 'renewal at risk', author: 'ana@csm.example', endedAt: null });
    const assessed = await prisma.customer.findFirstOrThrow({ where: { id: customerId } });
    expect(assessed.score).toBeLessThan(automated.score!);
    expect((assessed.scoreBreakdown as { assessment?: { score: number } }).assessment?.score).toBe(5);
    expect(heard).toEqual([
      expect.objectContaining({ customerId, previousScore: automated.score, score: assessed.score }),
    ]);

    const ended = await endManualAssessment(prisma, workspaceId, customerId, later(1));
    expect(ended).toMatchObject({ id: set.id, endedAt: later(1) });
    const after = await prisma.customer.findFirstOrThrow({ where: { id: customerId } });
    expect((after.scoreBreakdown as { assessment?: unknown }).assessment).toBeUndefined();
    expect(await activeAssessmentOf(prisma, customerId, later(2))).toBeNull();
    // Nothing left to end.
    expect(await endManualAssessment(prisma, workspaceId, customerId, later(3))).toBeNull();
  });

  it('replaces an assessment in force only when told to, ending the old one at that instant', async () => {
    const { workspaceId, customerId } = await customer('replace');
    const first = await setManualAssessment(prisma, {
      workspaceId,
      customerId,
      score: 30,
      reason: 'budget cut',
      expiresAt: later(10),
      now: NOW,
    });
    const refused = await setManualAssessment(prisma, {
      workspaceId,
      customerId,
      score: 80,
      reason: 'budget restored',
      expiresAt: later(10),
      now: later(1),
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AssessmentError);
    expect(refused).toMatchObject({ field: 'replace', code: 'ALREADY_EXISTS' });
    expect((refused as Error).message).toMatch(/budget cut/);
    expect(await activeAssessmentOf(prisma, customerId, later(1))).toMatchObject({ id: first.id });

    const second = await setManualAssessment(prisma, {
      workspaceId,
      customerId,
      score: 80,
      reason: 'budget restored',
      expiresAt: later(10),
      replace: true,
      now: later(1),
    });
    expect(await prisma.manualAssessment.findFirstOrThrow({ where: { id: first.id } })).toMatchObject({
      endedAt: later(1),
    });
    expect(await activeAssessmentOf(prisma, customerId, later(2))).toMatchObject({ id: second.id });
    // An expired assessment is no longer in force: a new one needs no replace.
    expect(await activeAssessmentOf(prisma, customerId, later(11))).toBeNull();
    await expect(
      setManualAssessment(prisma, {
        workspaceId,
        customerId,
        score: 50,
        reason: 'quarterly review',
        expiresAt: later(40),
        now: later(11),
      }),
    ).resolves.toMatchObject({ score: 50 });
  });
});
