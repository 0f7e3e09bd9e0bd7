import { describe, expect, it } from 'vitest';
import { compileModel } from '../compile.ts';
import { ScoringInputError } from '../errors.ts';
import { scoreCustomer } from '../score.ts';
import { AS_OF, DEFAULT_COMPILED, daysBefore, touch } from '../testing/model.ts';
import { defaultModelV2, engagedYear, evenPeers, rhythm, V2 } from '../testing/model-v2.ts';
import type { CustomerScoringInput, InteractionInput } from '../types.ts';
import { reweighScore, scoreFromParts, scoreParts } from './reweigh.ts';

const peers = evenPeers(0, 1.6);
/** Both figures are rounded to 0.1, so they may sit one rounding step apart (and a float's width). */
const ONE_TICK = 0.1 + 1e-9;

/** Customers unlike each other: steady, fading, silent, complaining, buying, answering surveys. */
const customers: InteractionInput[][] = [
  engagedYear(),
  [...rhythm('email', 2, 365, 60), ...rhythm('product_session', 5, 365, 30), touch('nps', 10, { value: 3 })],
  [...rhythm('email', 0.5, 200), touch('upsell', 5), touch('support_ticket', 3), touch('support_ticket', 9)],
  [...rhythm('product_session', 10, 120), touch('csat', 2, { value: 5 }), touch('renewal', 20)],
  [...engagedYear(), touch('micro_rating', 1, { sentiment: 'WASTED_TIME' }), touch('downsell', 4)],
  [touch('nps', 1, { value: 10 })],
  [...rhythm('meeting', 0.5, 90), touch('spontaneous_feedback', 6, { sentiment: 'DISLIKED' })],
  [],
];

const otherWeights = [
  { engagement: 5, product_usage: 60, support: 10, commercial: 20, satisfaction: 5 },
  { engagement: 1, product_usage: 1, support: 1, commercial: 1, satisfaction: 1 },
  { engagement: 40, product_usage: 2, support: 30, commercial: 0, satisfaction: 30 },
  { engagement: 0.5, product_usage: 0.5, support: 80, commercial: 10, satisfaction: 9 },
];

function modelWith(weights: Record<string, number>) {
  const model = defaultModelV2();
  return compileModel({
    ...model,
    categories: model.categories.map((category) => ({ ...category, weight: weights[category.key]! })),
  });
}

describe('reweighScore', () => {
  it("equals scoreCustomer's score under the other weights, to 0.1", () => {
    for (const weights of otherWeights) {
      const model = modelWith(weights);
      for (const interactions of customers) {
        const asDefault = scoreCustomer(V2, {}, interactions, AS_OF, { peers });
        const direct = scoreCustomer(model, {}, interactions, AS_OF, { peers });
        expect(Math.abs(reweighScore(asDefault, weights) - direct.score)).toBeLessThanOrEqual(ONE_TICK);
      }
    }
  });

  it('replaces weights from a segment or the customer, and keeps a manual assessment in force', () => {
    const weights = otherWeights[0]!;
    const customer: CustomerScoringInput = {
      weights: { support: 70 },
      assessment: {
        score: 20,
        weight: 0.3,
        reason: 'told us they are leaving',
        setAt: daysBefore(AS_OF, 5),
        expiresAt: daysBefore(AS_OF, -30),
      },
    };
    for (const interactions of customers) {
      const own = scoreCustomer(V2, customer, interactions, AS_OF, { peers });
      const direct = scoreCustomer(modelWith(weights), { assessment: customer.assessment }, interactions, AS_OF, {
        peers,
      });
      expect(Math.abs(reweighScore(own, weights) - direct.score)).toBeLessThanOrEqual(ONE_TICK);
    }
  });

  it('gives back the score itself under the weights it was scored with', () => {
    const weights = { engagement: 30, product_usage: 25, support: 15, commercial: 15, satisfaction: 15 };
    for (const interactions of customers) {
      const result = scoreCustomer(V2, {}, interactions, AS_OF, { peers });
      expect(Math.abs(reweighScore(result, weights) - result.score)).toBeLessThanOrEqual(ONE_TICK);
      expect(scoreFromParts(scoreParts(result), [30, 25, 15, 15, 15])).toBeCloseTo(result.score, 0);
    }
  });

  it('keeps the engagement gate it was scored with: zeroing every active activity category is the one gap', () => {
    // Customer 3's renewal and CSAT 5 count because its product usage backs them. With product
    // usage weighed 0 there is no engagement left to back them: scoring again drops them, the
    // stored result cannot know that.
    const weights = { engagement: 40, product_usage: 0, support: 30, commercial: 0, satisfaction: 30 };
    const asDefault = scoreCustomer(V2, {}, customers[3]!, AS_OF, { peers });
    const direct = scoreCustomer(modelWith(weights), {}, customers[3]!, AS_OF, { peers });
    expect(direct.score).toBe(50);
    expect(reweighScore(asDefault, weights)).toBeGreaterThan(75);
  });

  it('refuses a formula-1 score, a missing or unknown category, and weights that are all zero', () => {
    const v1 = scoreCustomer(DEFAULT_COMPILED, {}, engagedYear(), AS_OF);
    expect(() => reweighScore(v1, otherWeights[0]!)).toThrow(/formula-1/);
    expect(() => reweighScore(v1, otherWeights[0]!)).toThrow(ScoringInputError);
    const v2 = scoreCustomer(V2, {}, engagedYear(), AS_OF, { peers });
    const { satisfaction: _, ...missing } = otherWeights[0]!;
    expect(() => reweighScore(v2, missing)).toThrow(/weights.satisfaction: no weight/);
    expect(() => reweighScore(v2, { ...otherWeights[0]!, loyalty: 3 })).toThrow(/no category "loyalty"/);
    expect(() =>
      reweighScore(v2, { engagement: 0, product_usage: 0, support: 0, commercial: 0, satisfaction: 0 }),
    ).toThrow(/must not all be zero/);
    expect(() => reweighScore(v2, { ...otherWeights[0]!, support: -1 })).toThrow(/weights.support/);
  });
});
