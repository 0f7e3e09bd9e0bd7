// Builds observations for the tests with only the fields a test cares about spelled out: a
// customer at a day offset from a fixed origin, with a score whose band follows Pulso's defaults.
import type { BandKey } from '@pulso/scoring';
import type { Observation } from '../types.ts';

export const ORIGIN = Date.UTC(2026, 0, 1);
export const DAY_MS = 86_400_000;

export function day(n: number): Date {
  return new Date(ORIGIN + n * DAY_MS);
}

function bandOf(score: number): BandKey {
  return score <= 50 ? 'AT_RISK' : score <= 70 ? 'NEEDS_ATTENTION' : 'HEALTHY';
}

export function observation(fields: Partial<Observation> & { customerId: string; day?: number }): Observation {
  const { day: at = 0, ...rest } = fields;
  const score = rest.score ?? 60;
  return {
    at: day(at),
    score,
    band: bandOf(score),
    churned: false,
    churnedAt: null,
    interactionsLast30Days: 0,
    daysSinceLastInteraction: null,
    ...rest,
  };
}
