import { ScoringInputError, scoreParts } from '@pulso/scoring';
import { describe, expect, it } from 'vitest';
import { fitCategoryWeights, type WeightsFitted } from './fit-category-weights.ts';
import { CURRENT, MONTH_STARTS, resultWith, syntheticObservations } from './testing/observations.ts';

const sum = (weights: Record<string, number>) => Object.values(weights).reduce((a, b) => a + b, 0);

function fitted(result: ReturnType<typeof fitCategoryWeights>): WeightsFitted {
  if (result.status === 'NOT_ENOUGH_OUTCOMES') throw new Error(result.message);
  return result;
}

describe('fitCategoryWeights', () => {
  it('raises the one category that tells churners apart, and the held-out instants confirm it', () => {
    const observations = syntheticObservations({ perInstant: 300, churnRate: 0.08, signalAt: () => 'support' });
    const fit = fitted(fitCategoryWeights(observations, CURRENT));
    expect(fit.status).toBe('FITTED');
    expect(fit.fitted.support).toBeGreaterThan(2 * CURRENT.support);
    expect(fit.fitted.support).toBeGreaterThan(fit.fitted.engagement!);
    expect(fit.fitted.engagement).toBeLessThan(CURRENT.engagement);
    expect(fit.proposed).toEqual(fit.fitted);
    expect(fit.auc.training.fitted).toBeGreaterThan(fit.auc.training.current);
    expect(fit.auc.heldOut.fitted).toBeGreaterThan(fit.auc.heldOut.current + 0.03);
    expect(sum(fit.fitted)).toBeCloseTo(sum(CURRENT), 0);
    expect(fit.message).toMatch(/at least as well/);
  });

  it('fits the same from score parts as from whole results', () => {
    const observations = syntheticObservations({ perInstant: 200, churnRate: 0.08, signalAt: () => 'commercial' });
    const fromParts = observations.map(({ at, churned, result }) => ({ at, churned, parts: scoreParts(result) }));
    expect(fitCategoryWeights(fromParts, CURRENT)).toEqual(fitCategoryWeights(observations, CURRENT));
  });

  it('splits by time: the older 8 of 12 instants train, the newer 4 judge, and it counts the outcomes', () => {
    const observations = syntheticObservations({ perInstant: 100, churnRate: 0.1, signalAt: () => 'commercial' });
    const fit = fitted(fitCategoryWeights(observations, CURRENT));
    expect(fit.instants.training).toEqual(MONTH_STARTS.slice(0, 8));
    expect(fit.instants.heldOut).toEqual(MONTH_STARTS.slice(8));
    expect(fit.observations).toEqual({ training: 800, heldOut: 400 });
    const churners = (from: number, to: number) =>
      observations.filter(
        (o) => o.churned && o.at >= MONTH_STARTS[from]! && o.at < (MONTH_STARTS[to] ?? new Date(8e15)),
      ).length;
    expect(fit.churnOutcomes).toEqual({ training: churners(0, 8), heldOut: churners(8, 12) });
  });

  it('keeps the current weights when the fit ranks the newer instants worse', () => {
    // The signal moves: satisfaction told churners apart in the older instants, engagement does
    // in the newer ones. Learning satisfaction is right on the past and wrong on what came next.
    const observations = syntheticObservations({
      perInstant: 300,
      churnRate: 0.08,
      signalAt: (k) => (k < 8 ? 'satisfaction' : 'engagement'),
    });
    const fit = fitted(fitCategoryWeights(observations, CURRENT));
    expect(fit.fitted.satisfaction).toBeGreaterThan(CURRENT.satisfaction);
    expect(fit.auc.heldOut.fitted).toBeLessThan(fit.auc.heldOut.current);
    expect(fit.status).toBe('KEEP_CURRENT');
    expect(fit.proposed).toEqual(CURRENT);
    expect(fit.message).toMatch(/worse.*Keep the current weights/);
  });

  it('keeps the current weights when no weighting ranks better (every category says the same)', () => {
    const observations = syntheticObservations({ perInstant: 200, churnRate: 0.1, signalAt: () => null });
    const same = observations.map((o) => {
      const value = o.churned ? 40 : 60;
      return {
        ...o,
        result: resultWith(
          { engagement: value, product_usage: value, support: value, commercial: value, satisfaction: value },
          o.at,
        ),
      };
    });
    const fit = fitted(fitCategoryWeights(same, CURRENT));
    expect(fit.status).toBe('KEEP_CURRENT');
    expect(fit.fitted).toEqual(CURRENT);
    expect(fit.message).toMatch(/already the best fit/);
  });

  it('stays at the current weights under a heavy penalty, and leaves a switched-off category off', () => {
    const observations = syntheticObservations({ perInstant: 300, churnRate: 0.08, signalAt: () => 'support' });
    const stiff = fitted(fitCategoryWeights(observations, CURRENT, { penalty: 100 }));
    expect(stiff.fitted).toEqual(CURRENT);
    const off = fitted(fitCategoryWeights(observations, { ...CURRENT, support: 0 }));
    expect(off.fitted.support).toBe(0);
  });

  it('proposes nothing with too few churn outcomes, and says how many it needs', () => {
    const observations = syntheticObservations({ perInstant: 30, churnRate: 0.05, signalAt: () => 'support' });
    const training = observations.filter((o) => o.churned && o.at < MONTH_STARTS[8]!).length;
    expect(training).toBeLessThan(30);
    const result = fitCategoryWeights(observations, CURRENT);
    expect(result.status).toBe('NOT_ENOUGH_OUTCOMES');
    if (result.status !== 'NOT_ENOUGH_OUTCOMES') return;
    expect(result).not.toHaveProperty('proposed');
    expect(result.needs).toEqual({ instants: 3, trainingChurners: 30, heldOutChurners: 10 });
    expect(result.has.trainingChurners).toBe(training);
    expect(result.message).toContain(`needs 30 churn outcomes in the older instants to learn from (has ${training})`);
  });

  it('needs three instants to split old from new', () => {
    const observations = syntheticObservations({
      perInstant: 500,
      churnRate: 0.2,
      signalAt: () => 'support',
      instants: MONTH_STARTS.slice(0, 2),
    });
    const result = fitCategoryWeights(observations, CURRENT);
    expect(result.status).toBe('NOT_ENOUGH_OUTCOMES');
    expect(result.message).toBe(
      'Not enough outcomes to fit weights: needs scores at 3 distinct instants to split old from new (has 2).',
    );
    expect(fitCategoryWeights([], CURRENT).status).toBe('NOT_ENOUGH_OUTCOMES');
  });

  it('refuses formula-1 scores, mixed models, weights that do not match and bad options, naming the field', () => {
    const observations = syntheticObservations({ perInstant: 20, churnRate: 0.1, signalAt: () => null });
    const { confidence: _, ...formula1 } = observations[3]!.result;
    const withV1 = observations.map((o, i) => (i === 3 ? { ...o, result: formula1 } : o));
    expect(() => fitCategoryWeights(withV1, CURRENT)).toThrow(/observations\[3\]\.result: only a formula-2 score/);
    const mixed = observations.map((o, i) =>
      i === 5 ? { ...o, result: { ...o.result, categories: o.result.categories.slice(1) } } : o,
    );
    expect(() => fitCategoryWeights(mixed, CURRENT)).toThrow(/observations\[5\]\.result\.categories.*fit one model/);
    const { satisfaction: __, ...missing } = CURRENT;
    expect(() => fitCategoryWeights(observations, missing)).toThrow(/current\.satisfaction: no weight/);
    expect(() => fitCategoryWeights(observations, { ...CURRENT, loyalty: 1 })).toThrow(ScoringInputError);
    expect(() => fitCategoryWeights(observations, CURRENT, { trainingShare: 1 })).toThrow(/options\.trainingShare/);
    expect(() => fitCategoryWeights(observations, CURRENT, { penalty: -1 })).toThrow(/options\.penalty/);
  });
});
