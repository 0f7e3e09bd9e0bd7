// Synthetic outcome sets for the fit's tests: formula-2 results written down directly (a result
// is plain data: a sub-score and an evidence per category), so which category carries the churn
// signal, and when, is known exactly.
import { bandFor, DEFAULT_SETTINGS_V2, type ScoreResult } from '@pulso/scoring';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export const KEYS = ['engagement', 'product_usage', 'support', 'commercial', 'satisfaction'] as const;
export type Key = (typeof KEYS)[number];
export const CURRENT: Record<Key, number> = {
  engagement: 30,
  product_usage: 25,
  support: 15,
  commercial: 15,
  satisfaction: 15,
};

export const MONTH_STARTS: readonly Date[] = Array.from({ length: 12 }, (_, k) => new Date(Date.UTC(2025, 4 + k, 1)));

/** A formula-2 result with the given sub-scores (null: no data) at evidence 1. */
export function resultWith(subScores: Record<Key, number | null>, at: Date): ScoreResult {
  return {
    score: 0, // not read by the fit: it re-weighs the categories
    band: bandFor(50, DEFAULT_SETTINGS_V2),
    coverage: 1,
    categories: KEYS.map((key) => ({
      key,
      name: key,
      weight: CURRENT[key],
      weightSource: 'workspace',
      effectiveWeight: 0,
      subScore: subScores[key],
      contribution: 0,
      evidence: subScores[key] === null ? 0 : 1,
    })),
    drivers: { raised: [], lowered: [] },
    flags: [],
    silenceFactor: 1,
    interactionCount: 10,
    lastInteractionAt: null,
    asOf: at.toISOString(),
    confidence: 1,
    graveSignalFactor: 1,
    neutralContribution: 0,
  };
}

/** An outcome with the engine's whole result (fitCategoryWeights takes parts too). */
export interface ScoredOutcome {
  at: Date;
  churned: boolean;
  result: ScoreResult;
}

export interface WorldSpec {
  /** Customers observed at each instant. */
  perInstant: number;
  /** Chance a customer-instant churns. */
  churnRate: number;
  /** The category whose sub-score tells churners apart at instant `k` (null: none does). */
  signalAt: (k: number) => Key | null;
  instants?: readonly Date[];
  seed?: number;
}

/**
 * Every category's sub-score is noise around 60, except the signal category's, which sits 25
 * points lower (on average) for churners.
 */
export function syntheticObservations(spec: WorldSpec): ScoredOutcome[] {
  const generator = xoroshiro128plus(spec.seed ?? 7);
  const uniform = () => uniformFloat64(generator);
  const observations: ScoredOutcome[] = [];
  (spec.instants ?? MONTH_STARTS).forEach((at, k) => {
    const signal = spec.signalAt(k);
    for (let i = 0; i < spec.perInstant; i++) {
      const churned = uniform() < spec.churnRate;
      const subScores = {} as Record<Key, number>;
      for (const key of KEYS) {
        const noise = 30 * (uniform() + uniform() - 1);
        subScores[key] = Math.round((60 + noise - (key === signal && churned ? 25 : 0)) * 10) / 10;
      }
      observations.push({ at, churned, result: resultWith(subScores, at) });
    }
  });
  return observations;
}
