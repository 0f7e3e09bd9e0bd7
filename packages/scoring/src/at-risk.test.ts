// The at-risk reasons, drawn from real engine results: their precedence, the steep-drop boundary,
// and the fallback when nothing stands out.
import { describe, expect, it } from 'vitest';
import { atRiskReasons, isSteepDrop, STEEP_DROP } from './at-risk.ts';
import { scoreCustomer } from './score.ts';
import { AS_OF, DEFAULT_COMPILED, touch } from './testing/model.ts';

const scored = (...interactions: ReturnType<typeof touch>[]) =>
  scoreCustomer(DEFAULT_COMPILED, {}, interactions, AS_OF);

describe('isSteepDrop', () => {
  it(`counts a fall of ${STEEP_DROP} points or more, not less, and not an unknown change`, () => {
    expect(isSteepDrop(-STEEP_DROP)).toBe(true);
    expect(isSteepDrop(-25.5)).toBe(true);
    expect(isSteepDrop(-STEEP_DROP + 0.1)).toBe(false);
    expect(isSteepDrop(12)).toBe(false);
    expect(isSteepDrop(null)).toBe(false);
  });
});

describe('atRiskReasons', () => {
  it('says "no data" for a customer never scored, and nothing else', () => {
    expect(atRiskReasons({ result: null, score: null, scoreChange30d: null })).toEqual([
      { code: 'NO_DATA', message: 'no interaction on record', params: {} },
    ]);
  });

  it('puts wasted time first, then silence, the drop, the worst interaction and the weakest category', () => {
    const result = scored(
      touch('support_ticket', 40, { sentiment: 'WASTED_TIME' }),
      touch('support_ticket', 45, { sentiment: 'DISLIKED' }),
      touch('meeting', 50, { sentiment: 'LIKED' }),
    );
    const reasons = atRiskReasons({ result, score: result.score, scoreChange30d: -12.34 });
    expect(reasons.map((r) => r.code)).toEqual([
      'WASTED_TIME',
      'SILENCE',
      'SCORE_DROP',
      'NEGATIVE_INTERACTION',
      'WEAK_CATEGORY',
    ]);
    expect(reasons[2]!.message).toBe('down 12.3 points in 30 days');
    expect(reasons[3]!.message).toMatch(/^support ticket on \d{4}-\d{2}-\d{2}: -\d+(\.\d)? points$/);
    // The figures each message is worded from, for a display in another language.
    const [wasted, silence, drop, negative, weak] = reasons.map((r) => r.params);
    expect(wasted).toEqual({ count: 1 });
    expect(silence).toMatchObject({ days: expect.any(Number), points: expect.any(Number) });
    expect(drop).toEqual({ points: 12.3 });
    expect(negative).toEqual({
      interactionType: 'support_ticket',
      date: reasons[3]!.message.slice(18, 28),
      points: Number(reasons[3]!.message.match(/: (-[\d.]+) points/)![1]),
    });
    expect(weak).toMatchObject({ category: 'support', categoryName: 'Support', subScore: expect.any(Number) });
    expect(reasons[4]!.message).toBe(`support at ${weak!.subScore} out of 100`);
  });

  it('prices silence: the points the silence factor took away', () => {
    const result = scored(touch('meeting', 60, { sentiment: 'LIKED' }));
    expect(result.silenceFactor).toBeLessThan(1);
    const silence = atRiskReasons({ result, score: result.score, scoreChange30d: null }).find(
      (r) => r.code === 'SILENCE',
    );
    const lost = result.score / result.silenceFactor - result.score;
    expect(silence?.message).toMatch(new RegExp(`^silent for \\d+ days: -${Number(lost.toFixed(1))} points$`));
    expect(silence?.params.points).toBe(Number(lost.toFixed(1)));
  });

  it("words formula 2's silence as a headline: what does not end it is left to the flag", () => {
    const flag = {
      code: 'SILENCE' as const,
      message:
        'no real engagement for 149 days (what was recorded since does not end silence: sales, complaints, indifference, answers not backed by use)',
      params: { days: 149, laterRecords: 1 },
    };
    const result = { ...scored(touch('meeting', 60, { sentiment: 'LIKED' })), flags: [flag] };
    const silence = atRiskReasons({ result, score: result.score, scoreChange30d: null }).find(
      (r) => r.code === 'SILENCE',
    )!;
    expect(silence.message).toMatch(/^no real engagement for 149 days: -\d+(\.\d)? points$/);
    expect(silence.message.length).toBeLessThanOrEqual(45);
    expect(silence.params).toMatchObject({ days: 149, laterRecords: 1, points: expect.any(Number) });
  });

  it('words its figures to one decimal, without a trailing ".0"', () => {
    const result = scored(touch('meeting', 2, { sentiment: 'LIKED' }));
    const [drop] = atRiskReasons({ result, score: result.score, scoreChange30d: -20 }).filter(
      (r) => r.code === 'SCORE_DROP',
    );
    expect(drop?.message).toBe('down 20 points in 30 days');
    const [fractional] = atRiskReasons({ result, score: result.score, scoreChange30d: -20.04 }).filter(
      (r) => r.code === 'SCORE_DROP',
    );
    expect(fractional?.message).toBe('down 20 points in 30 days');
  });

  it('leaves out a drop short of steep', () => {
    const result = scored(touch('meeting', 2, { sentiment: 'LIKED' }));
    const codes = atRiskReasons({ result, score: result.score, scoreChange30d: -9.9 }).map((r) => r.code);
    expect(codes).not.toContain('SCORE_DROP');
  });

  it('falls back to a low score when the explanation names no cause', () => {
    const result = scored(touch('meeting', 2, { sentiment: 'LIKED' }), touch('email', 1));
    expect(atRiskReasons({ result, score: 42, scoreChange30d: 3 })).toEqual([
      { code: 'LOW_SCORE', message: 'score 42 with no single outstanding cause', params: { score: 42 } },
    ]);
  });
});
