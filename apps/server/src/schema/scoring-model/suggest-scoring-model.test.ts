// suggestScoringModel through the API: weights fitted to recorded outcomes, returned as a change
// a person applies through the usual flow; with too few outcomes, how many it needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../../testing.ts';

const DAY = 86_400_000;

const SUGGEST = `mutation ($input: SuggestScoringModelInput!) { suggestScoringModel(input: $input, movers: 5) {
  __typename
  ... on ScoringModelSuggestion {
    status message modelVersion horizonDays instants heldOutFrom
    categoryWeights { categoryKey weight }
    currentWeights { categoryKey weight }
    fittedWeights { categoryKey weight }
    trainingAuc { current fitted }
    heldOutAuc { current fitted }
    churnOutcomes { instants trainingChurners heldOutChurners }
    needs { instants trainingChurners heldOutChurners }
    preview { customers bandChanged movers { externalId scoreBefore scoreAfter bandBefore bandAfter } }
  }
  ... on EvaluationRequestError { field code message }
} }`;

/** Formula 2 with its activity categories, through the ordinary model changes. */
async function switchToFormula2(t: TestServer): Promise<void> {
  const switched = await t.graphql(
    `mutation {
      settings: applyScoringModelChange(change: { settings: { formula: 2, decayHalfLifeDays: 14, upsellEngagementMin: 60 } }) { __typename }
      engagement: updateCategory(key: "engagement", input: { measuresActivity: true }) { __typename }
      usage: updateCategory(key: "product_usage", input: { measuresActivity: true }) { __typename }
    }`,
  );
  expect(switched.body.errors).toBeUndefined();
  expect(Object.values(switched.body.data).map((r: any) => r.__typename)).toEqual([
    'ScoringModelChange',
    'ScoringModelChange',
    'ScoringModelChange',
  ]);
}

