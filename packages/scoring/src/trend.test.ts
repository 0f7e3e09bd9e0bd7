import { describe, expect, it } from 'vitest';
import { ScoringInputError } from './errors.ts';
import { AS_OF, daysBefore } from './testing/model.ts';
import { computeTrend, FLAT_THRESHOLD } from './trend.ts';

const at = (days: number) => daysBefore(AS_OF, days);

describe('computeTrend', () => {
  it('compares the latest score with the scores as they stood 7 and 30 days earlier', () => {
    const history = [
      { at: at(40), score: 80 },
      { at: at(20), score: 70 },
      { at: at(8), score: 66 },
      { at: at(0), score: 60 },
    ];
    expect(computeTrend(history, AS_OF)).toEqual({ change7d: -6, change30d: -20, direction: 'down' });
  });

  it('does not depend on the order of the history', () => {
    const history = [
      { at: at(0), score: 75 },
      { at: at(31), score: 60 },
      { at: at(7), score: 70 },
    ];
    expect(computeTrend(history, AS_OF)).toEqual({ change7d: 5, change30d: 15, direction: 'up' });
    expect(computeTrend([...history].reverse(), AS_OF)).toEqual(computeTrend(history, AS_OF));
  });

  it('returns null changes without a past point, and flat for small moves', () => {
    expect(computeTrend([], AS_OF)).toEqual({ change7d: null, change30d: null, direction: 'flat' });
    expect(computeTrend([{ at: at(1), score: 50 }], AS_OF)).toEqual({
      change7d: null,
      change30d: null,
      direction: 'flat',
    });
    expect(
      computeTrend(
        [
          { at: at(10), score: 50 },
          { at: at(0), score: 50.8 },
        ],
        AS_OF,
      ),
    ).toEqual({
      change7d: 0.8,
      change30d: null,
      direction: 'flat',
    });
  });

  it(`calls a move of ${FLAT_THRESHOLD} point flat either way, and a tenth more a direction`, () => {
    const direction = (change: number) =>
      computeTrend(
        [
          { at: at(10), score: 50 },
          { at: at(0), score: 50 + change },
        ],
        AS_OF,
      ).direction;
    expect(direction(FLAT_THRESHOLD)).toBe('flat');
    expect(direction(-FLAT_THRESHOLD)).toBe('flat');
    expect(direction(FLAT_THRESHOLD + 0.1)).toBe('up');
    expect(direction(-FLAT_THRESHOLD - 0.1)).toBe('down');
  });

  it('treats a snapshot as standing until the next one', () => {
    const history = [
      { at: at(35), score: 40 },
      { at: at(0), score: 60 },
    ];
    // The score 7 days ago was the one computed 35 days ago: it stood until today.
    expect(computeTrend(history, AS_OF)).toEqual({ change7d: 20, change30d: 20, direction: 'up' });
  });

  it('reports an unchanged score as 0, never -0', () => {
    const trend = computeTrend(
      [
        { at: at(8), score: 50.04 },
        { at: at(0), score: 50 },
      ],
      AS_OF,
    );
    expect(Object.is(trend.change7d, 0)).toBe(true);
  });

  it('rejects future points and scores outside 0–100', () => {
    expect(() => computeTrend([{ at: daysBefore(AS_OF, -1), score: 50 }], AS_OF)).toThrow(ScoringInputError);
    expect(() => computeTrend([{ at: at(1), score: 101 }], AS_OF)).toThrow(/history\[0\]\.score/);
    expect(() => computeTrend([{ at: at(1), score: Number.NaN }], AS_OF)).toThrow(/history\[0\]\.score/);
  });
});
