// A model's settings: every problem at once for a change to report, the first for compileModel.
import { describe, expect, it } from 'vitest';
import { compileModel } from './compile.ts';
import { DEFAULT_SETTINGS_V2 } from './v2/defaults.ts';
import { settingsProblems } from './settings.ts';
import { ScoringInputError } from './errors.ts';
import { defaultModel } from './testing/model.ts';

const settings = (changes: Record<string, unknown>) => ({ ...DEFAULT_SETTINGS_V2, ...changes }) as never;
const summary = (changes: Record<string, unknown>) =>
  settingsProblems(settings(changes)).map(({ field, code, detail }) => ({ field, code, detail }));

describe('settingsProblems', () => {
  it('accepts the default settings', () => {
    expect(settingsProblems(DEFAULT_SETTINGS_V2)).toEqual([]);
  });

  it('lists every invalid setting, one problem each, in the settings order', () => {
    expect(
      summary({
        upsellEngagementMin: 101,
        bandAtRiskMax: -1,
        decayHalfLifeDays: 0,
        silenceWindowDays: Number.NaN,
        formula: 3,
      }),
    ).toEqual([
      { field: 'settings.bandAtRiskMax', code: 'OUT_OF_RANGE', detail: 'must be between 0 and 100, got -1' },
      { field: 'settings.decayHalfLifeDays', code: 'OUT_OF_RANGE', detail: 'must be > 0, got 0' },
      { field: 'settings.silenceWindowDays', code: 'INVALID_NUMBER', detail: 'must be a finite number, got NaN' },
      { field: 'settings.upsellEngagementMin', code: 'OUT_OF_RANGE', detail: 'must be between 0 and 100, got 101' },
      { field: 'settings.formula', code: 'INVALID_MODEL', detail: 'must be 1 or 2, got 3' },
    ]);
  });

  it('names thresholds out of order only when the at-risk threshold is itself valid', () => {
    expect(summary({ bandAtRiskMax: 60, bandNeedsAttentionMax: 55 })).toEqual([
      {
        field: 'settings.bandNeedsAttentionMax',
        code: 'THRESHOLDS_OUT_OF_ORDER',
        detail: 'the needs-attention threshold (55) must not be below the at-risk threshold (60)',
      },
    ]);
    expect(summary({ bandAtRiskMax: 160, bandNeedsAttentionMax: 55 }).map((p) => p.field)).toEqual([
      'settings.bandAtRiskMax',
    ]);
  });

  it('is what compileModel enforces: it throws the first problem', () => {
    const model = { ...defaultModel(), settings: settings({ decayHalfLifeDays: -2, upsellEngagementMin: 300 }) };
    const [first] = settingsProblems(model.settings);
    expect(() => compileModel(model)).toThrow(ScoringInputError);
    expect(() => compileModel(model)).toThrow(first!.message);
  });
});
