// Properties of one customer's score over generated interaction histories (default catalogue).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from './curves.ts';
import { scoreCustomer } from './score.ts';
import { anyInteraction, history, interactionIn, interactionOfType, undecayedPoints } from './testing/arbitraries.ts';
import { AS_OF, DEFAULT_COMPILED } from './testing/model.ts';
import { evenPeers, V2 } from './testing/model-v2.ts';
import type { InteractionInput, ScoreResult, Sentiment } from './types.ts';
import { DEFAULT_INTERACTION_TYPES_V2 } from './v2/defaults.ts';
import { readInteraction } from './v2/signals.ts';

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

// Formula 2 (the default model), the same promises over the v2 catalogue, with and without peers.
describe('scoreCustomer properties, formula 2', () => {
  const peers = evenPeers(0, 1.6);
  const v2History = history(DEFAULT_INTERACTION_TYPES_V2, 30);
  const anyV2 = interactionIn(DEFAULT_INTERACTION_TYPES_V2);
  const withPeers = fc.boolean();
  const scoreV2 = (interactions: InteractionInput[], usePeers: boolean, asOf = AS_OF): ScoreResult =>
    scoreCustomer(V2, {}, interactions, asOf, usePeers ? { peers } : {});
  const readingOf = (interaction: InteractionInput) => {
    const type = V2.types.get(interaction.typeKey)!;
    return readInteraction(type, V2.measuresActivity[type.categoryIndex]!, interaction, 0);
  };
  /** Good news or a plain touch: nothing bad said, nothing grave. */
  const isPositive = (interaction: InteractionInput) => {
    const reading = readingOf(interaction);
    return !reading.grave && reading.valence >= 0;
  };
  /**
   * A touch read as activity: a rate against the customer's own level and its peers, not good news
   * (open: docs/scoring-model.md, "Known limits"). At intensity 0 it has no volume, yet it is still a
   * record of the category, and so still such a touch.
   */
  const isActivityTouch = (interaction: InteractionInput) => {
    const reading = readingOf(interaction);
    const measured = V2.measuresActivity[V2.types.get(interaction.typeKey)!.categoryIndex]!;
    return reading.activity > 0 || (measured && reading.valence === 0 && !reading.grave);
  };
  const firstAt = (interactions: InteractionInput[]) =>
    Math.min(...interactions.map((interaction) => interaction.occurredAt.getTime()));

  it('silence never raises a score: without complaints, the score never rises past the silence window', () => {
    const positive = v2History.filter((interactions) => interactions.length > 0 && interactions.every(isPositive));
    const later = fc.tuple(fc.integer({ min: 0, max: 2000 * DAY_MS }), fc.integer({ min: DAY_MS, max: 400 * DAY_MS }));
    fc.assert(
      fc.property(positive, later, withPeers, (interactions, [offset, step], usePeers) => {
        const last = Math.max(...interactions.map((interaction) => interaction.occurredAt.getTime()));
        const first = new Date(Math.max(last, AS_OF.getTime()) + 21 * DAY_MS + offset);
        const before = scoreV2(interactions, usePeers, first);
        const after = scoreV2(interactions, usePeers, new Date(first.getTime() + step));
        // Within one display step: the rhythm held from the start of silence is read back from
        // decayed sums rounded to 1/10,000, which for a single touch a year old is a few units.
        expect(after.score).toBeLessThanOrEqual(before.score + 0.1);
      }),
    );
  });

  // Scope: the extra interaction is not the customer's first record. A first record older than the
  // others changes the customer's age, which the short-history correction of activity rates reads
  // (an open defect: docs/scoring-model.md, "Known limits").
  const historyAndExtraV2 = fc
    .tuple(v2History, anyV2)
    .filter(([past, extra]) => past.length > 0 && extra.occurredAt.getTime() >= firstAt(past))
    .map(([past, extra]) => [past, { id: 'extra', ...extra }] as const);

  it('never lowers the score with a positive interaction, never raises it with a negative one', () => {
    fc.assert(
      fc.property(historyAndExtraV2, withPeers, ([past, extra], usePeers) => {
        const before = scoreV2(past, usePeers).score;
        const after = scoreV2([...past, extra], usePeers).score;
        const reading = readingOf(extra);
        // What is said (answers, sentiments, sales, thanks). A plain touch of activity is read as a
        // rate against the customer's own level and its peers, where a lone old touch can read as a
        // fall (open: docs/scoring-model.md, "Known limits").
        if (isActivityTouch(extra)) return;
        if (isPositive(extra)) expect(after).toBeGreaterThanOrEqual(before);
        else if (reading.grave || reading.valence < 0) expect(after).toBeLessThanOrEqual(before);
      }),
    );
  });

  it('counts an older copy of an interaction no more than a newer one', () => {
    const ages = fc.tuple(fc.integer({ min: 0, max: 300 * DAY_MS }), fc.integer({ min: 1, max: 300 * DAY_MS }));
    fc.assert(
      fc.property(historyAndExtraV2, ages, withPeers, ([past, extra], [age, extraAge], usePeers) => {
        const recent = { ...extra, occurredAt: new Date(AS_OF.getTime() - age) };
        const older = { ...extra, occurredAt: new Date(AS_OF.getTime() - age - extraAge) };
        fc.pre(older.occurredAt.getTime() >= firstAt(past));
        const withRecent = scoreV2([...past, recent], usePeers).score;
        const withOlder = scoreV2([...past, older], usePeers).score;
        // What is said; activity is read as a rate against the customer's own level, where an
        // older touch weighs the level more than the recent rate (open: "Known limits").
        if (isActivityTouch(extra)) return;
        if (isPositive(extra)) expect(withOlder).toBeLessThanOrEqual(withRecent);
        else if (readingOf(extra).grave) expect(withOlder).toBeGreaterThanOrEqual(withRecent);
      }),
    );
  });

  // "Wasted my time" is the gravest thing a customer can say: on every type it costs what a dislike
  // of the same interaction costs (a survey answer's own bad value included) and a grave signal on
  // top. It once cost only the grave signal, less than a dislike on a customer with little data.
  /** A history and one more interaction of one of `types` (its sentiment set by the test), with or without peers. */
  const extraOfType = (types: typeof DEFAULT_INTERACTION_TYPES_V2) =>
    fc
      .tuple(v2History, fc.constantFrom(...types))
      .chain(([past, type]) => fc.tuple(fc.constant(past), interactionOfType(type), withPeers));
  /** The score of that history with the interaction under each sentiment asked. */
  const scoredAs =
    ([past, extra, usePeers]: [InteractionInput[], Omit<InteractionInput, 'id'>, boolean]) =>
    (sentiment: Sentiment | null) =>
      scoreV2([...past, { id: 'extra', ...extra, sentiment }], usePeers).score;

  it('"wasted my time" costs at least a dislike, on every type', () => {
    fc.assert(
      fc.property(extraOfType(DEFAULT_INTERACTION_TYPES_V2), (drawn) => {
        const as = scoredAs(drawn);
        expect(as('WASTED_TIME')).toBeLessThanOrEqual(as('DISLIKED'));
      }),
    );
  });

  // NEGATIVE types (a cancellation intent, the commercial losses): every sentiment is a grave signal.
  it('orders sentiments on NEGATIVE types: "wasted my time" ≤ disliked ≤ none = liked = indifferent', () => {
    const negativeTypes = DEFAULT_INTERACTION_TYPES_V2.filter((type) => type.sentimentHandling === 'NEGATIVE');
    fc.assert(
      fc.property(extraOfType(negativeTypes), (drawn) => {
        const as = scoredAs(drawn);
        expect(as('WASTED_TIME')).toBeLessThanOrEqual(as('DISLIKED'));
        expect(as('DISLIKED')).toBeLessThanOrEqual(as(null));
        expect(as('LIKED')).toBe(as(null));
        expect(as('INDIFFERENT')).toBe(as(null));
      }),
    );
  });
});
