// Every ranker becomes a "risk" number where HIGHER means more likely to churn, so AUC, lift and
// alerts share one orientation. The model's score runs the other way (low score = at risk), which
// is why it is negated here and nowhere else.
import type { Observation, RankerKey } from './types.ts';

export const RANKERS: readonly RankerKey[] = ['model', 'recentInteractions', 'daysSinceLast'];

export const RANKER_LABELS: Readonly<Record<RankerKey, string>> = {
  model: 'Pulso score',
  recentInteractions: 'interactions in the last 30 days',
  daysSinceLast: 'days since the last interaction',
};

export function riskOf(ranker: RankerKey, observation: Observation): number {
  switch (ranker) {
    case 'model':
      return -observation.score;
    case 'recentInteractions':
      return -observation.interactionsLast30Days;
    case 'daysSinceLast':
      // Never seen at all is the longest silence there is; all such customers tie.
      return observation.daysSinceLastInteraction ?? Number.POSITIVE_INFINITY;
  }
}

export function riskColumn(ranker: RankerKey, observations: readonly Observation[]): Float64Array {
  const risk = new Float64Array(observations.length);
  for (let i = 0; i < observations.length; i++) risk[i] = riskOf(ranker, observations[i]!);
  return risk;
}
