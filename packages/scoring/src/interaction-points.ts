// One interaction's undecayed, signed points: base points × intensity × the factor its sentiment
// or survey answer gives. Validation lives here because this is where each field is first read.
import type { CompiledType } from './compile.ts';
import { ScoringInputError } from './errors.ts';
import { PLAIN_TOUCH_FACTOR, SENTIMENT_FACTORS, isSentiment, isValueInScale, valueFactor } from './signals.ts';
import type { InteractionInput } from './types.ts';

/**
 * Intensity says "how much" (1 a plain touch, 2–3 a like with a detailed comment). The cap keeps
 * quantised sums exact (see score.ts) and catches unit mistakes such as seconds sent as intensity.
 */
export const MAX_INTENSITY = 100;

export function signedFactor(type: CompiledType, interaction: InteractionInput, index: number): number {
  switch (type.handling) {
    case 'POSITIVE':
      return PLAIN_TOUCH_FACTOR;
    // Formula 1 has no friction: a support contact reads as any signed touch, as it always did.
    case 'FRICTION':
    case 'SIGNED': {
      const sentiment = interaction.sentiment;
      if (sentiment == null) return PLAIN_TOUCH_FACTOR;
      return SENTIMENT_FACTORS[knownSentiment(sentiment, index)];
    }
    case 'NEGATIVE': {
      // A cancellation request is bad news however it is worded: the sentiment can only make it
      // graver (wasted my time -3x), never turn it into a positive touch.
      const sentiment = interaction.sentiment;
      if (sentiment == null) return -PLAIN_TOUCH_FACTOR;
      return -Math.max(PLAIN_TOUCH_FACTOR, Math.abs(SENTIMENT_FACTORS[knownSentiment(sentiment, index)]));
    }
    case 'FROM_VALUE': {
      const scale = type.scale!;
      const value = interaction.value;
      if (value == null) {
        throw new ScoringInputError(
          `interactions[${index}].value`,
          'MISSING_VALUE',
          `a ${type.key} answer needs a value`,
        );
      }
      if (!isValueInScale(scale, value)) {
        throw new ScoringInputError(
          `interactions[${index}].value`,
          'OUT_OF_RANGE',
          `${type.key} answers are whole numbers from ${scale.min} to ${scale.max}, got ${String(value)}`,
        );
      }
      return valueFactor(scale, value);
    }
  }
}

function knownSentiment(sentiment: unknown, index: number): keyof typeof SENTIMENT_FACTORS {
  if (!isSentiment(sentiment))
    throw new ScoringInputError(
      `interactions[${index}].sentiment`,
      'UNKNOWN_KEY',
      `unknown sentiment "${String(sentiment)}"`,
    );
  return sentiment;
}

export function intensityOf(interaction: InteractionInput, index: number): number {
  const intensity = interaction.intensity ?? 1;
  if (typeof intensity !== 'number' || !Number.isFinite(intensity)) {
    throw new ScoringInputError(
      `interactions[${index}].intensity`,
      'INVALID_NUMBER',
      `must be a finite number, got ${String(intensity)}`,
    );
  }
  if (intensity < 0 || intensity > MAX_INTENSITY) {
    throw new ScoringInputError(
      `interactions[${index}].intensity`,
      'OUT_OF_RANGE',
      `must be between 0 and ${MAX_INTENSITY}, got ${intensity}`,
    );
  }
  return intensity;
}
