// Promises of docs/scoring-model.md ("Model v2") that an outside probe through the API found
// broken, one by one on the pure engine, with the probe's own histories.
import { describe, expect, it } from 'vitest';
import { scoreCustomer } from '../score.ts';
import { AS_OF, DEFAULT_COMPILED, touch } from '../testing/model.ts';
import { evenPeers, V2 } from '../testing/model-v2.ts';
import type { InteractionInput, Sentiment } from '../types.ts';
import { buildPeerReference, peerPercentile } from './activity.ts';

const peers = evenPeers(0, 1.6);
const score = (interactions: InteractionInput[], withPeers = true) =>
  scoreCustomer(V2, {}, interactions, AS_OF, withPeers ? { peers } : {});

/** 69 interactions over 90 days: an email and 2 product sessions every 4 days, the last `end` days ago. */
function baseHistory(end: number): InteractionInput[] {
  const history: InteractionInput[] = [];
  for (let k = 0; k < 23; k++) {
    const ago = end + 4 * k;
    history.push(touch('email', ago), touch('product_session', ago), touch('product_session', ago));
  }
  return history;
}

describe('formula 2: what the probe found', () => {
  it('longer silence never raises the score, with peers or without', () => {
    for (const withPeers of [true, false]) {
      const scores = [30, 60, 120, 365, 700, 1000, 2000].map((days) => score(baseHistory(days), withPeers).score);
      for (let i = 1; i < scores.length; i++)
        expect(scores[i], `${withPeers}: ${scores}`).toBeLessThanOrEqual(scores[i - 1]!);
    }
  });

  it('on a cancellation intent, "liked" costs no more than no sentiment, and "wasted my time" the most', () => {
    const base = baseHistory(1);
    const withIntent = (sentiment: Sentiment | null) =>
      score([...base, touch('cancellation_intent', 1 / 24, { sentiment })]).score;
    expect(withIntent('LIKED')).toBe(withIntent(null));
    expect(withIntent('INDIFFERENT')).toBe(withIntent(null));
    expect(withIntent('DISLIKED')).toBeLessThan(withIntent(null));
    expect(withIntent('WASTED_TIME')).toBeLessThanOrEqual(withIntent('DISLIKED'));
    // The same in the CANCELLATION journey stage of another type.
    const leaving = (sentiment: Sentiment | null) =>
      score([...base, touch('support_ticket', 1 / 24, { sentiment, journeyStage: 'CANCELLATION' })]).score;
    expect(leaving('LIKED')).toBe(leaving(null));
    expect(leaving('WASTED_TIME')).toBeLessThanOrEqual(leaving('DISLIKED'));
  });

  it('a good answer that engagement does not back does not end silence either', () => {
    const silent = baseHistory(365);
    const before = score(silent);
    for (const answer of [
      touch('nps', 0, { value: 10 }),
      touch('csat', 0, { value: 5 }),
      touch('micro_rating', 0, { sentiment: 'LIKED' }),
    ]) {
      const after = score([...silent, answer]);
      const discounted = after.flags.find((f) => f.code === 'UPSELL_DISCOUNTED');
      expect(discounted?.params?.percent).toBe(0);
      expect(after.score).toBe(before.score);
      expect(after.silenceFactor).toBe(before.silenceFactor);
    }
    // A passive answer says nothing good: it does not end silence (docs: "a good answer").
    expect(score([...silent, touch('nps', 0, { value: 7 })]).silenceFactor).toBe(before.silenceFactor);
  });

  it('a good answer that engagement backs in full ends silence', () => {
    // Active in the product until 30 days ago, then silent: the answer ends silence once backed.
    const history = [...baseHistory(25)];
    const before = score(history);
    expect(before.silenceFactor).toBeLessThan(1);
    const after = score([...history, touch('nps', 0, { value: 10 })]);
    expect(after.score).toBeGreaterThanOrEqual(before.score);
  });

  it('a tiny difference in activity rate gives a tiny difference in percentile', () => {
    const crowded = buildPeerReference(
      new Map([['engagement', Array.from({ length: 40 }, (_, i) => (i < 10 ? 0.2 + i * 0.01 : 0.5214))]]),
    ).get('engagement')!;
    const low = peerPercentile(crowded, 0.5213);
    const high = peerPercentile(crowded, 0.5215);
    expect(Math.abs(high - low)).toBeLessThan(0.01);
    // Exact ties still count half, and the percentile never falls as the rate rises.
    expect(peerPercentile(crowded, 0.5214)).toBeCloseTo((10 + 15) / 40, 6);
    let previous = 0;
    for (let rate = 0; rate < 1; rate += 0.0007) {
      const percentile = peerPercentile(crowded, rate);
      expect(percentile).toBeGreaterThanOrEqual(previous);
      previous = percentile;
    }
  });

  it('the "little data" flag does not claim the score stays near 50', () => {
    const result = score([touch('nps', 0, { value: 0 })]);
    expect(result.band.key).toBe('AT_RISK');
    const unsure = result.flags.find((f) => f.code === 'NOT_ENOUGH_DATA')!;
    expect(unsure.message).toContain(`confidence ${unsure.params!.confidencePercent} %`);
    expect(unsure.message).not.toContain('near the neutral 50');
  });

  it('silence after a sale reads as no engagement, not as complaints', () => {
    const result = score([...baseHistory(365), touch('upsell', 0)]);
    const silence = result.flags.find((f) => f.code === 'SILENCE')!;
    expect(silence.message).not.toContain('only complaints');
    expect(silence.message).toMatch(/^no real engagement for 365 days/);
    expect(silence.params).toEqual({ days: 365, laterRecords: 1 });
  });
});

describe('formula 1: what the probe found', () => {
  it('flags "wasted my time" on a cancellation intent', () => {
    const result = scoreCustomer(
      DEFAULT_COMPILED,
      {},
      [touch('email', 1), touch('cancellation_intent', 1, { sentiment: 'WASTED_TIME' })],
      AS_OF,
    );
    expect(result.flags.find((f) => f.code === 'WASTED_TIME')?.params).toEqual({ count: 1 });
  });
});
