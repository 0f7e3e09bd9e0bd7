// The prediction benchmark's events reference (bench/prediction/ceiling.ts): the regression must
// recover what it is fitted to, or the benchmark's "what the events tell" column means nothing.
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, featuresOf, fitLogistic } from '../bench/prediction/ceiling.ts';

describe('events reference', () => {
  it('recovers the weights of a known logistic model', () => {
    // A fixed linear congruential sequence: the same rows and labels every run.
    let state = 12345;
    const uniform = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const truth = [-1, 2, -0.5];
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = [uniform() * 2 - 1, uniform() * 2 - 1];
      const z = truth[0]! + truth[1]! * x[0]! + truth[2]! * x[1]!;
      rows.push(x);
      labels.push(uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
    }
    const fitted = fitLogistic(rows, labels, 0.01);
    for (const [index, weight] of fitted.entries()) expect(Math.abs(weight - truth[index]!)).toBeLessThan(0.15);
  });

  it('reads a contract anniversary and the last survey answers from the events', () => {
    const day = 86_400_000;
    const at = Date.UTC(2026, 0, 1);
    const event = (typeKey: string, daysBefore: number, value: number | null = null) => ({
      id: `${typeKey}-${daysBefore}`,
      typeKey,
      occurredAt: new Date(at - daysBefore * day),
      sentiment: null,
      value,
    });
    const features = featuresOf([event('renewal', 335), event('nps', 100, 3), event('nps', 20, 9)], at);
    expect(features).toHaveLength(FEATURE_NAMES.length);
    const named = (name: string) => features[FEATURE_NAMES.findIndex((n) => n.startsWith(name))]!;
    expect(named('closeness to the anniversary')).toBeCloseTo(Math.exp(-1), 6); // 30 days to go
    expect(named('last NPS')).toBeCloseTo(0.9, 6);
    expect(named('no NPS yet')).toBe(0);
    expect(named('no purchase or renewal yet')).toBe(0);
  });
});
