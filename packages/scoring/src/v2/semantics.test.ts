// The source material's claims that formula 1 missed (issue 14), one by one, on the pure engine.
// The same claims are proven through the public API in apps/server (model-v2 tests).
import { describe, expect, it } from 'vitest';
import { scoreCustomer } from '../score.ts';
import { AS_OF, touch } from '../testing/model.ts';
import { engagedYear, evenPeers, rhythm, V2 } from '../testing/model-v2.ts';
import type { InteractionInput } from '../types.ts';

// The engaged customer (about 0.8 points a day in each activity category) sits at their median.
const peers = evenPeers(0, 1.6);
const score = (interactions: InteractionInput[]) => scoreCustomer(V2, {}, interactions, AS_OF, { peers });
const base = engagedYear();
const baseline = score(base).score;
const cost = (extra: InteractionInput) => baseline - score([...base, extra]).score;

describe('formula 2: the source material', () => {
  it('an engaged, steady customer is healthy', () => {
    expect(score(base).band.key).toBe('HEALTHY');
  });

  it('"wasted my time" is the gravest signal, from the rating widget too', () => {
    const wasted = cost(touch('micro_rating', 1, { sentiment: 'WASTED_TIME' }));
    const priceComplaint = cost(touch('spontaneous_feedback', 1, { sentiment: 'DISLIKED' }));
    const npsZero = cost(touch('nps', 1, { value: 0 }));
    expect(wasted).toBeGreaterThan(priceComplaint);
    expect(wasted).toBeGreaterThan(npsZero);
    expect(wasted).toBeGreaterThan(10);
    expect(score([...base, touch('micro_rating', 1, { sentiment: 'WASTED_TIME' })]).flags.map((f) => f.code)).toEqual(
      expect.arrayContaining(['WASTED_TIME', 'GRAVE_SIGNALS']),
    );
  });

  it('an upsell counts only when recent engagement is above neutral, and says so when it is not', () => {
    const stoppedAYearAgo = [...rhythm('email', 2, 730, 365), ...rhythm('product_session', 5, 730, 365)];
    const before = score(stoppedAYearAgo);
    const after = score([...stoppedAYearAgo, touch('upsell', 1)]);
    expect(after.score).toBeCloseTo(before.score, 1);
    const discounted = after.flags.find((f) => f.code === 'UPSELL_DISCOUNTED')!;
    expect(discounted.message).toContain(`count ${discounted.params!.percent} %`);
    expect(discounted.message).toContain(
      discounted.params!.engagement === undefined
        ? 'no activity on record'
        : `, as engagement is only ${discounted.params!.engagement} (full credit from ${discounted.params!.engagementMin})`,
    );
    expect(cost(touch('upsell', 1))).toBeLessThan(0);
  });

  it('satisfaction alone is not loyalty: one NPS 10 or one CSAT 5 and nothing else is not healthy', () => {
    for (const answer of [touch('nps', 1, { value: 10 }), touch('csat', 1, { value: 5 })]) {
      const result = score([answer]);
      expect(result.band.key).not.toBe('HEALTHY');
      const unsure = result.flags.find((f) => f.code === 'NOT_ENOUGH_DATA')!;
      expect(unsure.message).toContain(`confidence ${unsure.params!.confidencePercent} %`);
      expect(result.confidence).toBeLessThan(0.25);
    }
  });

  it('one indifferent click after 90 days of silence does not lift the score', () => {
    const silent = [...rhythm('email', 2, 365, 90), ...rhythm('product_session', 5, 365, 90)];
    const before = score(silent).score;
    expect(score([...silent, touch('email', 0, { sentiment: 'INDIFFERENT' })]).score).toBeLessThanOrEqual(before);
    expect(score([...silent, touch('support_ticket', 0, { sentiment: 'DISLIKED' })]).score).toBeLessThan(before);
  });

  it('a positive interaction never lowers a score: an upsell without engagement data changes nothing', () => {
    const usageOnly = rhythm('nps', 0.05, 365).map((t) => ({ ...t, value: 9 }));
    const before = score(usageOnly).score;
    expect(score([...usageOnly, touch('upsell', 1)]).score).toBeGreaterThanOrEqual(before);
    expect(score([touch('upsell', 1)]).score).toBe(50);
  });

  it('repeated support contacts without a good outcome are friction: eight tickets score below one', () => {
    const one = score([...base, touch('support_ticket', 3)]).score;
    const eight = score([...base, ...Array.from({ length: 8 }, (_, i) => touch('support_ticket', 3 + i))]).score;
    expect(eight).toBeLessThan(one);
    expect(cost(touch('support_ticket', 3, { sentiment: 'LIKED' }))).toBeLessThanOrEqual(0);
  });

  it('cancellation intent is strongly negative, worse than a dislike', () => {
    const intent = cost(touch('cancellation_intent', 1));
    expect(intent).toBeGreaterThan(cost(touch('comment', 1, { sentiment: 'DISLIKED' })));
    expect(intent).toBeGreaterThan(8);
  });

  it('journey stage means something: a ticket in the CANCELLATION stage is cancellation intent', async () => {
    const ticket = cost(touch('support_ticket', 1));
    const leaving = cost(touch('support_ticket', 1, { journeyStage: 'CANCELLATION', sentiment: 'LIKED' }));
    expect(leaving).toBeGreaterThan(8);
    expect(leaving).toBeGreaterThan(ticket);
    expect(score([...base, touch('email', 1, { journeyStage: 'USAGE' })]).score).toBe(
      score([...base, touch('email', 1)]).score,
    );
  });

  it('a sentiment on a type without one is given its meaning, never dropped: a like sent as WASTED_TIME costs', () => {
    expect(cost(touch('like', 1, { sentiment: 'WASTED_TIME' }))).toBeGreaterThan(10);
    expect(cost(touch('like', 1, { sentiment: 'DISLIKED' }))).toBeGreaterThan(0);
  });

  it('NPS by its own semantics: detractors cost, passives are neutral, promoters raise', () => {
    const nps = (value: number) => score([...base, touch('nps', 1, { value })]);
    expect(nps(7).score).toBe(nps(8).score);
    expect(baseline - nps(6).score).toBeGreaterThan(2);
    expect(nps(9).score).toBeGreaterThan(nps(8).score);
    expect(nps(10).score).toBeGreaterThan(nps(9).score);
  });

  it('"indifferent" costs something', () => {
    expect(cost(touch('email', 1, { sentiment: 'INDIFFERENT' }))).toBeGreaterThan(0);
  });

  it('commercial signals go both ways: a downsell, a seat reduction, a failed payment cost', () => {
    for (const key of ['downsell', 'seat_reduction', 'addon_removed', 'payment_failed', 'term_shortened']) {
      expect(cost(touch(key, 1)), key).toBeGreaterThan(0);
    }
  });
});

