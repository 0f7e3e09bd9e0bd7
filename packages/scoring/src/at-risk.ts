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
   * flag's `days` and `onlyComplaints` or `laterRecords`, and `points` it costs; SCORE_DROP `points`;
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

/** A figure of a message: to one decimal, without a trailing ".0" ("-20 points", "12.3 points"). */
function figure(value: number): string {
  return String(Number(value.toFixed(1)) || 0);
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
    const lost = result.silenceFactor > 0 ? result.score / result.silenceFactor - result.score : 0;
    reasons.push({
      code: 'SILENCE',
      message: `${silence.message}: silence costs ${figure(lost)} points`,
      // Without the flag's own figures (a score stored before them), none: the message says it.
      params: silence.params ? { ...silence.params, points: Number(lost.toFixed(1)) } : {},
    });
  }
  if (isSteepDrop(scoreChange30d)) {
    reasons.push({
      code: 'SCORE_DROP',
      message: `down ${figure(Math.abs(scoreChange30d!))} points in 30 days`,
      params: { points: Number(Math.abs(scoreChange30d!).toFixed(1)) },
    });
  }
  const worst = result?.drivers?.lowered?.[0];
  if (worst) {
    reasons.push({
      code: 'NEGATIVE_INTERACTION',
      message: `${words(worst.typeKey)} on ${worst.occurredAt.slice(0, 10)}: ${figure(worst.points)} points`,
      params: {
        interactionType: worst.typeKey,
        date: worst.occurredAt.slice(0, 10),
        points: Number(worst.points.toFixed(1)),
      },
    });
  }
  const weakest = (result?.categories ?? [])
    .filter((c) => c.subScore !== null && c.subScore < 50)
    .sort((a, b) => a.subScore! - b.subScore! || a.key.localeCompare(b.key))[0];
  if (weakest)
    reasons.push({
      code: 'WEAK_CATEGORY',
      message: `${weakest.name.toLowerCase()} at ${figure(weakest.subScore!)} out of 100`,
      params: { category: weakest.key, categoryName: weakest.name, subScore: Number(weakest.subScore!.toFixed(1)) },
    });
  if (reasons.length === 0)
    reasons.push({
      code: 'LOW_SCORE',
      message: `score ${score ?? 50} with no single outstanding cause`,
      params: { score: score ?? 50 },
    });
  return reasons;
}
