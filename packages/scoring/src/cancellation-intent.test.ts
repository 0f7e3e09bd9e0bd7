// A type read as NEGATIVE (the default cancellation_intent) always lowers the score: no sentiment,
// a kind word or a bad one, it is bad news, and "wasted my time" makes it the gravest.
import { describe, expect, it } from 'vitest';
import { compileModel } from './compile.ts';
import { DEFAULT_CATEGORIES_V1, DEFAULT_INTERACTION_TYPES_V1, DEFAULT_SETTINGS_V1 } from './defaults-v1.ts';
import { scoreCustomer } from './score.ts';
import type { InteractionInput, Sentiment } from './types.ts';

const model = compileModel({
  settings: { ...DEFAULT_SETTINGS_V1 },
  categories: DEFAULT_CATEGORIES_V1.map((c) => ({ ...c })),
  interactionTypes: DEFAULT_INTERACTION_TYPES_V1.map((t) => ({ ...t })),
});
const asOf = new Date('2026-06-01T00:00:00Z');
const day = (n: number) => new Date(asOf.getTime() - n * 86_400_000);
const engaged: InteractionInput[] = [5, 12, 19, 26].map((n) => ({
  id: `m${n}`,
  typeKey: 'meeting',
  occurredAt: day(n),
}));
const scoreWith = (sentiment?: Sentiment) =>
  scoreCustomer(
    model,
    {},
    [...engaged, { id: 'c', typeKey: 'cancellation_intent', occurredAt: day(1), sentiment: sentiment ?? null }],
    asOf,
  ).score;

describe('cancellation intent', () => {
  const before = scoreCustomer(model, {}, engaged, asOf).score;

  it('lowers the score whatever the sentiment says', () => {
    for (const sentiment of [undefined, 'LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME'] as const)
      expect(scoreWith(sentiment)).toBeLessThan(before);
  });

  it('is gravest with "wasted my time", and a kind word does not soften it below a plain one', () => {
    expect(scoreWith('WASTED_TIME')).toBeLessThan(scoreWith('DISLIKED'));
    expect(scoreWith('DISLIKED')).toBeLessThanOrEqual(scoreWith());
    expect(scoreWith('LIKED')).toBeLessThanOrEqual(scoreWith());
  });

  it('refuses an unknown sentiment', () => {
    expect(() => scoreWith('FURIOUS' as Sentiment)).toThrow(/unknown sentiment "FURIOUS"/);
  });
});
