// Model v2's reading of one interaction: what the customer *did* (activity, counted by volume in
// the categories that measure activity) and what the customer *said* (valence: sentiments, survey
// answers, complaints, commercial moves), kept apart so that a hundred sessions a day cannot drown
// one "wasted my time" and one survey answer cannot stand in for a year of use. The reasons for each
// figure are in docs/scoring-model.md ("Model v2").
import type { CompiledType } from '../compile.ts';
import { ScoringInputError } from '../errors.ts';
import { intensityOf } from '../interaction-points.ts';
import { isSentiment, isValueInScale, type ScaleDefinition } from '../signals.ts';
import type { InteractionInput, Sentiment } from '../types.ts';

/** Multipliers of a type's base points by sentiment, for types that take one. */
export const V2_SENTIMENT_FACTORS: Readonly<Record<Exclude<Sentiment, 'WASTED_TIME'>, number>> = Object.freeze({
  LIKED: 1.5,
  // Showing up and finding nothing of value is a (small) bad sign, never a good one.
  INDIFFERENT: -0.25,
  DISLIKED: -1.5,
});

/**
 * A NEGATIVE type (a cancellation intent, a downsell) is bad news however it is worded: a bad
 * sentiment makes it graver, a good or indifferent one does not soften it, and must not make it
 * graver either (a "liked" on a cancellation request is politeness, not a complaint). "Wasted my
 * time" costs the most: at least WASTED_TIME_POINTS, and never less than a dislike.
 */
export const NEGATIVE_SENTIMENT_FACTORS: Readonly<Record<Exclude<Sentiment, 'WASTED_TIME'>, number>> = Object.freeze({
  LIKED: 1,
  INDIFFERENT: 1,
  DISLIKED: 1.5,
});

/**
 * "Wasted my time" is the gravest thing a customer can say, whatever it is said about: it costs
 * these points (times intensity) on any type, more than the worst survey answer (NPS 0: 20) or a
 * cancellation request (25), instead of a multiple of the type's base points (which made it cheaper
 * on a micro-rating than a price complaint in v1).
 */
export const WASTED_TIME_POINTS = 30;

/** An interaction in the CANCELLATION journey stage costs what the default cancellation intent does. */
export const CANCELLATION_STAGE_POINTS = 25;

/** A support contact without a good outcome is friction: a share of the type's base points lost. */
export const FRICTION_PLAIN_FACTOR = -0.5;

/**
 * Survey answers by their own semantics. NPS: detractors (0–6) cost from 1× (6) to 2× (0) the base
 * points, passives (7–8) are neutral, promoters earn 1× (9) and 1.5× (10). CSAT and CES: below the
 * middle answer costs, above it earns, linearly to −2× and +1.5× at the ends.
 */
export function v2ValueFactor(scale: ScaleDefinition, value: number): number {
  if (scale.max === 10 && scale.min === 0 && !scale.lowIsGood) {
    if (value <= 6) return -1 - (6 - value) / 6;
    if (value <= 8) return 0;
    return value === 9 ? 1 : 1.5;
  }
  const good = scale.lowIsGood ? scale.min + scale.max - value : value;
  const middle = (scale.min + scale.max) / 2;
  if (good >= middle) return (1.5 * (good - middle)) / (scale.max - middle);
  return (-2 * (middle - good)) / (middle - scale.min);
}

/** What one interaction contributes, before decay. */
export interface Reading {
  /** Volume of activity (base points × intensity) when the interaction counts as activity; else 0. */
  activity: number;
  /** Signed points of what the customer said; 0 when it said nothing (a plain touch of activity). */
  valence: number;
  /** True when the interaction is real engagement: it ends silence. */
  endsSilence: boolean;
  wastedTime: boolean;
  /**
   * Points of a grave signal ("wasted my time", a NEGATIVE type), 0 for none: they weigh on the
   * whole score, not on a category.
   */
  grave: number;
}

