// Band spread, churn rate and lift per band.
import { describe, expect, it } from 'vitest';
import { bandTable } from './bands.ts';
import { observation } from './testing/observations.ts';

describe('bandTable', () => {
  it('gives each band its share, churn rate and lift, in the order at risk → healthy', () => {
    const rows = bandTable([
      observation({ customerId: 'a', score: 30, churned: true }),
      observation({ customerId: 'b', score: 40 }),
      observation({ customerId: 'c', score: 80 }),
      observation({ customerId: 'd', score: 90 }),
    ]);
    expect(rows.map((r) => r.band)).toEqual(['AT_RISK', 'NEEDS_ATTENTION', 'HEALTHY']);
    expect(rows[0]).toMatchObject({ observations: 2, share: 0.5, churners: 1, churnRate: 0.5, lift: 2 });
    expect(rows[2]).toMatchObject({ observations: 2, share: 0.5, churners: 0, churnRate: 0, lift: 0 });
  });

  it('shows an empty band as empty, with no rate', () => {
    const rows = bandTable([observation({ customerId: 'a', score: 80, churned: true })]);
    expect(rows[0]!.observations).toBe(0);
    expect(rows[0]!.share).toBe(0);
    expect(rows[0]!.churnRate).toBeNaN();
  });
});
