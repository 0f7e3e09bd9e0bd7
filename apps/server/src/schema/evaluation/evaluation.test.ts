// Scores as of a past instant and model evaluation through the API, on a history recorded for
// past dates: customers that went quiet before churning, beside steady ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const DAY = 86_400_000;

describe.each(['pglite', 'postgres'] as const)('scores as of an instant and evaluation on %s', (database) => {
  let t: TestServer;
  const now = Date.now();
  const daysAgo = (n: number) => new Date(now - n * DAY).toISOString();
  beforeAll(async () => {
    t = await createTestServer({ database });
    const interactions = [];
    const outcomes = [];
    for (let c = 0; c < 10; c++) {
      const churnDay = c >= 6 ? 120 - (c - 6) * 15 : null;
      for (let day = 200; day >= 1; day -= 7) {
        if (churnDay !== null && day <= churnDay + 45) break;
        interactions.push({
          customer: { externalId: `c${c}`, name: `Customer ${c}` },
          type: 'meeting',
          occurredAt: daysAgo(day),
          idempotencyKey: `c${c}-${day}`,
        });
      }
      if (churnDay !== null)
        outcomes.push({
          customer: { externalId: `c${c}` },
          kind: 'CHURNED',
          occurredAt: daysAgo(churnDay),
          idempotencyKey: `churn-${c}`,
        });
    }
    const recorded = await t.graphql(
      `mutation ($i: [RecordInteractionInput!]!) { recordInteractions(interactions: $i) { __typename } }`,
      { i: interactions },
    );
    expect(recorded.body.data.recordInteractions.__typename).toBe('RecordedInteractions');
    const churned = await t.graphql(
      `mutation ($o: [RecordOutcomeInput!]!) { recordOutcomes(outcomes: $o) { __typename } }`,
      { o: outcomes },
    );
    expect(churned.body.data.recordOutcomes.__typename).toBe('RecordedOutcomes');
  }, 120_000);
  afterAll(() => t?.close());

  it("reads a customer's explained score as of a past instant, and null before it was known", async () => {
    const read = await t.graphql(
      `query ($past: DateTime!, $before: DateTime!) { customer(externalId: "c0") {
        past: healthAsOf(at: $past) { value band coverage modelVersion categories { key subScore } }
        before: healthAsOf(at: $before) { value }
      } }`,
      { past: daysAgo(150), before: daysAgo(250) },
    );
    expect(read.body.errors).toBeUndefined();
    const { past, before } = read.body.data.customer;
    expect(past.modelVersion).toBe(1);
    expect(past.categories.find((c: { key: string }) => c.key === 'engagement').subScore).toBeGreaterThan(50);
    expect(before).toBeNull();
  });

  it('pages every customer active at an instant, leaving out those churned by then', async () => {
    const at = daysAgo(100);
    const page = async (after: string | null) =>
      (
        await t.graphql(
          `query ($at: DateTime!, $after: String) { scoresAsOf(at: $at, first: 3, after: $after) {
            edges { cursor node { externalId health { value band categories { key subScore } } } }
            pageInfo { hasNextPage endCursor } } }`,
          { at, after },
        )
      ).body.data.scoresAsOf;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p = await page(after);
      seen.push(...p.edges.map((e: { node: { externalId: string } }) => e.node.externalId));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    // c6 churned 120 days ago and c7 105 days ago; the others were still customers 100 days ago.
    expect(seen.sort()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c8', 'c9']);
    const unknown = await t.graphql(
      `{ scoresAsOf(at: "2026-01-01T00:00:00Z", modelVersion: 5, first: 1) { edges { cursor } } }`,
    );
    expect(unknown.body.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('refuses a cursor that is not a customer id as the caller’s mistake, before the database', async () => {
    for (const after of ['garbage', '0'.repeat(36), "00000000-0000-0000-0000-000000000000' OR 1=1"]) {
      const refused = await t.graphql(
        `query ($after: String) { scoresAsOf(at: "2026-11-01T00:00:00Z", first: 2, after: $after) { edges { cursor } } }`,
        { after },
      );
      expect(refused.body.errors).toHaveLength(1);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: `Invalid cursor: ${after}`,
        extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
      });
    }
    // A well-formed id that names no customer simply pages on from there.
    const fromZero = await t.graphql(
      `{ scoresAsOf(at: "2026-11-01T00:00:00Z", first: 1, after: "00000000-0000-0000-0000-000000000000") { edges { cursor } } }`,
    );
    expect(fromZero.body.errors).toBeUndefined();
  });

  it('evaluates the model as a job and reports the score beside both baselines', async () => {
    const started = await t.graphql(
      `mutation ($input: EvaluateScoringModelInput!) { evaluateScoringModel(input: $input) {
        __typename ... on ModelEvaluation { id status total } } }`,
      { input: { from: daysAgo(180), to: daysAgo(40), stepDays: 10, horizonDays: 30 } },
    );
    expect(started.body.errors).toBeUndefined();
    const { id, total } = started.body.data.evaluateScoringModel;
    expect(total).toBe(10);
    let job: any;
    for (let i = 0; i < 200; i++) {
      job = (
        await t.graphql(
          `query ($id: ID!) { modelEvaluation(id: $id) { status done total error
            summary { observations customers churnRate verdicts
              model { auc aucLow aucHigh topDecileLift } recentInteractions { auc } daysSinceLastInteraction { auc } }
            report } }`,
          { id },
        )
      ).body.data.modelEvaluation;
      if (job.status === 'SUCCEEDED' || job.status === 'FAILED') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(job).toMatchObject({ status: 'SUCCEEDED', done: 10, total: 10, error: null });
    expect(job.summary.customers).toBe(10);
    expect(job.summary.model.auc).toBeGreaterThan(0.7);
    expect(job.summary.model.aucLow).toBeLessThanOrEqual(job.summary.model.auc);
    expect(job.summary.recentInteractions.auc).toBeGreaterThan(0.5);
    expect(job.report.calibration.length).toBeGreaterThan(0);
    const listed = await t.graphql(`{ modelEvaluations(first: 5) { edges { node { id status } } } }`);
    expect(listed.body.data.modelEvaluations.edges[0].node).toEqual({ id, status: 'SUCCEEDED' });
  });

  it('refuses an evaluation whose outcomes are not known yet, with a typed error', async () => {
    const refused = await t.graphql(
      `mutation ($input: EvaluateScoringModelInput!) { evaluateScoringModel(input: $input) {
        __typename ... on EvaluationRequestError { field code message } } }`,
      { input: { from: daysAgo(60), to: daysAgo(5), horizonDays: 30 } },
    );
    expect(refused.body.data.evaluateScoringModel).toMatchObject({
      __typename: 'EvaluationRequestError',
      field: 'to',
      code: 'HORIZON_NOT_OVER',
    });
    const evaluations = await t.database.prisma.modelEvaluation.count({ where: { workspaceId: t.workspaceId } });
    // Every problem of the request in one answer, the one answered alone before first.
    const everything = await t.graphql(
      `mutation ($input: EvaluateScoringModelInput!) { evaluateScoringModel(input: $input) {
        __typename ... on EvaluationRequestError { field code message problems { field code message } } } }`,
      {
        input: {
          from: daysAgo(60),
          to: daysAgo(90),
          stepDays: 0,
          horizonDays: 400,
          modelVersion: 99,
          proposal: { categoryWeights: [{ categoryKey: 'support', weight: 2 }] },
        },
      },
    );
    const problems = [
      { field: 'stepDays', code: 'OUT_OF_RANGE', message: 'a whole number of days from 1 to 366, got 0' },
      { field: 'horizonDays', code: 'OUT_OF_RANGE', message: 'a whole number of days from 1 to 365, got 400' },
      { field: 'to', code: 'INVALID', message: 'must not be before from' },
      { field: 'proposal', code: 'INVALID', message: 'give a model version or a proposal, not both' },
      { field: 'modelVersion', code: 'NOT_FOUND', message: 'no scoring model version 99 in this workspace' },
    ];
    expect(everything.body.data.evaluateScoringModel).toEqual({
      __typename: 'EvaluationRequestError',
      field: 'stepDays',
      code: 'OUT_OF_RANGE',
      message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    });
    expect(await t.database.prisma.modelEvaluation.count({ where: { workspaceId: t.workspaceId } })).toBe(evaluations);
    const readOnly = await t.graphql(
      `mutation { evaluateScoringModel(input: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { __typename } }`,
      {},
      t.publishableKey,
    );
    expect(readOnly.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
