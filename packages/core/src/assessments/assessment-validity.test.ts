// How long an assessment counts and when it is in force: pure rules, tested without a database.
import { DAY_MS } from '@pulso/scoring';
import { describe, expect, it } from 'vitest';
import { AssessmentError } from './assessment-error.ts';
import { assessmentExpiry, DEFAULT_VALID_FOR_DAYS, isInForce, MAX_VALID_FOR_DAYS } from './assessment-validity.ts';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const later = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof AssessmentError) return { field: error.field, code: error.code, message: error.message };
    throw error;
  }
  return null;
}

describe('assessmentExpiry', () => {
  it(`runs ${DEFAULT_VALID_FOR_DAYS} days unless told otherwise`, () => {
    expect(assessmentExpiry({}, NOW)).toEqual(later(DEFAULT_VALID_FOR_DAYS));
    expect(assessmentExpiry({ validForDays: 7 }, NOW)).toEqual(later(7));
    expect(assessmentExpiry({ expiresAt: later(3) }, NOW)).toEqual(later(3));
  });

  it(`takes 1 to ${MAX_VALID_FOR_DAYS} days, and either an expiry or days, not both`, () => {
    expect(assessmentExpiry({ validForDays: 1 }, NOW)).toEqual(later(1));
    expect(assessmentExpiry({ validForDays: MAX_VALID_FOR_DAYS }, NOW)).toEqual(later(MAX_VALID_FOR_DAYS));
    expect(refusal(() => assessmentExpiry({ validForDays: 0 }, NOW))).toEqual({
      field: 'validForDays',
      code: 'OUT_OF_RANGE',
      message: `validForDays: between 1 and ${MAX_VALID_FOR_DAYS} days`,
    });
    expect(refusal(() => assessmentExpiry({ validForDays: MAX_VALID_FOR_DAYS + 1 }, NOW))?.code).toBe('OUT_OF_RANGE');
    expect(refusal(() => assessmentExpiry({ expiresAt: later(3), validForDays: 3 }, NOW))?.message).toBe(
      'validForDays: give expiresAt or validForDays, not both',
    );
  });
});

describe('isInForce', () => {
  const set = { createdAt: later(-1), expiresAt: later(1), endedAt: null };
  it('holds from the moment it was set until it expires or is ended', () => {
    expect(isInForce(set, NOW)).toBe(true);
    expect(isInForce(set, set.createdAt)).toBe(true);
    expect(isInForce(set, set.expiresAt)).toBe(false);
    expect(isInForce(set, later(-2))).toBe(false);
    expect(isInForce({ ...set, endedAt: later(-0.5) }, NOW)).toBe(false);
  });
});
