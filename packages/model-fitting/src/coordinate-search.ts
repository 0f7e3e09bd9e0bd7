// The search: coordinate steps over the logarithms of the weights, maximizing the training AUC
// minus an L2 penalty on how far the weights moved from the current ones. Why this method and not
// a logistic fit is in the README ("Method"); in short, AUC is what the product is judged by, and
// the score is not linear in its weights (evidence weighting, a neutral prior, then silence and
// grave signals multiply), so the search scores the real formula rather than a stand-in for it.

/** Step sizes in log-weight, coarse to fine: ×e, ×1.65, ×1.28, ×1.13, ×1.06. */
export const LOG_STEPS: readonly number[] = [1, 0.5, 0.25, 0.125, 0.0625];

/** No weight moves more than ×50 or ÷50 from its current value, whatever the data. */
export const MAX_LOG_MOVE = Math.log(50);

/** Rounds of improvement per step size; each round tries every free weight up and down. */
const MAX_ROUNDS_PER_STEP = 20;

export interface SearchProblem {
  /** Current weights (in the category order of the parts); 0 keeps a category switched off. */
  current: readonly number[];
  /** The objective's reward: e.g. the training AUC under the given weights. */
  reward: (weights: Float64Array) => number;
  /** λ: reward given up per unit of squared log-distance from the current weights. */
  penalty: number;
}

export interface SearchOutcome {
  weights: Float64Array;
  reward: number;
  objective: number;
  /** How many weightings were scored. */
  evaluations: number;
}

/**
 * Only proportions matter, so the distance is taken after removing the common shift of the log
 * moves: doubling every weight is no move at all.
 */
export function logDistance(moves: Float64Array, free: readonly number[]): number {
  if (free.length === 0) return 0;
  let mean = 0;
  for (const index of free) mean += moves[index]!;
  mean /= free.length;
  let sum = 0;
  for (const index of free) sum += (moves[index]! - mean) ** 2;
  return sum;
}

export function coordinateSearch(problem: SearchProblem): SearchOutcome {
  const { current, reward, penalty } = problem;
  const free = current.flatMap((weight, index) => (weight > 0 ? [index] : []));
  const moves = new Float64Array(current.length);
  const weights = Float64Array.from(current);
  let evaluations = 0;
  const objectiveOf = (candidateMoves: Float64Array): { reward: number; objective: number } => {
    for (const index of free) weights[index] = current[index]! * Math.exp(candidateMoves[index]!);
    evaluations += 1;
    const value = reward(weights);
    return { reward: value, objective: value - penalty * logDistance(candidateMoves, free) };
  };
  let best = objectiveOf(moves);
  for (const step of LOG_STEPS) {
    for (let round = 0; round < MAX_ROUNDS_PER_STEP; round++) {
      let improved = false;
      for (const index of free) {
        for (const direction of [1, -1]) {
          const was = moves[index]!;
          const next = was + direction * step;
          if (Math.abs(next) > MAX_LOG_MOVE) continue;
          moves[index] = next;
          const candidate = objectiveOf(moves);
          // Strictly better by more than float noise: a plateau of equal AUC is no reason to move.
          if (candidate.objective > best.objective + 1e-12) {
            best = candidate;
            improved = true;
            break;
          }
          moves[index] = was;
        }
      }
      if (!improved) break;
    }
  }
  const fitted = Float64Array.from(current, (weight, index) => weight * Math.exp(moves[index]!));
  return { weights: fitted, reward: best.reward, objective: best.objective, evaluations };
}
