// The bootstrap interval is reproducible from its seed, resamples customers (not rows), and
// brackets the AUC it is drawn around.
import { describe, expect, it } from 'vitest';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { weightedAuc } from './auc.ts';
import { bootstrapAucs, percentileInterval } from './bootstrap.ts';
import { rankByRisk } from './ranking.ts';

/** 300 customers whose risk is a noisy signal of their churn. */
function noisyCustomers(copies: number) {
  const rng = xoroshiro128plus(7);
  const risk: number[] = [];
  const churned: number[] = [];
  const customerOf: number[] = [];
  for (let c = 0; c < 300; c++) {
    const churns = uniformFloat64(rng) < 0.2;
    const r = (churns ? 1 : 0) + uniformFloat64(rng) * 1.5;
    for (let k = 0; k < copies; k++) {
      risk.push(r);
      churned.push(churns ? 1 : 0);
      customerOf.push(c);
    }
  }
  return {
    ranking: rankByRisk(Float64Array.from(risk), Uint8Array.from(churned)),
    customerOf: Int32Array.from(customerOf),
  };
}

describe('bootstrapAucs', () => {
  it('gives the same interval for the same seed and another for another seed', () => {
    const { ranking, customerOf } = noisyCustomers(1);
    const once = percentileInterval(bootstrapAucs([ranking], customerOf, 300, { resamples: 200, seed: 1 })[0]!);
    const again = percentileInterval(bootstrapAucs([ranking], customerOf, 300, { resamples: 200, seed: 1 })[0]!);
    const other = percentileInterval(bootstrapAucs([ranking], customerOf, 300, { resamples: 200, seed: 2 })[0]!);
    expect(again).toEqual(once);
    expect(other).not.toEqual(once);
  });

  it('brackets the AUC of the whole sample', () => {
    const { ranking, customerOf } = noisyCustomers(1);
    const auc = weightedAuc(ranking);
    const interval = percentileInterval(bootstrapAucs([ranking], customerOf, 300, { resamples: 400 })[0]!);
    expect(interval.low).toBeLessThan(auc);
    expect(interval.high).toBeGreaterThan(auc);
    expect(interval.high - interval.low).toBeGreaterThan(0.02);
    expect(interval.high - interval.low).toBeLessThan(0.3);
  });

  it('resamples customers: observing each customer ten times does not narrow the interval', () => {
    const single = noisyCustomers(1);
    const repeated = noisyCustomers(10);
    const options = { resamples: 200, seed: 3 };
    const one = percentileInterval(bootstrapAucs([single.ranking], single.customerOf, 300, options)[0]!);
    const ten = percentileInterval(bootstrapAucs([repeated.ranking], repeated.customerOf, 300, options)[0]!);
    expect(ten.low).toBeCloseTo(one.low, 12);
    expect(ten.high).toBeCloseTo(one.high, 12);
  });

  it('draws every ranker from the same resamples, so identical rankers get identical samples', () => {
    const { ranking, customerOf } = noisyCustomers(1);
    const [a, b] = bootstrapAucs([ranking, ranking], customerOf, 300, { resamples: 50 });
    expect(Array.from(b!)).toEqual(Array.from(a!));
  });
});
