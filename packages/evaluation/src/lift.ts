// Top-decile lift: how much more often the riskiest tenth of the observations churned than all of
// them. A team that can call one customer in ten wants this above 1, the higher the better.
import type { Ranking } from './ranking.ts';

/**
 * Churn rate of the riskiest `share` of the observations over the overall churn rate. A group of
 * equal risk straddling the cut counts in proportion to the part of it that fits, which is what a
 * random tie-break would give on average: a ranker with many ties gains nothing from the order
 * the observations happen to arrive in. NaN when nobody churned.
 */
export function topShareLift(ranking: Ranking, share = 0.1): number {
  const { order, groupEnds, positive } = ranking;
  const n = order.length;
  let churners = 0;
  for (let i = 0; i < n; i++) churners += positive[i]!;
  if (n === 0 || churners === 0) return Number.NaN;
  const budget = share * n;
  let taken = 0;
  let caught = 0;
  for (let g = groupEnds.length - 1; g >= 0 && taken < budget; g--) {
    const end = groupEnds[g]!;
    const start = g === 0 ? 0 : groupEnds[g - 1]!;
    let groupChurners = 0;
    for (let k = start; k < end; k++) groupChurners += positive[order[k]!]!;
    const fits = Math.min(end - start, budget - taken);
    caught += (groupChurners * fits) / (end - start);
    taken += fits;
  }
  return caught / taken / (churners / n);
}