export function readInteraction(
  type: CompiledType,
  measuresActivity: boolean,
  interaction: InteractionInput,
  index: number,
): Reading {
  const intensity = intensityOf(interaction, index);
  const points = type.basePoints * intensity;
  const sentiment = interaction.sentiment;
  if (sentiment != null && !isSentiment(sentiment)) {
    throw new ScoringInputError(
      `interactions[${index}].sentiment`,
      'UNKNOWN_KEY',
      `unknown sentiment "${String(sentiment)}"`,
    );
  }
  // Whatever its type, something said or done on the way out ("we are thinking of cancelling" on a
  // support ticket) is cancellation intent: never a good sign, and grave. It is read as a NEGATIVE
  // type of the default cancellation intent's points, so its sentiment weighs as there.
  const stage = interaction.journeyStage === 'CANCELLATION' && type.handling !== 'NEGATIVE';
  if (stage || type.handling === 'NEGATIVE') {
    const gravePoints = stage ? CANCELLATION_STAGE_POINTS * intensity : points;
    return {
      activity: 0,
      valence: 0,
      endsSilence: false,
      wastedTime: sentiment === 'WASTED_TIME',
      grave: negativePoints(gravePoints, intensity, sentiment),
    };
  }
  if (sentiment === 'WASTED_TIME') {
    // Everything a dislike of the same interaction costs (its valence in its category, or a survey
    // answer's own bad value), never its good news, and the grave signal on top: so "wasted my
    // time" never costs less than a dislike, whatever the type or the customer's data. A survey
    // answer sent as "wasted my time" without its value is the grave signal alone.
    const answerless = type.handling === 'FROM_VALUE' && interaction.value == null;
    const disliked = answerless
      ? 0
      : readInteraction(type, measuresActivity, { ...interaction, sentiment: 'DISLIKED' }, index).valence;
    return {
      activity: 0,
      valence: Math.min(0, disliked),
      endsSilence: false,
      wastedTime: true,
      grave: WASTED_TIME_POINTS * intensity,
    };
  }
  switch (type.handling) {
    case 'FROM_VALUE': {
      const value = requireValue(type, interaction, index);
      const valence = points * v2ValueFactor(type.scale!, value);
      return { activity: 0, valence, endsSilence: valence > 0, wastedTime: false, grave: 0 };
    }
    case 'FRICTION': {
      const factor = sentiment == null ? FRICTION_PLAIN_FACTOR : V2_SENTIMENT_FACTORS[sentiment];
      return { activity: 0, valence: points * factor, endsSilence: factor > 0, wastedTime: false, grave: 0 };
    }
    case 'POSITIVE':
    case 'SIGNED': {
      // A POSITIVE type keeps its sentiment's meaning in v2 (a like sent as DISLIKED is not a like).
      if (sentiment == null) {
        // A plain touch is activity where activity is measured, and a small good word elsewhere.
        // A sale recorded by the vendor (an engagement-backed type) is not the customer speaking.
        return measuresActivity
          ? { activity: points, valence: 0, endsSilence: true, wastedTime: false, grave: 0 }
          : { activity: 0, valence: points, endsSilence: !type.requiresEngagement, wastedTime: false, grave: 0 };
      }
      const factor = V2_SENTIMENT_FACTORS[sentiment];
      const positive = factor > 0;
      return {
        activity: measuresActivity && positive ? points : 0,
        valence: points * factor,
        endsSilence: positive && !type.requiresEngagement,
        wastedTime: false,
        grave: 0,
      };
    }
  }
}

/**
 * What a grave signal of `points` costs with its sentiment: a dislike 1.5×, "wasted my time" the
 * most of all (WASTED_TIME_POINTS × intensity, or the dislike when that is graver), anything else 1×.
 */
function negativePoints(points: number, intensity: number, sentiment: Sentiment | null | undefined): number {
  if (sentiment == null) return points;
  const disliked = points * NEGATIVE_SENTIMENT_FACTORS.DISLIKED;
  if (sentiment === 'WASTED_TIME') return Math.max(WASTED_TIME_POINTS * intensity, disliked);
  return points * NEGATIVE_SENTIMENT_FACTORS[sentiment];
}

function requireValue(type: CompiledType, interaction: InteractionInput, index: number): number {
  const value = interaction.value;
  if (value == null) {
    throw new ScoringInputError(`interactions[${index}].value`, 'MISSING_VALUE', `a ${type.key} answer needs a value`);
  }
  const scale = type.scale!;
  if (!isValueInScale(scale, value)) {
    throw new ScoringInputError(
      `interactions[${index}].value`,
      'OUT_OF_RANGE',
      `${type.key} answers are whole numbers from ${scale.min} to ${scale.max}, got ${String(value)}`,
    );
  }
  return value;
}
