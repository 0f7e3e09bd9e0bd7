// Scoring in two steps is scoring: over generated histories and customers (segments, weights,
// peers), finishing a tally gives scoreCustomer's result to the bit, and a tally's peer rates are
// what peers read from the finished score.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreCustomer } from './score.ts';
import { finishScore, tallyCustomer, tallyPeerRates } from './tally.ts';
import { history, interactionIn, withIds } from './testing/arbitraries.ts';
import { AS_OF, DEFAULT_COMPILED } from './testing/model.ts';
import { V2 } from './testing/model-v2.ts';
import type { CustomerScoringInput } from './types.ts';
import { buildPeerReference, peerRatesOf } from './v2/activity.ts';
import { DEFAULT_INTERACTION_TYPES_V2 } from './v2/defaults.ts';

const v2History = fc
  .array(interactionIn(DEFAULT_INTERACTION_TYPES_V2), { maxLength: 60 })
  .map((interactions) => withIds(interactions));

const customer: fc.Arbitrary<CustomerScoringInput> = fc.record({
  segment: fc.option(fc.constantFrom('smb', 'enterprise'), { nil: undefined }),
  weights: fc.option(fc.dictionary(fc.constantFrom('engagement', 'support'), fc.integer({ min: 0, max: 5 })), {
    nil: undefined,
  }),
});

const peers = buildPeerReference(
  new Map([
    ['engagement', Array.from({ length: 40 }, (_, i) => i / 20)],
    ['product_usage', Array.from({ length: 40 }, (_, i) => i / 4)],
  ]),
);

describe('scoring in two steps', () => {
  it('finishes a tally into scoreCustomer’s result, with and without peers', () => {
    fc.assert(
      fc.property(v2History, customer, fc.boolean(), (interactions, input, withPeers) => {
        const context = withPeers ? { peers } : {};
        const tally = tallyCustomer(V2, interactions, AS_OF);
        expect(finishScore(V2, input, tally, AS_OF, context)).toEqual(
          scoreCustomer(V2, input, interactions, AS_OF, context),
        );
      }),
    );
  });

  it('gives the same score without drivers, and holds no interaction then', () => {
    fc.assert(
      fc.property(v2History, customer, (interactions, input) => {
        const tally = tallyCustomer(V2, interactions, AS_OF, { drivers: false });
        expect(tally.drivers).toBeUndefined();
        const { drivers, ...rest } = finishScore(V2, input, tally, AS_OF, { peers });
        const { drivers: _, ...expected } = scoreCustomer(V2, input, interactions, AS_OF, { peers });
        expect(drivers).toEqual({ raised: [], lowered: [] });
        expect(rest).toEqual(expected);
      }),
    );
  });

  it('reads the peer rates peers read from the finished score', () => {
    fc.assert(
      fc.property(v2History, customer, (interactions, input) => {
        const tally = tallyCustomer(V2, interactions, AS_OF);
        expect(tallyPeerRates(V2, tally, input.segment)).toEqual(
          peerRatesOf(scoreCustomer(V2, input, interactions, AS_OF), input.segment),
        );
      }),
    );
  });

  it('refuses formula 1, which scores in one step', () => {
    fc.assert(
      fc.property(history(), (interactions) => {
        expect(() => tallyCustomer(DEFAULT_COMPILED, interactions, AS_OF)).toThrow(/only formula 2/);
      }),
      { numRuns: 3 },
    );
  });

  it('refuses to finish a tally at another instant than it was taken', () => {
    const tally = tallyCustomer(V2, [], AS_OF);
    expect(() => finishScore(V2, {}, tally, new Date(AS_OF.getTime() + 1))).toThrow(/another instant/);
  });
});
