// The whole evaluation: the model and both baselines from the same observations, the plain
// verdict when the model loses, and a size of 120,000 observations within seconds.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluate.ts';
import { day, observation } from './testing/observations.ts';
import type { Observation } from './types.ts';

/**
 * Customers observed monthly; churners' recent interactions fall to zero while their score says
 * `churnerScore` — so the model's quality is set by the test.
 */
function world(customers: number, churnerScore: (r: number) => number, seed = 11): Observation[] {
  const rng = xoroshiro128plus(seed);
  const rows: Observation[] = [];
  for (let c = 0; c < customers; c++) {
    const churns = uniformFloat64(rng) < 0.1;
    const churnDay = 11 * 30 + 15;
    for (let m = 0; m < 12; m++) {
      const labelled = churns && churnDay - m * 30 <= 30;
      const r = uniformFloat64(rng);
      rows.push(
        observation({
          customerId: `c${c}`,
          day: m * 30,
          score: labelled ? churnerScore(r) : 40 + r * 55,
          churned: labelled,
          churnedAt: churns ? day(churnDay) : null,
          interactionsLast30Days: labelled ? Math.floor(r * 2) : 1 + Math.floor(r * 20),
          daysSinceLastInteraction: labelled ? 20 + r * 10 : r * 15,
        }),
      );
    }
  }
  return rows;
}

describe('evaluatePredictions', () => {
  it('says plainly when the model loses to a baseline', () => {
    // The model scores churners like everyone else; the baselines see them go quiet.
    const evaluation = evaluatePredictions(
      world(400, (r) => 40 + r * 55),
      { resamples: 200 },
    );
    expect(evaluation.rankers.model.auc).toBeGreaterThan(0.35);
    expect(evaluation.rankers.model.auc).toBeLessThan(0.65);
    expect(evaluation.rankers.recentInteractions.auc).toBeGreaterThan(0.9);
    expect(evaluation.comparisons.every((c) => c.loses && c.losesClearly)).toBe(true);
    expect(evaluation.verdicts).toHaveLength(2);
    expect(evaluation.verdicts[0]).toMatch(/LOSES to the baseline "interactions in the last 30 days"/);
  });

  it('reads a low score as high risk, and credits a model that warns', () => {
    const evaluation = evaluatePredictions(
      world(400, (r) => 10 + r * 30),
      { resamples: 200 },
    );
    expect(evaluation.rankers.model.auc).toBeGreaterThan(0.9);
    expect(evaluation.rankers.model.topDecileLift).toBeGreaterThan(3);
    expect(evaluation.bands[0]!.lift).toBeGreaterThan(1);
    expect(evaluation.leadTimeAtRiskBand.warned).toBeGreaterThan(0);
    expect(evaluation.calibration[0]!.churnRate).toBeGreaterThan(evaluation.calibration[9]!.churnRate);
    const interval = evaluation.rankers.model.aucInterval;
    expect(interval.low).toBeLessThanOrEqual(evaluation.rankers.model.auc);
    expect(interval.high).toBeGreaterThanOrEqual(evaluation.rankers.model.auc);
  });

  it('gives the same figures for the same observations in another order', () => {
    const rows = world(100, (r) => 30 + r * 40);
    const a = evaluatePredictions(rows, { resamples: 100 });
    const b = evaluatePredictions([...rows].reverse(), { resamples: 100 });
    expect(b.rankers.model.auc).toBeCloseTo(a.rankers.model.auc, 12);
    expect(b.rankers.daysSinceLast.topDecileLift).toBeCloseTo(a.rankers.daysSinceLast.topDecileLift, 12);
    expect(b.calibration.map((r) => r.churnRate)).toEqual(a.calibration.map((r) => r.churnRate));
  });

  it('evaluates 120,000 customer-instants, with the full bootstrap, within seconds', () => {
    const rows = world(10_000, (r) => 30 + r * 50);
    expect(rows).toHaveLength(120_000);
    const started = performance.now();
    const evaluation = evaluatePredictions(rows);
    const seconds = (performance.now() - started) / 1000;
    expect(evaluation.observations).toBe(120_000);
    expect(evaluation.customers).toBe(10_000);
    // Generous for a busy shared machine; about 2 s on one quiet core.
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});
