// The churned-while-green list: churners healthy at their last instant, with what the score said before.
import { describe, expect, it } from 'vitest';
import { churnedWhileGreen } from './churned-while-green.ts';
import { indexCustomers } from './customers.ts';
import { day, observation } from './testing/observations.ts';

describe('churnedWhileGreen', () => {
  it('lists churners healthy at their last instant, with their observations 30 and 60 days before the churn', () => {
    const left = day(100);
    const observations = [
      observation({ customerId: 'green', day: 30, score: 75, churnedAt: left }),
      observation({ customerId: 'green', day: 60, score: 85, churnedAt: left }),
      observation({ customerId: 'green', day: 90, score: 90, churned: true, churnedAt: left }),
      observation({ customerId: 'warned', day: 90, score: 20, churned: true, churnedAt: left }),
      observation({ customerId: 'healthy-stayer', day: 90, score: 95 }),
    ];
    const list = churnedWhileGreen(observations, indexCustomers(observations));
    expect(list).toHaveLength(1);
    expect(list[0]!.customerId).toBe('green');
    expect(list[0]!.last.score).toBe(90);
    expect(list[0]!.before30Days?.score).toBe(85);
    expect(list[0]!.before60Days?.score).toBe(75);
  });

  it('has no earlier observation to show for a customer first seen just before leaving', () => {
    const observations = [observation({ customerId: 'new', day: 90, score: 90, churned: true, churnedAt: day(100) })];
    const [entry] = churnedWhileGreen(observations, indexCustomers(observations));
    expect(entry?.before30Days).toBeNull();
    expect(entry?.before60Days).toBeNull();
  });
});
