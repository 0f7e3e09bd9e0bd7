// Purchases, renewals, upsells and cross-sells count only in proportion to engagement.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INTERACTION_TYPES_V1 } from './defaults-v1.ts';
import { scoreCustomer } from './score.ts';
import { history, interactionOfType } from './testing/arbitraries.ts';
import { AS_OF, DEFAULT_COMPILED, touch } from './testing/model.ts';
import type { InteractionInput, ScoreResult } from './types.ts';

const model = DEFAULT_COMPILED;
const ENGAGEMENT = 0;
const COMMERCIAL = 3;
const byCategory = (key: string) => DEFAULT_INTERACTION_TYPES_V1.filter((type) => type.categoryKey === key);
const others = DEFAULT_INTERACTION_TYPES_V1.filter(
  (type) => type.categoryKey !== 'engagement' && type.categoryKey !== 'commercial',
);
const commercialSale = fc
  .constantFrom(...byCategory('commercial'))
  .chain(interactionOfType)
  .map((interaction): InteractionInput => ({ id: 'sale', ...interaction }));
const score = (interactions: InteractionInput[]): ScoreResult => scoreCustomer(model, {}, interactions, AS_OF);

describe('engagement-backed commercial interactions', () => {
  it('raise the commercial sub-score less when engagement is lower', () => {
    const scenario = fc.tuple(
      history(byCategory('engagement'), 15, 'a'),
      history(byCategory('engagement'), 15, 'b'),
      history(others, 15, 'r'),
      commercialSale,
    );
    fc.assert(
      fc.property(scenario, ([engagementA, engagementB, rest, sale]) => {
        const a = score([...engagementA, ...rest, sale]);
        const b = score([...engagementB, ...rest, sale]);
        const engagement = (result: ScoreResult) => result.categories[ENGAGEMENT]!.subScore ?? -1;
        // Sub-scores are reported rounded to 0.1: engagement that rounds equal may still differ a
        // little underneath, so the commercial sub-scores may then differ by that rounding.
        if (engagement(a) === engagement(b)) {
          expect(
            Math.abs(a.categories[COMMERCIAL]!.subScore! - b.categories[COMMERCIAL]!.subScore!),
          ).toBeLessThanOrEqual(0.1 + 1e-9);
          return;
        }
        const [low, high] = engagement(a) < engagement(b) ? [a, b] : [b, a];
        expect(low.categories[COMMERCIAL]!.subScore!).toBeLessThanOrEqual(high.categories[COMMERCIAL]!.subScore!);
      }),
    );
  });

  it('raise the overall score less without engagement than with it', () => {
    const upsell = touch('upsell', 5);
    const base = [touch('product_session', 1), touch('nps', 10, { value: 8 }), touch('purchase', 200)];
    const engaged = [...base, touch('meeting', 3, { sentiment: 'LIKED' }), touch('email', 1)];
    const disengaged = [...base, touch('meeting', 3, { sentiment: 'WASTED_TIME' }), touch('email', 1)];
    const gain = (interactions: InteractionInput[]) =>
      score([...interactions, upsell]).score - score(interactions).score;
    expect(gain(disengaged)).toBeLessThan(gain(engaged));
    expect(gain(disengaged)).toBeGreaterThan(0);
  });

  it('count nothing without engagement data and in full from the configured level', () => {
    const sale = touch('renewal', 0);
    expect(score([sale, touch('product_session', 1)]).categories[COMMERCIAL]!.subScore).toBe(50);
    const engaged = score([sale, touch('meeting', 1, { sentiment: 'LIKED' })]);
    expect(engaged.categories[ENGAGEMENT]!.subScore!).toBeGreaterThan(50);
    expect(engaged.flags.map((flag) => flag.code)).not.toContain('UPSELL_DISCOUNTED');
    expect(engaged.drivers.raised[0]).toMatchObject({ interactionId: sale.id, points: 15 });
  });

  it('say in the explanation that the upsell was discounted, and by how much engagement', () => {
    const result = score([touch('upsell', 1), touch('meeting', 2, { sentiment: 'DISLIKED' }), touch('email', 2)]);
    const engagement = result.categories[ENGAGEMENT]!.subScore!;
    expect(engagement).toBeLessThan(50);
    expect(result.flags).toContainEqual({
      code: 'UPSELL_DISCOUNTED',
      message: `upsell discounted: engagement ${Math.round(engagement)} below 50`,
      params: { engagement: Math.round(engagement), engagementMin: 50 },
    });
    expect(score([touch('upsell', 1)]).flags).toContainEqual({
      code: 'UPSELL_DISCOUNTED',
      message: 'upsell discounted: no engagement data',
      params: { engagementMin: 50 },
    });
  });
});
