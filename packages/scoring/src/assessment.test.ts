import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScoringInputError } from './errors.ts';
import { scoreCustomer } from './score.ts';
import { history } from './testing/arbitraries.ts';
import { AS_OF, DEFAULT_COMPILED, daysBefore, touch } from './testing/model.ts';
import type { InteractionInput, ManualAssessmentInput } from './types.ts';

const score = (interactions: InteractionInput[], assessment?: ManualAssessmentInput | null, asOf = AS_OF) =>
  scoreCustomer(DEFAULT_COMPILED, { assessment }, interactions, asOf);

const assessment = (overrides: Partial<ManualAssessmentInput> = {}): ManualAssessmentInput => ({
  score: 10,
  reason: 'champion left the company',
  setAt: daysBefore(AS_OF, 2),
  expiresAt: daysBefore(AS_OF, -28),
  ...overrides,
});

describe('manual assessment', () => {
  it('takes its weight of the score while in force, and says so', () => {
    const interactions = [touch('meeting', 3, { sentiment: 'LIKED' }), touch('email', 5)];
    const automated = score(interactions);
    const assessed = score(interactions, assessment({ weight: 0.4 }));
    expect(assessed.score).toBeCloseTo(automated.score * 0.6 + 10 * 0.4, 0);
    expect(assessed.assessment).toMatchObject({
      score: 10,
      weight: 0.4,
      contribution: 4,
      reason: 'champion left the company',
    });
    const flag = assessed.flags.find((f) => f.code === 'MANUAL_ASSESSMENT')!;
    // Its figures for a display in another language; the manager's own words stay in the message.
    expect(flag.params).toEqual({ score: 10, weightPercent: 40, until: assessed.assessment!.expiresAt.slice(0, 10) });
    expect(flag.message).toBe(
      `manual assessment 10 counts for 40% until ${flag.params!.until}: champion left the company`,
    );
    expect(automated.assessment).toBeUndefined();
  });

  it('counts for nothing before it is set and from the moment it expires', () => {
    const interactions = [touch('meeting', 3, { sentiment: 'LIKED' })];
    const automated = score(interactions);
    expect(
      score(interactions, assessment({ setAt: daysBefore(AS_OF, -1), expiresAt: daysBefore(AS_OF, -10) })),
    ).toEqual(automated);
    expect(score(interactions, assessment({ setAt: daysBefore(AS_OF, 30), expiresAt: AS_OF }))).toEqual(automated);
  });

  it('refuses a rating outside 0–100, a weight outside 0–1 and an expiry before it was set', () => {
    for (const [bad, field] of [
      [{ score: 101 }, 'customer.assessment.score'],
      [{ weight: 1.5 }, 'customer.assessment.weight'],
      [{ expiresAt: daysBefore(AS_OF, 3) }, 'customer.assessment.expiresAt'],
    ] as const) {
      const error = (() => {
        try {
          score([], assessment(bad));
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(ScoringInputError);
      expect((error as ScoringInputError).field).toBe(field);
    }
  });

  it('keeps the score within 0–100 and the contributions adding up to it', () => {
    fc.assert(
      fc.property(
        history(),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (interactions, rating, weight) => {
          const result = score(interactions, assessment({ score: rating, weight }));
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(100);
          if (result.coverage === 0) return;
          const total =
            result.categories.reduce((sum, category) => sum + category.contribution, 0) +
            result.assessment!.contribution;
          expect(Math.abs(total - result.score)).toBeLessThanOrEqual(0.06 + 0.005 * result.categories.length);
        },
      ),
    );
  });
});