describe('formula 2: activity against peers and its own past', () => {
  it('separates customers who send only product usage and billing', () => {
    const customers = [0.5, 1, 2, 4, 8].map((perWeek) => [
      ...rhythm('product_session', perWeek, 365),
      touch('purchase', 300),
      touch('renewal', 30),
    ]);
    const usagePeers = evenPeers(0, 1.2);
    const scores = customers.map((c) => scoreCustomer(V2, {}, c, AS_OF, { peers: usagePeers }).score);
    expect(new Set(scores).size).toBe(scores.length);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });

  it('explains a fall against its own level in plain words', () => {
    const falling = [...rhythm('product_session', 7, 365, 30), ...rhythm('product_session', 2, 30)];
    const result = score(falling);
    const usage = result.categories.find((c) => c.key === 'product_usage')!;
    expect(usage.activity!.change).toBeLessThan(-0.3);
    const flag = result.flags.find((f) => f.code === 'ACTIVITY_FALLING')!;
    expect(flag.message).toMatch(/^Product usage down \d+ % from its own level/);
    // Its figures, for a display in another language: the same numbers the message shows.
    const [, percent, days] = flag.message.match(/down (\d+) %.*last (\d+) days/)!;
    expect(flag.params).toEqual({
      category: 'product_usage',
      categoryName: 'Product usage',
      percent: Number(percent),
      days: Number(days),
    });
    expect(result.score).toBeLessThan(score(rhythm('product_session', 7, 365)).score - 15);
  });

  it('without peers, a steady customer is still read by its trend', () => {
    const result = scoreCustomer(V2, {}, base, AS_OF);
    expect(result.categories.find((c) => c.key === 'engagement')!.activity!.peerPercentile).toBeNull();
    expect(result.score).toBeGreaterThan(60);
  });

  it('does not depend on the order of the interactions', () => {
    const mixed = [...base, touch('nps', 2, { value: 3 }), touch('upsell', 4), touch('support_ticket', 5)];
    const reversed = [...mixed].reverse();
    expect(scoreCustomer(V2, {}, reversed, AS_OF, { peers })).toEqual(scoreCustomer(V2, {}, mixed, AS_OF, { peers }));
  });

  it('contributions and the neutral prior add up to the score', () => {
    const result = score([...base, touch('nps', 2, { value: 10 }), touch('support_ticket', 5)]);
    const sum = result.categories.reduce((total, c) => total + c.contribution, result.neutralContribution!);
    expect(sum).toBeCloseTo(result.score, 0);
  });
});
