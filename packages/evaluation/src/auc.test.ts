// AUC against hand-counted pairs and against the brute-force definition on random inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resampledAuc, rocAuc, weightedAuc } from './auc.ts';
import { rankByRisk } from './ranking.ts';

function bruteForce(risk: number[], churned: boolean[]): number {
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < risk.length; i++) {
    for (let j = 0; j < risk.length; j++) {
      if (!churned[i] || churned[j]) continue;
      pairs += 1;
      wins += risk[i]! > risk[j]! ? 1 : risk[i] === risk[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('rocAuc', () => {
  it('is 1 when every churner is riskier than every stayer, 0 when reversed', () => {
    expect(rocAuc([1, 2, 3, 4], [false, false, true, true])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [false, false, true, true])).toBe(0);
  });

  it('counts a tie as half a pair', () => {
    // churners at 2 and 3, stayers at 1 and 2: 1 + 0.5 + 1 + 1 of 4 pairs.
    expect(rocAuc([1, 2, 2, 3], [false, true, false, true])).toBe(0.875);
    expect(rocAuc([5, 5, 5, 5], [true, false, true, false])).toBe(0.5);
  });

  it('is undefined (NaN) without a churner or without a stayer', () => {
    expect(rocAuc([1, 2], [false, false])).toBeNaN();
    expect(rocAuc([1, 2], [true, true])).toBeNaN();
  });

  it('equals the pairwise definition on any input', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 2, maxLength: 60 })
          .filter((rows) => rows.some(([, c]) => c) && rows.some(([, c]) => !c)),
        (rows) => {
          const risk = rows.map(([r]) => r);
          const churned = rows.map(([, c]) => c);
          expect(rocAuc(risk, churned)).toBeCloseTo(bruteForce(risk, churned), 12);
        },
      ),
    );
  });

  it('treats a weight of 2 as the observation appearing twice', () => {
    const risk = [1, 3, 2, 5, 4];
    const churned = [false, true, false, false, true];
    const weighted = weightedAuc(
      rankByRisk(Float64Array.from(risk), Uint8Array.from(churned, Number)),
      Float64Array.from([1, 2, 1, 1, 1]),
    );
    expect(weighted).toBeCloseTo(rocAuc([...risk, 3], [...churned, true]), 12);
  });

  it('gives the bootstrap form the same answer as per-observation weights', () => {
    const risk = Float64Array.from([1, 3, 3, 2, 5, 4, 4]);
    const churned = Uint8Array.from([0, 1, 0, 0, 0, 1, 1]);
    const customerOf = Int32Array.from([0, 0, 1, 1, 2, 2, 3]);
    const draws = Uint32Array.from([2, 0, 1, 3]);
    const ranking = rankByRisk(risk, churned);
    expect(
      resampledAuc(
        ranking,
        ranking.order.map((i) => customerOf[i]!),
        draws,
      ),
    ).toBeCloseTo(
      weightedAuc(
        ranking,
        Array.from(customerOf, (c) => draws[c]!),
      ),
      12,
    );
  });
});
