// Top-decile lift, including a tie group that straddles the cut.
import { describe, expect, it } from 'vitest';
import { topShareLift } from './lift.ts';
import { rankByRisk } from './ranking.ts';

function lift(risk: number[], churned: number[], share?: number): number {
  return topShareLift(rankByRisk(Float64Array.from(risk), Uint8Array.from(churned)), share);
}

describe('topShareLift', () => {
  it('is 1/base rate when the riskiest tenth holds only churners', () => {
    const risk = Array.from({ length: 20 }, (_, i) => i);
    const churned = risk.map((r) => (r >= 18 ? 1 : 0));
    // top 2 of 20 are both churners: rate 1 against 0.1 overall.
    expect(lift(risk, churned)).toBeCloseTo(10, 12);
  });

  it('is 1 when every observation ties: no ranking, no lift', () => {
    expect(lift(new Array(30).fill(0), [1, 1, 1, ...new Array(27).fill(0)])).toBeCloseTo(1, 12);
  });

  it('counts a straddling tie group in proportion to the part that fits', () => {
    // 10 observations, budget 1: the riskiest group is 2 tied observations, one a churner, so half a churner is caught.
    const risk = [5, 5, 1, 1, 1, 1, 1, 1, 1, 1];
    const churned = [1, 0, 1, 0, 0, 0, 0, 0, 0, 0];
    expect(lift(risk, churned)).toBeCloseTo(0.5 / 1 / (2 / 10), 12);
  });

  it('is NaN when nobody churned', () => {
    expect(lift([1, 2, 3], [0, 0, 0])).toBeNaN();
  });
});
