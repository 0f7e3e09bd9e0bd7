// The worked example of docs/scoring-model.md, computed by the engine: if a formula or a default
// changes, this test fails until the document is updated with it.
import { describe, expect, it } from 'vitest';
import { DAY_MS } from './curves.ts';
import { scoreCustomer } from './score.ts';
import { AS_OF, DEFAULT_COMPILED, touch } from './testing/model.ts';
import type { InteractionInput } from './types.ts';

const history: InteractionInput[] = [
  touch('email', 10),
  touch('meeting', 15, { sentiment: 'LIKED' }),
  touch('product_session', 1),
  touch('product_session', 3),
  touch('product_session', 6),
  touch('product_session', 8),
  touch('support_ticket', 20, { sentiment: 'DISLIKED' }),
  touch('nps', 30, { value: 9 }),
  touch('renewal', 30),
];
const bareLike = touch('like', 2);
const likeWithComment = touch('like', 2, { intensity: 2.5 });
const subScores = (interactions: InteractionInput[]) =>
  scoreCustomer(DEFAULT_COMPILED, {}, interactions, AS_OF).categories.map((category) => category.subScore);

describe('worked example (docs/scoring-model.md)', () => {
  it('scores a bare like lower than a like with a detailed comment', () => {
    const bare = scoreCustomer(DEFAULT_COMPILED, {}, [...history, bareLike], AS_OF);
    const commented = scoreCustomer(DEFAULT_COMPILED, {}, [...history, likeWithComment], AS_OF);
    expect(subScores([...history, bareLike])).toEqual([74.7, 58.9, 40.7, 67.9, 62.2]);
    expect(bare.categories.map((category) => category.contribution)).toEqual([22.4, 14.73, 6.1, 10.19, 9.34]);
    expect(bare).toMatchObject({ score: 62.8, coverage: 1, flags: [] });
    expect(bare.band.key).toBe('NEEDS_ATTENTION');
    expect(subScores([...history, likeWithComment])).toEqual([81.9, 58.9, 40.7, 67.9, 62.2]);
    expect(commented.score).toBe(64.9);
    expect(commented.drivers.raised.map((driver) => [driver.typeKey, driver.points])).toEqual([
      ['renewal', 7.5],
      ['like', 7.16],
      ['meeting', 6.36],
    ]);
    expect(commented.drivers.lowered.map((driver) => [driver.typeKey, driver.points])).toEqual([
      ['support_ticket', -3.78],
    ]);
  });

  it('predicts a change of weights: a heavier category pulls the score towards its sub-score', () => {
    const heavierSupport = scoreCustomer(DEFAULT_COMPILED, { weights: { support: 30 } }, [...history, bareLike], AS_OF);
    expect(heavierSupport.score).toBe(59.9);
    const noSurveys = scoreCustomer(
      DEFAULT_COMPILED,
      {},
      [...history, bareLike].filter((i) => i.typeKey !== 'nps'),
      AS_OF,
    );
    expect(noSurveys.score).toBe(62.9);
    expect(noSurveys.categories.map((category) => category.effectiveWeight)).toEqual([
      0.3529, 0.2941, 0.1765, 0.1765, 0,
    ]);
  });

  it('lets the same customer drift to "at risk" 45 days later', () => {
    const later = new Date(AS_OF.getTime() + 45 * DAY_MS);
    const silent = scoreCustomer(DEFAULT_COMPILED, {}, [...history, bareLike], later);
    expect(silent.flags).toContainEqual({ code: 'SILENCE', message: 'silent for 46 days', params: { days: 46 } });
    expect(silent).toMatchObject({ score: 42.8, silenceFactor: 0.7806 });
    expect(silent.band.key).toBe('AT_RISK');
  });
});
