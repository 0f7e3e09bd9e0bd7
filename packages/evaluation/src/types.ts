// What the evaluation reads: one row per customer and observation instant, with the score Pulso
// gave as of that instant, whether the customer churned within the horizon after it, and the two
// plain facts the trivial baselines rank by. Whoever builds the rows (the benchmark, later the
// server) decides the instants, the horizon and which customers were active.
import type { BandKey } from '@pulso/scoring';

export interface Observation {
  customerId: string;
  /** The observation instant: the score was computed as of it, from interactions before it only. */
  at: Date;
  /** 0–100. Convention: a LOWER score means a HIGHER risk of churn. */
  score: number;
  band: BandKey;
  /** The label: the customer churned within the horizon after `at`. */
  churned: boolean;
  /** When the customer churned, within the horizon or later; null while it has not. */
  churnedAt: Date | null;
  /** Interactions in the 30 days before `at` (baseline 1: fewer means riskier). */
  interactionsLast30Days: number;
  /** Days from the last interaction before `at` to `at`; null when there is none (baseline 2: more means riskier). */
  daysSinceLastInteraction: number | null;
}

/** The figures a prediction is judged by, for the model and each baseline. */
export type RankerKey = 'model' | 'recentInteractions' | 'daysSinceLast';

export interface Interval {
  low: number;
  high: number;
}
