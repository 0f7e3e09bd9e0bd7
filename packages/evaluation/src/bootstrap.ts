// The 95 % interval of an AUC by the percentile bootstrap. Customers, not observations, are
// resampled: one customer is observed at several instants and those rows are not independent, so
// resampling rows would give an interval that is too narrow. Every ranker is resampled with the
// same draws, which also makes the difference of two AUCs (model − baseline) a paired estimate.
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { resampledAuc } from './auc.ts';
import { quantileSorted } from './quantile.ts';
import type { Ranking } from './ranking.ts';
import type { Interval } from './types.ts';

/**
 * 1,000 resamples: the percentile interval reads its 25th and 975th values, and below about a
 * thousand those tail values move by more than the third decimal between seeds (Efron and
 * Tibshirani recommend 1,000–2,000 for percentile intervals). More would only cost time: each
 * resample is one linear pass per ranker.
 */
export const BOOTSTRAP_RESAMPLES = 1000;
export const BOOTSTRAP_SEED = 20261205;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/**
 * AUCs of each ranking on `resamples` resamples of the customers (`customerOf[i]` is the index,
 * 0…customerCount−1, of observation i's customer): one array of samples per ranking, in the order
 * given. Resamples with no churner (AUC undefined) are left out.
 */
export function bootstrapAucs(
  rankings: readonly Ranking[],
  customerOf: Int32Array,
  customerCount: number,
  { resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED }: BootstrapOptions = {},
): Float64Array[] {
  const rng = xoroshiro128plus(seed);
  const draws = new Uint32Array(customerCount);
  const customersInOrder = rankings.map((ranking) => ranking.order.map((i) => customerOf[i]!));
  const samples = rankings.map(() => [] as number[]);
  for (let r = 0; r < resamples; r++) {
    draws.fill(0);
    for (let c = 0; c < customerCount; c++) draws[uniformInt(rng, 0, customerCount - 1)]! += 1;
    rankings.forEach((ranking, k) => {
      const auc = resampledAuc(ranking, customersInOrder[k]!, draws);
      if (!Number.isNaN(auc)) samples[k]!.push(auc);
    });
  }
  return samples.map((values) => Float64Array.from(values));
}

/** The central 95 % of the samples; NaN bounds when there are none. */
export function percentileInterval(samples: Float64Array, level = 0.95): Interval {
  const sorted = Float64Array.from(samples).sort();
  const tail = (1 - level) / 2;
  return { low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail) };
}
