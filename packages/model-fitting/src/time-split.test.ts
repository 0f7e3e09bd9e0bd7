import { describe, expect, it } from 'vitest';
import { logDistance } from './coordinate-search.ts';
import { splitByInstant } from './time-split.ts';

const day = (d: number) => new Date(Date.UTC(2026, 0, d));

describe('splitByInstant', () => {
  it('gives the oldest two thirds of the distinct instants to training, whatever the input order', () => {
    const rows = [5, 1, 3, 2, 6, 4, 1, 6].map((d, id) => ({ at: day(d), id }));
    const split = splitByInstant(rows, 2 / 3);
    expect(split.trainingInstants).toEqual([1, 2, 3, 4].map(day));
    expect(split.heldOutInstants).toEqual([5, 6].map(day));
    expect(split.training.map((r) => r.id)).toEqual([1, 2, 3, 5, 6]);
    expect(split.heldOut.map((r) => r.id)).toEqual([0, 4, 7]);
  });

  it('keeps at least one instant on each side, and cannot split a single instant', () => {
    expect(splitByInstant([{ at: day(1) }, { at: day(2) }], 0.9).heldOutInstants).toEqual([day(2)]);
    expect(splitByInstant([{ at: day(1) }, { at: day(2) }], 0.1).trainingInstants).toEqual([day(1)]);
    const single = splitByInstant([{ at: day(1) }], 2 / 3);
    expect(single.heldOut).toEqual([]);
  });
});

describe('logDistance', () => {
  it('does not count a move of every weight by the same factor (only proportions matter)', () => {
    expect(logDistance(Float64Array.from([1, 1, 1]), [0, 1, 2])).toBe(0);
    expect(logDistance(Float64Array.from([1, 0, 0]), [0, 1, 2])).toBeCloseTo(2 / 3, 12);
    expect(logDistance(Float64Array.from([1, 0, 9]), [0, 1])).toBeCloseTo(0.5, 12);
  });
});
