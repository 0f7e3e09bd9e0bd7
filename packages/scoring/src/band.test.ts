import { describe, expect, it } from 'vitest';
import { bandFor } from './band.ts';
import { DEFAULT_SETTINGS_V1 } from './defaults-v1.ts';
import { ScoringInputError } from './errors.ts';

describe('bandFor', () => {
  it('uses inclusive upper bounds: 0–50, 51–70, 71–100 by default', () => {
    expect(bandFor(0, DEFAULT_SETTINGS_V1).key).toBe('AT_RISK');
    expect(bandFor(50, DEFAULT_SETTINGS_V1).key).toBe('AT_RISK');
    expect(bandFor(50.1, DEFAULT_SETTINGS_V1).key).toBe('NEEDS_ATTENTION');
    expect(bandFor(70, DEFAULT_SETTINGS_V1).key).toBe('NEEDS_ATTENTION');
    expect(bandFor(71, DEFAULT_SETTINGS_V1)).toEqual({ key: 'HEALTHY', label: 'Healthy', color: '#2f9e6b' });
  });

  it('follows the workspace thresholds', () => {
    const settings = { bandAtRiskMax: 30, bandNeedsAttentionMax: 60 };
    expect(bandFor(45, settings).key).toBe('NEEDS_ATTENTION');
    expect(bandFor(61, settings).key).toBe('HEALTHY');
  });

  it('rejects a score outside 0–100 or NaN', () => {
    expect(() => bandFor(101, DEFAULT_SETTINGS_V1)).toThrow(ScoringInputError);
    expect(() => bandFor(Number.NaN, DEFAULT_SETTINGS_V1)).toThrow(/score/);
  });
});
