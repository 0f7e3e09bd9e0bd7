// Properties of one customer's score over generated interaction histories (default catalogue).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from './curves.ts';
import { scoreCustomer } from './score.ts';
import { anyInteraction, history, undecayedPoints } from './testing/arbitraries.ts';
import { AS_OF, DEFAULT_COMPILED } from './testing/model.ts';
import type { InteractionInput, ScoreResult } from './types.ts';

const model = DEFAULT_COMPILED;
const score = (interactions: InteractionInput[], asOf = AS_OF): ScoreResult =>
  scoreCustomer(model, {}, interactions, asOf);
const categoryOf = (interaction: Pick<InteractionInput, 'typeKey'>): number =>
  model.types.get(interaction.typeKey)!.categoryIndex;
const subScore = (result: ScoreResult, category: number): number | null => result.categories[category]!.subScore;

/** A history plus one more interaction whose category the history already has data in. */
const historyAndExtra = fc
  .tuple(history(), anyInteraction)
  .filter(([past, extra]) => past.some((interaction) => categoryOf(interaction) === categoryOf(extra)))
  .map(([past, extra]) => [past, { id: 'extra', ...extra }] as const);

describe('scoreCustomer properties', () => {
  it('keeps the score, sub-scores, coverage and effective weights within bounds', () => {
    fc.assert(
      fc.property(history(), (interactions) => {
        const result = score(interactions);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(result.coverage).toBeGreaterThanOrEqual(0);
        expect(result.coverage).toBeLessThanOrEqual(1);
        for (const category of result.categories) {
          if (category.subScore !== null) {
            expect(category.subScore).toBeGreaterThanOrEqual(0);
            expect(category.subScore).toBeLessThanOrEqual(100);
          }
          expect(category.effectiveWeight).toBeGreaterThanOrEqual(0);
          expect(category.effectiveWeight).toBeLessThanOrEqual(1);
        }
        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      }),
    );
  });

  it('gives the same result whatever the order of the interactions', () => {
    const shuffled = history().chain((interactions) =>
      fc.tuple(
        fc.constant(interactions),
        fc.shuffledSubarray(interactions, { minLength: interactions.length, maxLength: interactions.length }),
      ),
    );
    fc.assert(
      fc.property(shuffled, ([interactions, permutation]) => {
        expect(score(permutation)).toEqual(score(interactions));
      }),
    );
  });

  it('makes contributions add up to the score, to rounding', () => {
    fc.assert(
      fc.property(history(), (interactions) => {
        const result = score(interactions);
        if (result.coverage === 0) return; // no data: the neutral 50, no category contributes
        const total = result.categories.reduce((sum, category) => sum + category.contribution, 0);
        expect(Math.abs(total - result.score)).toBeLessThanOrEqual(0.05 + 0.005 * result.categories.length);
      }),
    );
  });

  it('never lowers the score with a positive interaction, never raises it with a negative one', () => {
    fc.assert(
      fc.property(historyAndExtra, ([past, extra]) => {
        const before = score(past);
        const after = score([...past, extra]);
        const category = categoryOf(extra);
        if (undecayedPoints(model, extra) >= 0) {
          expect(after.score).toBeGreaterThanOrEqual(before.score);
          expect(subScore(after, category)!).toBeGreaterThanOrEqual(subScore(before, category)!);
        } else {
          expect(after.score).toBeLessThanOrEqual(before.score);
          expect(subScore(after, category)!).toBeLessThanOrEqual(subScore(before, category)!);
        }
      }),
    );
  });

  it('counts the same interaction less the older it is', () => {
    const ages = fc.tuple(fc.integer({ min: 0, max: 300 * DAY_MS }), fc.integer({ min: 1, max: 300 * DAY_MS }));
    fc.assert(
      fc.property(historyAndExtra, ages, ([past, extra], [age, extraAge]) => {
        const recent = { ...extra, occurredAt: new Date(AS_OF.getTime() - age) };
        const older = { ...extra, occurredAt: new Date(AS_OF.getTime() - age - extraAge) };
        const withRecent = score([...past, recent]);
        const withOlder = score([...past, older]);
        const category = categoryOf(extra);
        const alone = (interaction: InteractionInput) =>
          Math.abs(
            score([interaction]).drivers.raised[0]?.points ?? score([interaction]).drivers.lowered[0]?.points ?? 0,
          );
        expect(alone(older)).toBeLessThanOrEqual(alone(recent));
        if (undecayedPoints(model, extra) >= 0) {
          expect(withOlder.score).toBeLessThanOrEqual(withRecent.score);
          expect(subScore(withOlder, category)!).toBeLessThanOrEqual(subScore(withRecent, category)!);
        } else {
          expect(withOlder.score).toBeGreaterThanOrEqual(withRecent.score);
          expect(subScore(withOlder, category)!).toBeGreaterThanOrEqual(subScore(withRecent, category)!);
        }
      }),
    );
  });

  it('names the strongest drivers, positive ones raising and negative ones lowering', () => {
    fc.assert(
      fc.property(history(), (interactions) => {
        const { raised, lowered } = score(interactions).drivers;
        expect(raised.length).toBeLessThanOrEqual(3);
        expect(lowered.length).toBeLessThanOrEqual(3);
        for (const driver of raised) expect(driver.points).toBeGreaterThanOrEqual(0);
        for (const driver of lowered) expect(driver.points).toBeLessThanOrEqual(0);
        for (let index = 1; index < raised.length; index++) {
          expect(raised[index]!.points).toBeLessThanOrEqual(raised[index - 1]!.points);
        }
        for (let index = 1; index < lowered.length; index++) {
          expect(lowered[index]!.points).toBeGreaterThanOrEqual(lowered[index - 1]!.points);
        }
      }),
    );
  });
});
