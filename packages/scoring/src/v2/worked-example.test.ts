// The worked example of docs/scoring-model.md ("Model v2"), number by number: the page cannot drift
// from the code.
import { describe, expect, it } from 'vitest';
import { scoreCustomer } from '../score.ts';
import { AS_OF, touch } from '../testing/model.ts';
import { evenPeers, rhythm, V2 } from '../testing/model-v2.ts';

describe('docs/scoring-model.md, worked example (model v2)', () => {
  const history = [
    ...rhythm('email', 2, 180),
    ...rhythm('meeting', 0.25, 180),
    ...rhythm('product_session', 7, 180, 30),
    ...rhythm('product_session', 3, 30),
    touch('nps', 20, { value: 9 }),
    touch('renewal', 10),
    touch('support_ticket', 5, { sentiment: 'WASTED_TIME' }),
  ];
  const result = scoreCustomer(V2, {}, history, AS_OF, { peers: evenPeers(0, 1.6) });
  const category = (key: string) => result.categories.find((c) => c.key === key)!;

  it('reads activity against its own level and its peers', () => {
    expect(category('engagement')).toMatchObject({ subScore: 91.1, activity: { peerPercentile: 0.4979 } });
    expect(category('product_usage')).toMatchObject({ subScore: 54.4, activity: { peerPercentile: 0.3408 } });
    expect(category('product_usage').activity!.change).toBeCloseTo(-0.32, 2);
    expect(result.flags.find((f) => f.code === 'ACTIVITY_FALLING')?.message).toContain('down 32 %');
  });

  it('weighs what was said by its evidence, and the grave signal on the whole score', () => {
    expect(category('commercial')).toMatchObject({ subScore: 100, evidence: 0.57 });
    expect(category('satisfaction').evidence).toBeCloseTo(0.44, 2);
    expect(category('support')).toMatchObject({ subScore: 0, evidence: 0.3606 });
    expect(result.confidence).toBeCloseTo(0.76, 2);
    expect(result.graveSignalFactor).toBeCloseTo(0.754, 3);
    expect(result.score).toBe(53.9);
    expect(result.band.key).toBe('NEEDS_ATTENTION');
    expect(result.drivers.raised.map((d) => [d.typeKey, d.points])).toEqual([
      ['renewal', 13.25],
      ['nps', 7.81],
    ]);
    expect(result.drivers.lowered.map((d) => [d.typeKey, d.points])).toEqual([['support_ticket', -33.84]]);
    const disliked = [...history.slice(0, -1), touch('support_ticket', 5, { sentiment: 'DISLIKED' })];
    expect(scoreCustomer(V2, {}, disliked, AS_OF, { peers: evenPeers(0, 1.6) }).score).toBe(71.4);
    const without = history.filter((t) => t.typeKey !== 'support_ticket');
    expect(scoreCustomer(V2, {}, without, AS_OF, { peers: evenPeers(0, 1.6) }).score).toBe(76.2);
  });
});
