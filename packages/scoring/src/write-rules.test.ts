// The intensity every write path stores: a detailed comment doubles it, counted in characters a
// reader sees, and never past the scale.
import { describe, expect, it } from 'vitest';
import { MAX_INTENSITY } from './interaction-points.ts';
import { DETAILED_COMMENT_LENGTH, microRatingIntensity } from './micro-rating.ts';
import { interactionIntensity } from './write-rules.ts';

const detailed = 'x'.repeat(DETAILED_COMMENT_LENGTH);

describe('interactionIntensity', () => {
  it('doubles the given intensity (1 when none) for a detailed comment', () => {
    expect(interactionIntensity(undefined, detailed)).toBe(2);
    expect(interactionIntensity(3, detailed)).toBe(6);
    expect(interactionIntensity(3, detailed.slice(1))).toBe(3);
  });

  it('keeps a doubled intensity on the scale, and leaves an out-of-range one to be refused with its own value', () => {
    expect(interactionIntensity(MAX_INTENSITY, detailed)).toBe(MAX_INTENSITY);
    expect(interactionIntensity(60, detailed)).toBe(MAX_INTENSITY);
    expect(interactionIntensity(MAX_INTENSITY / 2, detailed)).toBe(MAX_INTENSITY);
    expect(interactionIntensity(150, detailed)).toBe(150);
    expect(interactionIntensity(-1, detailed)).toBe(-1);
  });

  it('counts characters as a reader does: twenty emoji are twenty characters, not forty', () => {
    const emoji = '😀'.repeat(20);
    expect(emoji.length).toBe(40);
    expect(interactionIntensity(1, emoji)).toBe(1);
    expect(microRatingIntensity(emoji)).toBe(1);
    expect(microRatingIntensity('😀'.repeat(DETAILED_COMMENT_LENGTH))).toBe(2);
    expect(microRatingIntensity(`  ${'é'.repeat(DETAILED_COMMENT_LENGTH - 1)}  `)).toBe(1);
  });
});
