// The micro-rating rules: which choices a widget variant offers, and when a comment doubles a rating.
import { describe, expect, it } from 'vitest';
import { DETAILED_COMMENT_LENGTH, MICRO_RATING_CHOICES, microRatingIntensity } from './micro-rating.ts';
import { scoreCustomer } from './score.ts';
import { AS_OF, DEFAULT_COMPILED, touch } from './testing/model.ts';

describe('microRatingIntensity', () => {
  it(`doubles a rating from ${DETAILED_COMMENT_LENGTH} characters of comment on`, () => {
    expect(microRatingIntensity('x'.repeat(DETAILED_COMMENT_LENGTH))).toBe(2);
    expect(microRatingIntensity('x'.repeat(DETAILED_COMMENT_LENGTH - 1))).toBe(1);
    expect(microRatingIntensity(null)).toBe(1);
    expect(microRatingIntensity(undefined)).toBe(1);
  });

  it('does not count the blanks around a comment', () => {
    expect(microRatingIntensity(`   ${'x'.repeat(DETAILED_COMMENT_LENGTH - 1)}   `)).toBe(1);
  });

  it('makes a detailed rating move the score further than a bare click', () => {
    const score = (intensity: number) =>
      scoreCustomer(DEFAULT_COMPILED, {}, [touch('micro_rating', 1, { sentiment: 'DISLIKED', intensity })], AS_OF)
        .score;
    expect(score(microRatingIntensity('x'.repeat(DETAILED_COMMENT_LENGTH)))).toBeLessThan(score(1));
  });
});

describe('MICRO_RATING_CHOICES', () => {
  it('offers like and dislike, or liked, indifferent and wasted time', () => {
    expect(MICRO_RATING_CHOICES.LIKE_DISLIKE).toEqual(['LIKED', 'DISLIKED']);
    expect(MICRO_RATING_CHOICES.THREE_LEVELS).toEqual(['LIKED', 'INDIFFERENT', 'WASTED_TIME']);
  });
});
