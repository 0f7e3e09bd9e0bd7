// The weights shown for a customer agree with the weights the engine scores it with, and their
// shares add up to the whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModel } from './compile.ts';
import { DEFAULT_CATEGORIES_V1 } from './defaults-v1.ts';
import { scoreCustomer } from './score.ts';
import { AS_OF, defaultModel, touch } from './testing/model.ts';
import { weightsInForce } from './weights-in-force.ts';

const keys = DEFAULT_CATEGORIES_V1.map((category) => category.key);
const partialWeights = fc.dictionary(fc.constantFrom(...keys), fc.integer({ min: 1, max: 100 }));

describe('weightsInForce', () => {
  it('names the weight and source the engine scores with, category by category', () => {
    fc.assert(
      fc.property(partialWeights, partialWeights, (segmentWeights, customerWeights) => {
        const model = compileModel(defaultModel({ segmentWeights: { smb: segmentWeights } }));
        const scored = scoreCustomer(model, { segment: 'smb', weights: customerWeights }, [touch('meeting', 1)], AS_OF);
        const shown = weightsInForce(
          DEFAULT_CATEGORIES_V1,
          (c) => customerWeights[c.key],
          (c) => segmentWeights[c.key],
        );
        expect(shown.map((w) => [w.categoryKey, w.weight, w.source])).toEqual(
          scored.categories.map((c) => [c.key, c.weight, c.weightSource]),
        );
      }),
    );
  });

  it('gives each weight its share of the whole, to four decimals', () => {
    const categories = [
      { key: 'a', name: 'A', weight: 1 },
      { key: 'b', name: 'B', weight: 1 },
      { key: 'c', name: 'C', weight: 1 },
    ];
    const shown = weightsInForce(
      categories,
      (c) => (c.key === 'a' ? 2 : undefined),
      () => undefined,
    );
    expect(shown).toEqual([
      { categoryKey: 'a', categoryName: 'A', weight: 2, source: 'customer', share: 0.5 },
      { categoryKey: 'b', categoryName: 'B', weight: 1, source: 'workspace', share: 0.25 },
      { categoryKey: 'c', categoryName: 'C', weight: 1, source: 'workspace', share: 0.25 },
    ]);
    const thirds = weightsInForce(
      categories,
      () => undefined,
      () => undefined,
    );
    expect(thirds.map((w) => w.share)).toEqual([0.3333, 0.3333, 0.3333]);
  });

  it('shares nothing out when every weight is zero', () => {
    const shown = weightsInForce(
      [{ key: 'a', name: 'A', weight: 5 }],
      () => 0,
      () => undefined,
    );
    expect(shown[0]).toMatchObject({ weight: 0, source: 'customer', share: 0 });
  });
});
