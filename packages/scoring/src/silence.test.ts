// Silence: a customer who stops talking drifts towards "at risk" as the "as of" instant advances.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModel } from './compile.ts';
import { DAY_MS } from './curves.ts';
import { DEFAULT_INTERACTION_TYPES_V1 } from './defaults-v1.ts';
import { scoreCustomer } from './score.ts';
import { history, undecayedPoints } from './testing/arbitraries.ts';
import { AS_OF, DEFAULT_COMPILED, daysBefore, defaultModel, touch } from './testing/model.ts';
import type { InteractionInput } from './types.ts';

const model = DEFAULT_COMPILED;
const latest = (interactions: InteractionInput[]) =>
  Math.max(...interactions.map((interaction) => interaction.occurredAt.getTime()));
const positiveHistory = history(DEFAULT_INTERACTION_TYPES_V1, 30).filter(
  (interactions) =>
    interactions.length > 0 && interactions.every((interaction) => undecayedPoints(model, interaction) >= 0),
);

describe('silence', () => {
  it('never lets a score without complaints rise as time passes, and lowers it once past the window', () => {
    const later = fc.tuple(
      fc.integer({ min: 0, max: 120 * DAY_MS }),
      fc.integer({ min: 7 * DAY_MS, max: 60 * DAY_MS }),
    );
    fc.assert(
      fc.property(positiveHistory, later, (interactions, [offset, step]) => {
        // From the end of the window to four months past it: further out, a week's change can
        // round away (the factor approaches its floor), which the second property covers.
        const first = new Date(latest(interactions) + 21 * DAY_MS + offset);
        const second = new Date(first.getTime() + step);
        const before = scoreCustomer(model, {}, interactions, first);
        const after = scoreCustomer(model, {}, interactions, second);
        expect(after.silenceFactor).toBeLessThan(before.silenceFactor);
        expect(after.score).toBeLessThan(before.score);
      }),
    );
  });

  it('never raises any score: it only takes a share away', () => {
    const noSilence = compileModel(defaultModel({ settings: { ...defaultModel().settings, silenceWindowDays: 1e6 } }));
    fc.assert(
      fc.property(history(), (interactions) => {
        const silent = scoreCustomer(model, {}, interactions, AS_OF);
        const ignored = scoreCustomer(noSilence, {}, interactions, AS_OF);
        expect(silent.score).toBeLessThanOrEqual(ignored.score);
        expect(silent.score).toBeGreaterThanOrEqual(Math.floor(ignored.score / 2) - 0.1);
      }),
    );
  });

  it('starts after the window and says so in plain words', () => {
    const interactions = [touch('meeting', 0, { sentiment: 'LIKED' }), touch('product_session', 0)];
    const at = (days: number) => scoreCustomer(model, {}, interactions, daysBefore(AS_OF, -days));
    expect(at(21).silenceFactor).toBe(1);
    expect(at(21).flags.map((flag) => flag.code)).not.toContain('SILENCE');
    const silent = at(45);
    expect(silent.silenceFactor).toBeLessThan(1);
    expect(silent.flags).toContainEqual({ code: 'SILENCE', message: 'silent for 45 days', params: { days: 45 } });
    expect(at(60).score).toBeLessThan(silent.score);
  });

  it('is not ended by a complaint, so a complaint never raises a score', () => {
    const interactions = [
      touch('meeting', 60, { sentiment: 'LIKED' }),
      touch('support_ticket', 1, { sentiment: 'DISLIKED' }),
    ];
    const result = scoreCustomer(model, {}, interactions, AS_OF);
    expect(result.flags).toContainEqual({
      code: 'SILENCE',
      message: 'no positive contact for 60 days',
      params: { days: 60, onlyComplaints: 1 },
    });
    expect(result.score).toBeLessThan(scoreCustomer(model, {}, interactions.slice(0, 1), AS_OF).score);
  });

  it('drives a healthy customer who stops talking into "at risk" within about two months', () => {
    const healthy: InteractionInput[] = [];
    for (let day = 0; day < 90; day += 7)
      healthy.push(touch('email', day), touch('meeting', day + 3, { sentiment: 'LIKED' }));
    for (let day = 0; day < 90; day += 1) healthy.push(touch('product_session', day));
    healthy.push(touch('nps', 10, { value: 9 }), touch('renewal', 30));
    const at = (days: number) => scoreCustomer(model, {}, healthy, new Date(AS_OF.getTime() + days * DAY_MS));
    expect(at(0).band.key).toBe('HEALTHY');
    expect(at(60).band.key).toBe('AT_RISK');
  });
});
