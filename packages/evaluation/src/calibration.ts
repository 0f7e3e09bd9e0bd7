// The calibration table: observations cut into score deciles (lowest scores first) with the churn
// each decile saw. A score that means something churns most in its first rows and least in its
// last, steadily; a flat column says the score does not separate churners at all.
import type { Observation } from './types.ts';

export interface CalibrationRow {
  /** 1 = the lowest scores. */
  decile: number;
  observations: number;
  scoreMin: number;
  scoreMax: number;
  meanScore: number;
  churnRate: number;
}

/**
 * Deciles by rank: ties are split at the boundary in input order, so every decile holds a tenth
 * of the observations (±1) even when many scores are equal. Fewer rows when there are fewer than
 * ten observations.
 */
export function calibrationTable(observations: readonly Observation[], groups = 10): CalibrationRow[] {
  const n = observations.length;
  const order = Int32Array.from(observations.keys()).sort(
    (a, b) => observations[a]!.score - observations[b]!.score || a - b,
  );
  const rows: CalibrationRow[] = [];
  for (let g = 0; g < groups; g++) {
    const start = Math.floor((g * n) / groups);
    const end = Math.floor(((g + 1) * n) / groups);
    if (end === start) continue;
    let sum = 0;
    let churners = 0;
    for (let k = start; k < end; k++) {
      const o = observations[order[k]!]!;
      sum += o.score;
      if (o.churned) churners += 1;
    }
    rows.push({
      decile: g + 1,
      observations: end - start,
      scoreMin: observations[order[start]!]!.score,
      scoreMax: observations[order[end - 1]!]!.score,
      meanScore: sum / (end - start),
      churnRate: churners / (end - start),
    });
  }
  return rows;
}