describe('suggestScoringModel with enough outcomes', () => {
  let t: TestServer;
  const now = Date.now();
  const daysAgo = (n: number) => new Date(now - n * DAY).toISOString();
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch' });
    // 30 customers churn, one every 6 days from 190 to 16 days ago, each after three bad support
    // tickets; 60 stay. Everyone meets steadily, and a third of the stayers grumble in meetings:
    // engagement says little about churn, support says much, and support weighs only 15 of 100.
    const interactions: object[] = [];
    const outcomes: object[] = [];
    for (let c = 0; c < 90; c++) {
      const churnDay = c < 30 ? 190 - c * 6 : null;
      const customer = { externalId: `c${c}`, name: `Customer ${c}` };
      const every = 7 + (c % 3) * 3;
      for (let day = 260 - (c % 7); day >= 1; day -= every) {
        if (churnDay !== null && day <= churnDay) break;
        const grumbles = churnDay === null && c % 3 === 0 && day % 4 === 0;
        interactions.push({
          customer,
          type: 'meeting',
          occurredAt: daysAgo(day),
          ...(grumbles ? { sentiment: 'DISLIKED' } : {}),
          idempotencyKey: `m${c}-${day}`,
        });
      }
      const tickets =
        churnDay !== null
          ? [churnDay + 40, churnDay + 25, churnDay + 10].map((day) => ({ day, sentiment: 'DISLIKED' }))
          : [250 - (c % 50), 150 - (c % 50), 60 - (c % 50)].map((day) => ({ day, sentiment: 'LIKED' }));
      for (const { day, sentiment } of tickets)
        interactions.push({
          customer,
          type: 'support_ticket',
          occurredAt: daysAgo(day),
          sentiment,
          idempotencyKey: `s${c}-${day}`,
        });
      if (churnDay !== null)
        outcomes.push({
          customer: { externalId: `c${c}` },
          kind: 'CHURNED',
          occurredAt: daysAgo(churnDay),
          idempotencyKey: `churn-${c}`,
        });
    }
    for (let start = 0; start < interactions.length; start += 1000) {
      const recorded = await t.graphql(
        `mutation ($i: [RecordInteractionInput!]!) { recordInteractions(interactions: $i) { __typename } }`,
        { i: interactions.slice(start, start + 1000) },
      );
      expect(recorded.body.data.recordInteractions.__typename).toBe('RecordedInteractions');
    }
    const churned = await t.graphql(
      `mutation ($o: [RecordOutcomeInput!]!) { recordOutcomes(outcomes: $o) { __typename } }`,
      { o: outcomes },
    );
    expect(churned.body.data.recordOutcomes.__typename).toBe('RecordedOutcomes');
    await switchToFormula2(t);
  }, 180_000);
  afterAll(() => t?.close());

  it('fits support up on the older instants, is judged on the newer ones, and the change applies as is', async () => {
    const answer = await t.graphql(SUGGEST, { input: { from: daysAgo(200), to: daysAgo(35), stepDays: 7 } });
    expect(answer.body.errors).toBeUndefined();
    const s = answer.body.data.suggestScoringModel;
    expect(s.__typename).toBe('ScoringModelSuggestion');
    expect(s.instants).toHaveLength(24);
    // The older 16 weekly instants train, the newer 8 judge.
    expect(s.heldOutFrom).toBe(s.instants[16]);
    expect(s.churnOutcomes.trainingChurners).toBeGreaterThanOrEqual(30);
    expect(s.churnOutcomes.heldOutChurners).toBeGreaterThanOrEqual(10);
    expect(s.needs).toBeNull();
    expect(s.status).toBe('FITTED');
    const weight = (list: { categoryKey: string; weight: number }[], key: string) =>
      list.find((w) => w.categoryKey === key)!.weight;
    expect(weight(s.fittedWeights, 'support')).toBeGreaterThan(weight(s.currentWeights, 'support'));
    expect(weight(s.fittedWeights, 'engagement')).toBeLessThan(weight(s.currentWeights, 'engagement'));
    expect(s.heldOutAuc.fitted).toBeGreaterThanOrEqual(s.heldOutAuc.current);
    expect(s.trainingAuc.fitted).toBeGreaterThan(s.trainingAuc.current);
    expect(s.message).toMatch(/held-out AUC/);
    // The change is the weights that move, in the shape applyScoringModelChange takes.
    expect(s.categoryWeights.map((w: { categoryKey: string }) => w.categoryKey)).toContain('support');
    expect(s.preview.customers).toBe(60);
    expect(s.preview.movers.length).toBeGreaterThan(0);

    const applied = await t.graphql(
      `mutation ($change: ScoringModelChangeInput!) { applyScoringModelChange(change: $change) {
        __typename ... on ScoringModelChange { version } } }`,
      { change: { categoryWeights: s.categoryWeights, note: 'weights fitted to outcomes' } },
    );
    expect(applied.body.data.applyScoringModelChange).toEqual({
      __typename: 'ScoringModelChange',
      version: s.modelVersion + 1,
    });
    const model = await t.graphql('{ scoringModel { version categories { key weight } } }');
    expect(model.body.errors).toBeUndefined();
    const { version, categories } = model.body.data.scoringModel;
    expect(version).toBe(s.modelVersion + 1);
    for (const { categoryKey, weight: proposed } of s.categoryWeights)
      expect(categories.find((c: { key: string }) => c.key === categoryKey).weight).toBe(proposed);
  });

  it('refuses what cannot be fitted with a typed error, and read-only keys', async () => {
    const early = await t.graphql(SUGGEST, { input: { from: daysAgo(60), to: daysAgo(5) } });
    expect(early.body.data.suggestScoringModel).toMatchObject({
      __typename: 'EvaluationRequestError',
      field: 'to',
      code: 'HORIZON_NOT_OVER',
    });
    const readOnly = await t.graphql(SUGGEST, { input: { from: daysAgo(200), to: daysAgo(35) } }, t.publishableKey);
    expect(readOnly.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('suggestScoringModel on the demo workspace', () => {
  let t: TestServer;
  const now = new Date();
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY).toISOString();
  beforeAll(async () => {
    t = await createTestServer({ over: 'fetch', workspace: 'demo', demoOutcomes: true, now });
  }, 120_000);
  afterAll(() => t?.close());

  it('refuses a formula-1 model, then with too few outcomes says how many it needs and proposes nothing', async () => {
    const input = { from: daysAgo(150), to: daysAgo(35), stepDays: 7 };
    // New workspaces start on formula 2: go back to formula 1 to see the refusal.
    const back = await t.graphql(
      `mutation { applyScoringModelChange(change: { settings: { formula: 1 } }) { __typename } }`,
    );
    expect(back.body.data.applyScoringModelChange.__typename).toBe('ScoringModelChange');
    const formula1 = await t.graphql(SUGGEST, { input });
    expect(formula1.body.data.suggestScoringModel).toMatchObject({
      __typename: 'EvaluationRequestError',
      field: 'model',
      code: 'INVALID',
    });
    expect(formula1.body.data.suggestScoringModel.message).toMatch(/formula-2 model only/);

    await switchToFormula2(t);
    const answer = await t.graphql(SUGGEST, { input });
    expect(answer.body.errors).toBeUndefined();
    const s = answer.body.data.suggestScoringModel;
    expect(s).toMatchObject({
      __typename: 'ScoringModelSuggestion',
      status: 'NOT_ENOUGH_OUTCOMES',
      categoryWeights: [],
      fittedWeights: null,
      heldOutAuc: null,
      preview: null,
      needs: { instants: 3, trainingChurners: 30, heldOutChurners: 10 },
    });
    expect(s.churnOutcomes.trainingChurners).toBeLessThan(30);
    expect(s.message).toMatch(/^Not enough outcomes to fit weights: needs 30 churn outcomes in the older instants/);
  });
});
