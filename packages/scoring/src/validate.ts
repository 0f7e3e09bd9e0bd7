// Small guards that throw a ScoringInputError naming the field. Kept apart from the formulas so
// the hot path reads as arithmetic.
import { ScoringInputError } from './errors.ts';

export function requireFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ScoringInputError(field, 'INVALID_NUMBER', `must be a finite number, got ${String(value)}`);
  }
  return value;
}

export function requireInRange(field: string, value: unknown, min: number, max: number): number {
  const number = requireFinite(field, value);
  if (number < min || number > max) {
    throw new ScoringInputError(field, 'OUT_OF_RANGE', `must be between ${min} and ${max}, got ${number}`);
  }
  return number;
}

export function requireNonNegative(field: string, value: unknown): number {
  const number = requireFinite(field, value);
  if (number < 0) throw new ScoringInputError(field, 'OUT_OF_RANGE', `must be ≥ 0, got ${number}`);
  return number;
}

/**
 * Upper bounds on settings that are otherwise open-ended. Beyond them a value is a unit mistake,
 * and near Number.MAX_VALUE it no longer survives a round trip through PostgreSQL's double
 * precision (the decimal text Prisma sends rounds above the largest double).
 */
export const MAX_WEIGHT = 1_000_000;
export const MAX_HALF_LIFE_DAYS = 36_500;

/** A category weight: 0 ≤ weight ≤ MAX_WEIGHT (only proportions matter). */
export function requireWeight(field: string, value: unknown): number {
  return requireInRange(field, value, 0, MAX_WEIGHT);
}

/** A half-life in days: more than 0, at most MAX_HALF_LIFE_DAYS (a century). */
export function requireHalfLife(field: string, value: unknown): number {
  const days = requirePositive(field, value);
  if (days > MAX_HALF_LIFE_DAYS) {
    throw new ScoringInputError(field, 'OUT_OF_RANGE', `must be at most ${MAX_HALF_LIFE_DAYS} days, got ${days}`);
  }
  return days;
}

export function requirePositive(field: string, value: unknown): number {
  const number = requireFinite(field, value);
  if (number <= 0) throw new ScoringInputError(field, 'OUT_OF_RANGE', `must be > 0, got ${number}`);
  return number;
}

export function requireKey(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ScoringInputError(field, 'INVALID_MODEL', 'must be a non-empty string');
  }
  return value;
}

/** Milliseconds since the epoch of a valid Date, or a typed error. */
export function requireDate(field: string, value: unknown): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new ScoringInputError(field, 'INVALID_DATE', 'must be a valid Date');
  return ms;
}
