// Evaluating a model against recorded outcomes: customers that went quiet and then churned must be
// told apart from steady ones, labels follow the horizon, a range whose outcomes are not known yet
// is refused, and an evaluation job records its progress and its result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@pulso/database';
import { openTestDatabase, type TestDatabase } from '@pulso/database/testing';
import { DAY_MS } from '@pulso/scoring';
import { recordOutcomes } from '../outcomes/record-outcomes.ts';
import { recordInteractions } from '../recording/record-interactions.ts';
import { createWorkspace } from '../workspaces/create-workspace.ts';
import {
  EvaluationRequestError,
  evaluateScoringModel,
  failInterruptedEvaluations,
  INTERRUPTED_AFTER_MS,
  requestModelEvaluation,
  runModelEvaluation,
} from './evaluate-scoring-model.ts';

describe.each(['pglite', 'postgres'] as const)('model evaluation on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  let workspaceId: string;
  const now = new Date();
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY_MS);
  beforeAll(async () => {
    test = await openTestDatabase(kind, 'evaluation');
    database = test.database;
    ({ workspaceId } = await createWorkspace(database.prisma, { slug: 'evaluation', name: 'Evaluation' }));
    // Twelve steady customers meet weekly for 200 days; eight meet weekly until they go quiet,
    // 60 days before they churn (churns spread from 130 to 46 days ago).
    const interactions = [];
    const churns = [];
    for (let c = 0; c < 20; c++) {
      const externalId = `c${c}`;
      const churner = c >= 12;
      const churnDay = churner ? 130 - (c - 12) * 12 : null;
      for (let day = 200; day >= 1; day -= 7) {
        if (churnDay !== null && day <= churnDay + 60) break;
        interactions.push({
          customer: { externalId, name: externalId },
          typeKey: 'meeting',
          occurredAt: daysAgo(day),
          idempotencyKey: `${externalId}-${day}`,
        });
      }
      if (churnDay !== null)
        churns.push({
          customer: { externalId },
          kind: 'CHURNED' as const,
          occurredAt: daysAgo(churnDay),
          idempotencyKey: `churn-${externalId}`,
        });
    }
    await recordInteractions(database.prisma, workspaceId, interactions);
    await recordOutcomes(database.prisma, workspaceId, churns);
  }, 120_000);
  afterAll(() => test?.close());

  it('ranks customers that went quiet below steady ones, and measures the baselines beside the model', async () => {
    const report = await evaluateScoringModel(database.prisma, workspaceId, {
      from: daysAgo(180),
      to: daysAgo(40),
      stepDays: 10,
      horizonDays: 30,
    });
    expect(report.instants).toHaveLength(15);
    expect(report.model).toBe('in force');
    expect(report.customers).toBe(20);
    // Each churner is labelled at the instants in the 30 days before its churn (three instants at most).
    expect(report.churnObservations).toBeGreaterThanOrEqual(8);
    expect(report.churnObservations).toBeLessThanOrEqual(24);
    expect(report.rankers.model.auc).toBeGreaterThan(0.8);
    expect(report.rankers.model.aucInterval.low).toBeLessThanOrEqual(report.rankers.model.auc);
    expect(report.rankers.recentInteractions.auc).toBeGreaterThan(0.8);
    expect(report.rankers.daysSinceLast.auc).toBeGreaterThan(0.8);
    expect(report.calibration.length).toBeGreaterThan(0);
    expect(report.bands.map((b) => b.band)).toContain('HEALTHY');
    // A churner is not observed once it has churned.
    expect(report.observations).toBeLessThan(20 * 15);
  });

  it('refuses a range whose outcomes are not known yet, and a version that does not exist', async () => {
    const tooLate = evaluateScoringModel(database.prisma, workspaceId, {
      from: daysAgo(60),
      to: daysAgo(10),
      horizonDays: 30,
    });
    await expect(tooLate).rejects.toBeInstanceOf(EvaluationRequestError);
    await expect(tooLate).rejects.toThrow(/not known yet/);
    await expect(
      evaluateScoringModel(database.prisma, workspaceId, { from: daysAgo(180), to: daysAgo(40), modelVersion: 7 }),
    ).rejects.toThrow(/no scoring model version 7/);
    await expect(
      evaluateScoringModel(database.prisma, workspaceId, { from: daysAgo(40), to: daysAgo(180) }),
    ).rejects.toThrow(/must not be before from/);
  });

  it('evaluates a proposed change without applying it', async () => {
    const report = await evaluateScoringModel(database.prisma, workspaceId, {
      from: daysAgo(180),
      to: daysAgo(40),
      stepDays: 20,
      proposal: [{ kind: 'updateCategory', key: 'engagement', weight: 5 }],
    });
    expect(report.model).toBe('proposal');
    expect(await database.prisma.workspace.findFirstOrThrow({ where: { id: workspaceId } })).toMatchObject({
      scoringModelVersion: 1,
    });
  });

  it('runs as a job: progress, then the result kept with its version; a silent job is marked interrupted', async () => {
    const job = await requestModelEvaluation(database.prisma, workspaceId, {
      from: daysAgo(180),
      to: daysAgo(40),
      modelVersion: 1,
    });
    expect(job).toMatchObject({ status: 'PENDING', modelVersion: 1, total: 20, done: 0 });
    const finished = await runModelEvaluation(database.prisma, job.workspaceId, job.id);
    expect(finished).toMatchObject({ status: 'SUCCEEDED', done: 20, total: 20 });
    expect((finished.result as { rankers: { model: { auc: number } } }).rankers.model.auc).toBeGreaterThan(0.8);

    await expect(
      requestModelEvaluation(database.prisma, workspaceId, { from: daysAgo(10), to: daysAgo(5) }),
    ).rejects.toThrow(/not known yet/);
    const stale = await requestModelEvaluation(database.prisma, workspaceId, { from: daysAgo(180), to: daysAgo(40) });
    expect(await failInterruptedEvaluations(database.prisma)).toBe(0);
    expect(await failInterruptedEvaluations(database.prisma, new Date(Date.now() + INTERRUPTED_AFTER_MS + 1_000))).toBe(
      1,
    );
    expect(await database.prisma.modelEvaluation.findFirstOrThrow({ where: { id: stale.id } })).toMatchObject({
      status: 'FAILED',
      error: 'interrupted by a restart: request it again',
    });
  });
});
