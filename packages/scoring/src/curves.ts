// The three curves of the model, kept apart so the docs and tests can name them.

/** One day in milliseconds: the unit of every window and half-life (days are UTC days, no DST). */
export const DAY_MS = 86_400_000;

/**
 * Net points at which a sub-score is 50 + 50·tanh(1) ≈ 88. The default base points are sized
 * against it (see defaults.ts). A constant rather than a setting: the database has no column for
 * it, and base points already let a workspace say how much each interaction is worth.
 */
export const SUB_SCORE_SCALE = 20;

/** Signed, decayed net points of a category → 0–100. Net zero is 50; it saturates both ways. */
export function subScoreFromPoints(netPoints: number): number {
  return 50 + 50 * Math.tanh(netPoints / SUB_SCORE_SCALE);
}

/** Per-millisecond rate of an exponential fade with the given half-life in days. */
export function decayRate(halfLifeDays: number): number {
  return Math.LN2 / (halfLifeDays * DAY_MS);
}

/** Silence can take at most this share away: half the score. */
export const SILENCE_FLOOR = 0.5;

/**
 * Past the window, silence takes away a growing share of the score: half of what is left to take
 * every decay half-life (one time constant for the workspace to tune), never more than
 * SILENCE_FLOOR. A healthy customer who stops talking drifts into "at risk" within two months
 * (docs/scoring-model.md). `silentMs` may be Infinity: no positive contact on record.
 */
export function silenceFactor(silentMs: number, windowDays: number, halfLifeDays: number): number {
  const overdueMs = silentMs - windowDays * DAY_MS;
  if (overdueMs <= 0) return 1;
  return SILENCE_FLOOR + (1 - SILENCE_FLOOR) * Math.exp(-overdueMs * decayRate(halfLifeDays));
}
