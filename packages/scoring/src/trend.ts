// How a score moved: today's score against the score as it stood 7 and 30 days earlier.
// Snapshots are irregular (a score only changes when recomputed), so "the score 7 days ago" is
// the latest snapshot at or before that instant.
import { DAY_MS } from './curves.ts';
import { ScoringInputError } from './errors.ts';
import type { ScorePoint, Trend } from './types.ts';
import { requireDate, requireInRange } from './validate.ts';

/** Changes within ±1 point are noise (rounding, a day of decay), not a direction. */
export const FLAT_THRESHOLD = 1;

export function computeTrend(history: readonly ScorePoint[], asOf: Date): Trend {
  const asOfMs = requireDate('asOf', asOf);
  const times = history.map((point, index) => {
    const at = requireDate(`history[${index}].at`, point.at);
    if (at > asOfMs) {
      throw new ScoringInputError(`history[${index}].at`, 'FUTURE_DATE', 'is after the trend instant');
    }
    requireInRange(`history[${index}].score`, point.score, 0, 100);
    return at;
  });
  const current = latestAtOrBefore(history, times, asOfMs);
  if (current === null) return { change7d: null, change30d: null, direction: 'flat' };
  const change = (days: number): number | null => {
    const past = latestAtOrBefore(history, times, asOfMs - days * DAY_MS);
    // `+ 0` turns -0 into 0.
    return past === null ? null : Math.round((current.score - past.score) * 10) / 10 + 0;
  };
  const change7d = change(7);
  const change30d = change(30);
  const reference = change7d ?? change30d;
  const direction =
    reference === null || Math.abs(reference) <= FLAT_THRESHOLD ? 'flat' : reference > 0 ? 'up' : 'down';
  return { change7d, change30d, direction };
}

/** For equal instants the later entry wins: it is the later write. */
function latestAtOrBefore(history: readonly ScorePoint[], times: readonly number[], limit: number): ScorePoint | null {
  let best: ScorePoint | null = null;
  let bestAt = -Infinity;
  for (let index = 0; index < history.length; index++) {
    const at = times[index]!;
    if (at <= limit && at >= bestAt) {
      best = history[index]!;
      bestAt = at;
    }
  }
  return best;
}
