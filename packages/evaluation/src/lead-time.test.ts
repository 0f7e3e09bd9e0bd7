// Lead time: the days a churner had been flagged, without a break, before it left.
import { describe, expect, it } from 'vitest';
import { bandAlerts } from './alerts.ts';
import { indexCustomers } from './customers.ts';
import { leadTime } from './lead-time.ts';
import { day, observation } from './testing/observations.ts';
import type { Observation } from './types.ts';

function churner(id: string, scores: number[], churnDay: number): Observation[] {
  // Monthly instants 0, 30, 60…; labelled churned in the instant the churn follows within 30 days.
  return scores.map((score, k) =>
    observation({ customerId: id, day: k * 30, score, churned: churnDay - k * 30 <= 30, churnedAt: day(churnDay) }),
  );
}

function measure(observations: Observation[]) {
  return leadTime(observations, indexCustomers(observations), bandAlerts(observations));
}

describe('leadTime', () => {
  it('counts from the first instant of the unbroken at-risk run to the churn', () => {
    // At risk on days 30 and 60, churned on day 75: 45 days of warning.
    expect(measure(churner('a', [80, 40, 30], 75))).toEqual({ churners: 1, warned: 1, medianDays: 45 });
  });

  it('ignores an earlier at-risk spell broken by a healthier instant', () => {
    expect(measure(churner('a', [40, 80, 30], 75)).medianDays).toBe(15);
  });

  it('takes the median over the warned churners and counts the others as not warned', () => {
    const observations = [
      ...churner('a', [80, 40, 30], 75),
      ...churner('b', [80, 80, 80], 70),
      ...churner('c', [30, 30, 30], 65),
      observation({ customerId: 'stays', score: 20 }),
    ];
    // a: 45 days; b: never at risk; c: at risk from day 0, churned on day 65.
    expect(measure(observations)).toEqual({ churners: 3, warned: 2, medianDays: 55 });
  });

  it('is null without churners, or when none was warned', () => {
    expect(measure([observation({ customerId: 'a' })]).medianDays).toBeNull();
    expect(measure(churner('b', [80, 80], 40))).toEqual({ churners: 1, warned: 0, medianDays: null });
  });
});
