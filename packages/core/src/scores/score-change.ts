// The event a stored score produces: what moved for one customer, from what was stored before.
// Recording, assessments and rescoring all hand these to their caller after their transaction
// commits (the server publishes them to live subscribers), so the shape is made in one place.
import type { Band } from '@pulso/database';
import type { ScoreResult } from '@pulso/scoring';

/** A customer's score moved; published to live subscribers after the transaction commits. */
export interface ScoreChange {
  workspaceId: string;
  customerId: string;
  externalId: string;
  score: number;
  previousScore: number | null;
  band: Band;
  previousBand: Band | null;
  /** ISO 8601. */
  computedAt: string;
  modelVersion: number;
}

/** The event for a customer whose score was just computed, from what was stored before. */
export function scoreChangeOf(
  workspaceId: string,
  customerId: string,
  before: { externalId: string; score: number | null; band: Band | null },
  result: ScoreResult,
  computedAt: Date,
  modelVersion: number,
): ScoreChange {
  return {
    workspaceId,
    customerId,
    externalId: before.externalId,
    score: result.score,
    previousScore: before.score,
    band: result.band.key,
    previousBand: before.band,
    computedAt: computedAt.toISOString(),
    modelVersion,
  };
}
