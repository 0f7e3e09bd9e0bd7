// ROC AUC: the probability that a customer who churned was ranked riskier than one who did not,
// a tie counting as half (the Mann–Whitney form). 0.5 is a coin, 1 a perfect ranking. Weights let
// the bootstrap resample customers without sorting again.
import { rankByRisk, type Ranking } from './ranking.ts';

/**
 * AUC of a ranking; `weights[i]` (optional) is how many times observation i counts. NaN when
 * there is no churner or no non-churner to compare.
 */
export function weightedAuc(ranking: Ranking, weights?: ArrayLike<number>): number {
  const { order, groupEnds, positive } = ranking;
  let negativesBelow = 0;
  let positives = 0;
  let pairs = 0;
  let start = 0;
  for (let g = 0; g < groupEnds.length; g++) {
    const end = groupEnds[g]!;
    let groupPositives = 0;
    let groupNegatives = 0;
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const w = weights === undefined ? 1 : weights[i]!;
      if (positive[i] === 1) groupPositives += w;
      else groupNegatives += w;
    }
    pairs += groupPositives * (negativesBelow + groupNegatives / 2);
    negativesBelow += groupNegatives;
    positives += groupPositives;
    start = end;
  }
  return positives > 0 && negativesBelow > 0 ? pairs / (positives * negativesBelow) : Number.NaN;
}

/**
 * The bootstrap's form of weightedAuc: `customerInOrder[k]` is the customer of the k-th observation
 * in risk order and `draws[c]` how many times customer c was drawn. Reading the weights through
 * the sorted order keeps the loop over memory in sequence, which is what makes 1,000 resamples
 * of 120,000 observations take about a second.
 */
export function resampledAuc(ranking: Ranking, customerInOrder: Int32Array, draws: Uint32Array): number {
  const { positiveInOrder, lastOfGroup } = ranking;
  let negativesBelow = 0;
  let positives = 0;
  let pairs = 0;
  let groupPositives = 0;
  let groupNegatives = 0;
  // One flat loop (a group closes at its flagged last element) runs about twice as fast as a loop
  // over groups with an inner loop over each group's members.
  for (let k = 0; k < positiveInOrder.length; k++) {
    const w = draws[customerInOrder[k]!]!;
    if (positiveInOrder[k] === 1) groupPositives += w;
    else groupNegatives += w;
    if (lastOfGroup[k] === 1) {
      pairs += groupPositives * (negativesBelow + groupNegatives / 2);
      negativesBelow += groupNegatives;
      positives += groupPositives;
      groupPositives = 0;
      groupNegatives = 0;
    }
  }
  return positives > 0 && negativesBelow > 0 ? pairs / (positives * negativesBelow) : Number.NaN;
}

/** AUC of `risk` (higher = riskier) against `churned`. */
export function rocAuc(risk: readonly number[], churned: readonly boolean[]): number {
  return weightedAuc(rankByRisk(Float64Array.from(risk), Uint8Array.from(churned, Number)));
}
