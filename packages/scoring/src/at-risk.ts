// Why a customer needs action: the reasons a stored score gives, most pressing first. Dashboards
// show the first as the main reason; the order below is that precedence, so it lives with the
// engine that produced the explanation rather than with whoever displays it.
import type { MessageParams, ScoreResult } from './types.ts';

/** A fall of this many points over 30 days is a reason on its own. */
export const STEEP_DROP = 10;

export type AtRiskReasonCode =
  | 'NO_DATA'
  | 'WASTED_TIME'
  | 'SILENCE'
  | 'SCORE_DROP'
  | 'NEGATIVE_INTERACTION'
  | 'WEAK_CATEGORY'
  | 'LOW_SCORE';

export interface AtRiskReason {
  code: AtRiskReasonCode;
  message: string;
  /**
   * The figures the message is worded from (see MessageParams): WASTED_TIME `count`; SILENCE the
   * flag's `days` and `onlyComplaints` or `laterRecords`, and the `points` it costs (positive; the
   * message words them as a loss, "-4.5 points", as NEGATIVE_INTERACTION's); SCORE_DROP `points`;
   * NEGATIVE_INTERACTION `interactionType` (key), `date`, `points`; WEAK_CATEGORY `category` (key),
   * `categoryName`, `subScore`; LOW_SCORE `score`. Empty when the stored flag it comes from has none.
   */
  params: MessageParams;
}

/** What the reasons are drawn from: a stored score (null before the first scoring) and its 30-day change. */
export interface AtRiskInput {
  result: ScoreResult | null;
  score: number | null;
  scoreChange30d: number | null;
}

/** A change over 30 days steep enough to name as a reason: a fall of STEEP_DROP points or more. */
export function isSteepDrop(scoreChange30d: number | null): boolean {
  return scoreChange30d != null && scoreChange30d <= -STEEP_DROP;
}

function words(key: string): string {
  return key.replaceAll('_', ' ');
}

/**
 * A figure to one decimal, as both the message and its params give it: a number, so the message
 * shows no trailing ".0" ("-20 points", "12.3 points"), and never -0.
 */
function oneDecimal(value: number): number {
  return Number(value.toFixed(1)) || 0;
}

/** Every reason the stored explanation gives, most pressing first; never empty. */
export function atRiskReasons({ result, score, scoreChange30d }: AtRiskInput): AtRiskReason[] {
  const reasons: AtRiskReason[] = [];
  const flag = (code: string) => result?.flags?.find((f) => f.code === code);
  if (!result || flag('NO_DATA')) reasons.push({ code: 'NO_DATA', message: 'no interaction on record', params: {} });
  const wasted = flag('WASTED_TIME');
  if (wasted) reasons.push({ code: 'WASTED_TIME', message: wasted.message, params: { ...wasted.params } });
  const silence = flag('SILENCE');
  if (silence && result) {
    const lost = oneDecimal(result.silenceFactor > 0 ? result.score / result.silenceFactor - result.score : 0);
    // A headline, as the other reasons are: a list shows it on one line (two on a phone). Formula
    // 2's flag goes on to say what does not end silence, 160 characters in all, which cut it before
    // its cost in every layout; the flag itself (the gauge's details) keeps saying it.
    const headline = silence.params?.laterRecords
      ? `no real engagement for ${silence.params.days} days`
      : silence.message;
    reasons.push({
      code: 'SILENCE',
      message: `${headline}: ${-lost || 0} points`,
      // Without the flag's own figures (a score stored before them), none: the message says it.
      params: silence.params ? { ...silence.params, points: lost } : {},
    });
  }
  if (isSteepDrop(scoreChange30d)) {
    const points = oneDecimal(Math.abs(scoreChange30d!));
    reasons.push({ code: 'SCORE_DROP', message: `down ${points} points in 30 days`, params: { points } });
  }
  const worst = result?.drivers?.lowered?.[0];
  if (worst) {
    const date = worst.occurredAt.slice(0, 10);
    const points = oneDecimal(worst.points);
    reasons.push({
      code: 'NEGATIVE_INTERACTION',
      message: `${words(worst.typeKey)} on ${date}: ${points} points`,
      params: { interactionType: worst.typeKey, date, points },
    });
  }
  const weakest = (result?.categories ?? [])
    .filter((c) => c.subScore !== null && c.subScore < 50)
    .sort((a, b) => a.subScore! - b.subScore! || a.key.localeCompare(b.key))[0];
  if (weakest) {
    const subScore = oneDecimal(weakest.subScore!);
    reasons.push({
      code: 'WEAK_CATEGORY',
      message: `${weakest.name.toLowerCase()} at ${subScore} out of 100`,
      params: { category: weakest.key, categoryName: weakest.name, subScore },
    });
  }
  if (reasons.length === 0)
    reasons.push({
      code: 'LOW_SCORE',
      message: `score ${score ?? 50} with no single outstanding cause`,
      params: { score: score ?? 50 },
    });
  return reasons;
}
