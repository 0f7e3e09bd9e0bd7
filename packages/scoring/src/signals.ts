// How one interaction's sentiment or survey answer becomes a signed multiplier of its base points.
// All multipliers share one range so that categories stay comparable: the best answer is +1.5,
// a plain touch +1, and "wasted my time" (-3) is the worst signal, twice a dislike (-1.5) —
// a price complaint is a dislike; losing a customer's time is worse.
import type { Sentiment, ValueScale } from './types.ts';

export const SENTIMENT_FACTORS: Readonly<Record<Sentiment, number>> = Object.freeze({
  LIKED: 1.5,
  // "Near zero", but not below it: the customer still showed up and answered.
  INDIFFERENT: 0.1,
  DISLIKED: -1.5,
  WASTED_TIME: -3,
});

/** A SIGNED interaction without a sentiment is a plain positive touch, worth its base points. */
export const PLAIN_TOUCH_FACTOR = 1;

/** Best and worst survey answers map to these; the scale's neutral answer maps to 0. */
export const BEST_ANSWER_FACTOR = 1.5;
export const WORST_ANSWER_FACTOR = -2;

export interface ScaleDefinition {
  min: number;
  max: number;
  /** The answer that is neither good nor bad: it earns 0 points. */
  neutral: number;
  /** CES: a low effort is the good answer. */
  lowIsGood: boolean;
}

export const VALUE_SCALES: Readonly<Record<ValueScale, ScaleDefinition>> = Object.freeze({
  // 7 is the first "passive" answer: detractors (0–6) lose points, 8 and up earn them.
  NPS: { min: 0, max: 10, neutral: 7, lowIsGood: false },
  CSAT: { min: 1, max: 5, neutral: 3, lowIsGood: false },
  CES: { min: 1, max: 7, neutral: 4, lowIsGood: true },
});

export function isSentiment(value: unknown): value is Sentiment {
  return typeof value === 'string' && Object.hasOwn(SENTIMENT_FACTORS, value);
}

export function isValueInScale(scale: ScaleDefinition, value: number): boolean {
  return Number.isInteger(value) && value >= scale.min && value <= scale.max;
}

/**
 * Piecewise linear: neutral → 0, best → +1.5, worst → -2. Two slopes because scales are lopsided
 * (NPS has 7 answers below neutral and 3 above) and the best answer should weigh the same on all.
 */
export function valueFactor(scale: ScaleDefinition, value: number): number {
  const good = scale.lowIsGood ? scale.min + scale.max - value : value;
  const neutral = scale.lowIsGood ? scale.min + scale.max - scale.neutral : scale.neutral;
  if (good >= neutral) return (BEST_ANSWER_FACTOR * (good - neutral)) / (scale.max - neutral);
  return (WORST_ANSWER_FACTOR * (neutral - good)) / (neutral - scale.min);
}
