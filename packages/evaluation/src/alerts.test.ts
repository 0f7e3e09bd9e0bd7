// Alerts: the model's at-risk band, and the riskiest tenth of each instant for any ranker.
import { describe, expect, it } from 'vitest';
import { bandAlerts, riskiestShareAlerts } from './alerts.ts';
import { observation } from './testing/observations.ts';

describe('alerts', () => {
  it('alerts through the at-risk band', () => {
    const flagged = bandAlerts([
      observation({ customerId: 'a', score: 20 }),
      observation({ customerId: 'b', score: 60 }),
    ]);
    expect(Array.from(flagged)).toEqual([1, 0]);
  });

  it('alerts the riskiest tenth of each instant separately', () => {
    const observations = [0, 31].flatMap((d) =>
      Array.from({ length: 10 }, (_, i) => observation({ customerId: `c${i}`, day: d })),
    );
    // Customer 3 is riskiest on the first instant, customer 7 on the second.
    const risk = Float64Array.from(observations, (o, i) =>
      (o.customerId === 'c3' && i < 10) || (o.customerId === 'c7' && i >= 10) ? 5 : 1,
    );
    const flagged = riskiestShareAlerts(observations, risk);
    expect(observations.filter((_, i) => flagged[i]).map((o) => `${o.customerId}@${o.at.getUTCDate()}`)).toEqual([
      'c3@1',
      'c7@1',
    ]);
  });

  it('flags a tie group at the cut whole when half of it fits, not at all otherwise', () => {
    const observations = Array.from({ length: 20 }, (_, i) => observation({ customerId: `c${i}` }));
    // Budget 2: one riskiest, then a tie of two (1 + 1 ≤ 2: flagged), then a tie of four (3 + 2 > 2: not).
    const half = Float64Array.from([9, 8, 8, ...new Array(17).fill(0)]);
    expect(riskiestShareAlerts(observations, half).reduce((s, f) => s + f, 0)).toBe(3);
    const tooMany = Float64Array.from([9, 8, 8, 8, 8, ...new Array(15).fill(0)]);
    expect(riskiestShareAlerts(observations, tooMany).reduce((s, f) => s + f, 0)).toBe(1);
  });
});
