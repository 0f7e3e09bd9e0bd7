// Score deciles against observed churn.
import { describe, expect, it } from 'vitest';
import { calibrationTable } from './calibration.ts';
import { observation } from './testing/observations.ts';

describe('calibrationTable', () => {
  it('cuts observations into ten equal groups from the lowest score up, with their churn rate', () => {
    const observations = Array.from({ length: 100 }, (_, i) =>
      observation({ customerId: `c${i}`, score: 99 - i, churned: i >= 90 && i % 2 === 0 }),
    );
    const rows = calibrationTable(observations);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.observations === 10)).toBe(true);
    expect(rows[0]).toMatchObject({ decile: 1, scoreMin: 0, scoreMax: 9, meanScore: 4.5, churnRate: 0.5 });
    expect(rows.slice(1).every((r) => r.churnRate === 0)).toBe(true);
  });

  it('splits a run of equal scores across deciles so each still holds a tenth', () => {
    const rows = calibrationTable(
      Array.from({ length: 20 }, (_, i) => observation({ customerId: `c${i}`, score: 70 })),
    );
    expect(rows.map((r) => r.observations)).toEqual(new Array(10).fill(2));
  });

  it('has fewer rows than ten when there are fewer observations', () => {
    expect(calibrationTable([observation({ customerId: 'a' }), observation({ customerId: 'b' })])).toHaveLength(2);
  });
});
