// The AUC of a set of formula-2 score results under given category weights, re-weighed from
// their stored parts (no rescoring). A low score is a high risk; scores are rounded to 0.1 as the
// product stores them, so a fit cannot win on differences no one would see.
import { rankByRisk, weightedAuc } from '@pulso/evaluation';
import { type ScoreParts, scoreFromParts } from '@pulso/scoring';

export interface OutcomeSet {
  parts: readonly ScoreParts[];
  churned: Uint8Array;
  churners: number;
}

export function outcomeSet(parts: readonly ScoreParts[], churned: readonly boolean[]): OutcomeSet {
  const labels = Uint8Array.from(churned, Number);
  let churners = 0;
  for (const label of labels) churners += label;
  return { parts, churned: labels, churners };
}

/** AUC of the set's scores under `weights` (in the parts' category order); NaN without both outcomes. */
export function aucUnder(set: OutcomeSet, weights: ArrayLike<number>): number {
  const risk = new Float64Array(set.parts.length);
  for (let index = 0; index < risk.length; index++) {
    risk[index] = -Math.round(scoreFromParts(set.parts[index]!, weights) * 10) / 10;
  }
  return weightedAuc(rankByRisk(risk, set.churned));
}
