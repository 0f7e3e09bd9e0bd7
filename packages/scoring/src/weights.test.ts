// Weights: the most specific wins (customer, then segment, then workspace), and a category
// without data hands its weight to the others.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModel } from './compile.ts';
import { DEFAULT_CATEGORIES_V1, DEFAULT_INTERACTION_TYPES_V1 } from './defaults-v1.ts';
import { scoreCustomer } from './score.ts';
import { history } from './testing/arbitraries.ts';
import { AS_OF, DEFAULT_COMPILED, defaultModel, touch } from './testing/model.ts';

const keys = DEFAULT_CATEGORIES_V1.map((category) => category.key);
const weight = fc.integer({ min: 1, max: 100 });
const partialWeights = fc.dictionary(fc.constantFrom(...keys), weight);

describe('weight precedence', () => {
  it('lets a customer weight beat a segment weight, which beats the workspace default', () => {
    fc.assert(
      fc.property(partialWeights, partialWeights, history(), (segmentWeights, customerWeights, interactions) => {
        const model = compileModel(defaultModel({ segmentWeights: { enterprise: segmentWeights } }));
        const result = scoreCustomer(model, { segment: 'enterprise', weights: customerWeights }, interactions, AS_OF);
        const resolved: Record<string, number> = {};
        for (const [index, category] of result.categories.entries()) {
          const key = keys[index]!;
          const expected = customerWeights[key] ?? segmentWeights[key] ?? DEFAULT_CATEGORIES_V1[index]!.weight;
          const source = key in customerWeights ? 'customer' : key in segmentWeights ? 'segment' : 'workspace';
          expect(category.weight).toBe(expected);
          expect(category.weightSource).toBe(source);
          resolved[key] = expected;
        }
        // The resolved weights score exactly as a workspace that had them as defaults.
        const flat = compileModel(
          defaultModel({
            categories: DEFAULT_CATEGORIES_V1.map((category) => ({ ...category, weight: resolved[category.key]! })),
          }),
        );
        expect(scoreCustomer(flat, {}, interactions, AS_OF).score).toBe(result.score);
      }),
    );
  });

  it('ignores segment weights for customers of other segments', () => {
    const model = compileModel(defaultModel({ segmentWeights: { enterprise: { support: 60 } } }));
    const interactions = [touch('support_ticket', 1, { sentiment: 'WASTED_TIME' }), touch('meeting', 1)];
    const smb = scoreCustomer(model, { segment: 'smb' }, interactions, AS_OF);
    const enterprise = scoreCustomer(model, { segment: 'enterprise' }, interactions, AS_OF);
    expect(smb.categories[2]).toMatchObject({ weight: 15, weightSource: 'workspace' });
    expect(enterprise.categories[2]).toMatchObject({ weight: 60, weightSource: 'segment' });
    expect(enterprise.score).toBeLessThan(smb.score);
  });
});

describe('redistribution', () => {
  it('scores a model where a category has no data as if that category were absent', () => {
    const removable = DEFAULT_CATEGORIES_V1.filter((category) => !category.isEngagement).map(
      (category) => category.key,
    );
    const scenario = fc
      .constantFrom(...removable)
      .chain((removed) =>
        fc.tuple(
          fc.constant(removed),
          history(DEFAULT_INTERACTION_TYPES_V1.filter((type) => type.categoryKey !== removed)),
        ),
      );
    fc.assert(
      fc.property(scenario, ([removed, interactions]) => {
        const without = compileModel(
          defaultModel({
            categories: DEFAULT_CATEGORIES_V1.filter((category) => category.key !== removed).map((category) => ({
              ...category,
            })),
            interactionTypes: DEFAULT_INTERACTION_TYPES_V1.filter((type) => type.categoryKey !== removed).map(
              (type) => ({
                ...type,
              }),
            ),
          }),
        );
        const full = scoreCustomer(DEFAULT_COMPILED, {}, interactions, AS_OF);
        const absent = scoreCustomer(without, {}, interactions, AS_OF);
        expect(full.score).toBe(absent.score);
        expect(full.band).toEqual(absent.band);
        expect(full.categories.filter((category) => category.key !== removed)).toEqual(absent.categories);
        expect(full.categories.find((category) => category.key === removed)).toMatchObject({
          subScore: null,
          effectiveWeight: 0,
          contribution: 0,
        });
        if (interactions.length > 0) expect(full.coverage).toBeLessThan(1);
      }),
    );
  });

  it('reports coverage as the share of the weight that had data, and names what was redistributed', () => {
    const result = scoreCustomer(DEFAULT_COMPILED, {}, [touch('meeting', 2), touch('product_session', 1)], AS_OF);
    expect(result.coverage).toBe(0.55);
    expect(result.categories.map((category) => category.effectiveWeight)).toEqual([0.5455, 0.4545, 0, 0, 0]);
    expect(result.flags).toContainEqual({
      code: 'WEIGHT_REDISTRIBUTED',
      message: 'no data for Support, Commercial, Satisfaction: weight redistributed to the other categories',
      params: { categories: 'support,commercial,satisfaction' },
    });
  });

  it('lets a customer weight of zero take a category out of the score', () => {
    const interactions = [touch('meeting', 2), touch('support_ticket', 1, { sentiment: 'WASTED_TIME' })];
    const result = scoreCustomer(DEFAULT_COMPILED, { weights: { support: 0 } }, interactions, AS_OF);
    expect(result.categories[2]).toMatchObject({
      weight: 0,
      weightSource: 'customer',
      effectiveWeight: 0,
      contribution: 0,
    });
    expect(result.score).toBe(scoreCustomer(DEFAULT_COMPILED, {}, interactions.slice(0, 1), AS_OF).score);
  });
});
