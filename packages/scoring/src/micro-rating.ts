// Micro-ratings: the one-click ratings of the public widget. Which buttons each widget variant
// offers, and how much a rating weighs: a comment long enough to say something makes it count
// double, because words carry more than a bare click.
import type { Sentiment } from './types.ts';

export type MicroRatingVariant = 'LIKE_DISLIKE' | 'THREE_LEVELS';

/** The choices each variant shows, in the order the widget shows them. */
export const MICRO_RATING_CHOICES: Readonly<Record<MicroRatingVariant, readonly Sentiment[]>> = Object.freeze({
  LIKE_DISLIKE: Object.freeze(['LIKED', 'DISLIKED'] as const),
  THREE_LEVELS: Object.freeze(['LIKED', 'INDIFFERENT', 'WASTED_TIME'] as const),
});

/** A comment this long makes a rating count double. */
export const DETAILED_COMMENT_LENGTH = 40;

/** The longest comment a rating may carry. */
export const MAX_MICRO_RATING_COMMENT_LENGTH = 2_000;

/** The intensity a micro-rating is recorded with: 2 with a detailed comment, else 1 (write-rules.ts, for every write). */
export function microRatingIntensity(comment: string | null | undefined): 1 | 2 {
  return comment != null && comment.trim().length >= DETAILED_COMMENT_LENGTH ? 2 : 1;
}
