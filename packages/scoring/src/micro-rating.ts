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

/**
 * Whether a comment is detailed: DETAILED_COMMENT_LENGTH characters or more once trimmed, counted
 * as a reader counts them (code points: an emoji is one character, not the two UTF-16 units
 * `length` counts, so twenty emoji were "forty characters").
 */
export function isDetailedComment(comment: string | null | undefined): boolean {
  if (comment == null) return false;
  const trimmed = comment.trim();
  // Every code point is at least one UTF-16 unit: shorter than the threshold in units is shorter.
  if (trimmed.length < DETAILED_COMMENT_LENGTH) return false;
  let characters = 0;
  for (const _ of trimmed) if (++characters >= DETAILED_COMMENT_LENGTH) return true;
  return false;
}

/** The intensity a micro-rating is recorded with: 2 with a detailed comment, else 1 (write-rules.ts, for every write). */
export function microRatingIntensity(comment: string | null | undefined): 1 | 2 {
  return isDetailedComment(comment) ? 2 : 1;
}
