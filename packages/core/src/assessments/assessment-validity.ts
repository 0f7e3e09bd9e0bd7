// How long a manual assessment counts, and when one is in force. An assessment is given either an
// expiry or a number of days (30 unless told, at most a year and a day: a rating older than that
// says more about the manager's memory than about the customer). It counts from the moment it was
// set until it expires or a person ends it.
import { DAY_MS } from '@pulso/scoring';
import { AssessmentError } from './assessment-error.ts';

export const DEFAULT_VALID_FOR_DAYS = 30;
export const MAX_VALID_FOR_DAYS = 366;

export interface AssessmentValidity {
  expiresAt?: Date | null;
  validForDays?: number | null;
}

/** The expiry an assessment set at `now` gets: the one given, or `validForDays` from now. */
export function assessmentExpiry({ expiresAt, validForDays }: AssessmentValidity, now: Date): Date {
  if (expiresAt && validForDays != null)
    throw new AssessmentError('validForDays', 'OUT_OF_RANGE', 'give expiresAt or validForDays, not both');
  if (expiresAt) return expiresAt;
  const days = validForDays ?? DEFAULT_VALID_FOR_DAYS;
  if (days < 1 || days > MAX_VALID_FOR_DAYS)
    throw new AssessmentError('validForDays', 'OUT_OF_RANGE', `between 1 and ${MAX_VALID_FOR_DAYS} days`);
  return new Date(now.getTime() + days * DAY_MS);
}

/** The rows of assessments in force at `now`, as a Prisma filter. */
export function inForceWhere(now: Date) {
  return { createdAt: { lte: now }, expiresAt: { gt: now }, endedAt: null };
}

/** Whether an assessment counts at `now`: set by then, not expired, not ended. */
export function isInForce(assessment: { createdAt: Date; expiresAt: Date; endedAt: Date | null }, now: Date): boolean {
  return (
    !assessment.endedAt &&
    assessment.createdAt.getTime() <= now.getTime() &&
    assessment.expiresAt.getTime() > now.getTime()
  );
}
