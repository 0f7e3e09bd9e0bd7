import { describe, expect, it } from 'vitest';
import { PLAIN_TOUCH_FACTOR, SENTIMENT_FACTORS, VALUE_SCALES, valueFactor } from './signals.ts';

describe('sentiment factors', () => {
  it('order the signals: liked > plain touch > indifferent ≥ 0 > disliked > wasted my time', () => {
    expect(SENTIMENT_FACTORS.LIKED).toBeGreaterThan(PLAIN_TOUCH_FACTOR);
    expect(PLAIN_TOUCH_FACTOR).toBeGreaterThan(SENTIMENT_FACTORS.INDIFFERENT);
    expect(SENTIMENT_FACTORS.INDIFFERENT).toBeGreaterThanOrEqual(0);
    expect(SENTIMENT_FACTORS.INDIFFERENT).toBeLessThan(0.2);
    expect(SENTIMENT_FACTORS.DISLIKED).toBeLessThan(0);
    expect(SENTIMENT_FACTORS.WASTED_TIME).toBeLessThan(SENTIMENT_FACTORS.DISLIKED);
  });

  it('make "wasted my time" worse than the worst survey answer', () => {
    for (const scale of Object.values(VALUE_SCALES)) {
      const worst = scale.lowIsGood ? scale.max : scale.min;
      expect(SENTIMENT_FACTORS.WASTED_TIME).toBeLessThan(valueFactor(scale, worst));
    }
  });
});

describe('survey normalisation', () => {
  it('maps NPS 0–10 with 7 as neutral', () => {
    const factors = Array.from({ length: 11 }, (_, value) => valueFactor(VALUE_SCALES.NPS, value));
    expect(factors[0]).toBe(-2);
    expect(factors[7]).toBe(0);
    expect(factors[10]).toBe(1.5);
    expect(factors[9]).toBeCloseTo(1, 10);
    expect(factors[6]).toBeLessThan(0);
  });

  it('maps CSAT 1–5 with 3 as neutral', () => {
    expect([1, 2, 3, 4, 5].map((value) => valueFactor(VALUE_SCALES.CSAT, value))).toEqual([-2, -1, 0, 0.75, 1.5]);
  });

  it('maps CES 1–7 with low effort as good', () => {
    const factors = [1, 2, 3, 4, 5, 6, 7].map((value) => valueFactor(VALUE_SCALES.CES, value));
    expect(factors[0]).toBe(1.5);
    expect(factors[3]).toBe(0);
    expect(factors[6]).toBe(-2);
    for (let index = 1; index < factors.length; index++) expect(factors[index]).toBeLessThan(factors[index - 1]!);
  });
});
