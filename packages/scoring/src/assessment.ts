// A customer-success manager's own rating, blended into the score while it is in force. The
// engine stays pure: the caller passes the assessment it has on record, and the "as of" instant
// alone decides whether it counts (so history can be recomputed with the assessments of the time).
import { ScoringInputError } from './errors.ts';
import type { ManualAssessmentInput, MessageParams } from './types.ts';
import { requireDate, requireInRange } from './validate.ts';

/** Share of the score a manual assessment carries unless it says otherwise. */
export const DEFAULT_ASSESSMENT_WEIGHT = 0.25;

export interface ActiveAssessment {
  score: number;
  weight: number;
  reason: string;
  setAt: string;
  expiresAt: string;
}

/** The assessment in force at `asOfMs`, validated; null when there is none or it is not in force. */
export function activeAssessment(
  input: ManualAssessmentInput | null | undefined,
  asOfMs: number,
): ActiveAssessment | null {
  if (input == null) return null;
  const score = requireInRange('customer.assessment.score', input.score, 0, 100);
  const weight = requireInRange('customer.assessment.weight', input.weight ?? DEFAULT_ASSESSMENT_WEIGHT, 0, 1);
  const setAt = requireDate('customer.assessment.setAt', input.setAt);
  const expiresAt = requireDate('customer.assessment.expiresAt', input.expiresAt);
  if (expiresAt <= setAt) {
    throw new ScoringInputError('customer.assessment.expiresAt', 'OUT_OF_RANGE', 'must be after setAt');
  }
  if (asOfMs < setAt || asOfMs >= expiresAt) return null;
  return {
    score,
    weight,
    reason: typeof input.reason === 'string' ? input.reason : '',
    setAt: new Date(setAt).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
  };
}

/**
 * MANUAL_ASSESSMENT's figures: the manager's `score`, the `weightPercent` it carries and the day it
 * ends (`until`). The manager's reason stays out: free text in whatever language they wrote it.
 */
export function manualAssessmentParams(assessment: ActiveAssessment): MessageParams {
  return {
    score: assessment.score,
    weightPercent: Math.round(assessment.weight * 1000) / 10,
    until: assessment.expiresAt.slice(0, 10),
  };
}
