// A model's settings (bands, decay, silence, upsell engagement, formula), checked all at once: a
// refused change can name every setting to fix in one answer, and compileModel throws the first of
// the same problems, so the rules are written once.
import { ScoringInputError } from './errors.ts';
import type { ScoringSettings } from './types.ts';
import { requireHalfLife, requireInRange, requireNonNegative } from './validate.ts';

/** The problem `check` throws, or null. */
function problemOf(check: () => unknown): ScoringInputError | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof ScoringInputError) return error;
    throw error;
  }
}

/** Every problem of the settings, at most one per setting, in the settings' order. */
export function settingsProblems(settings: ScoringSettings): ScoringInputError[] {
  const { bandAtRiskMax, bandNeedsAttentionMax } = settings;
  const atRisk = problemOf(() => requireInRange('settings.bandAtRiskMax', bandAtRiskMax, 0, 100));
  const problems = [
    atRisk,
    problemOf(() => requireInRange('settings.bandNeedsAttentionMax', bandNeedsAttentionMax, 0, 100)) ??
      // Only against an at-risk threshold that is itself valid: otherwise that one is the problem.
      (!atRisk && bandNeedsAttentionMax < bandAtRiskMax
        ? new ScoringInputError(
            'settings.bandNeedsAttentionMax',
            'THRESHOLDS_OUT_OF_ORDER',
            `the needs-attention threshold (${bandNeedsAttentionMax}) must not be below the at-risk threshold (${bandAtRiskMax})`,
          )
        : null),
    problemOf(() => requireHalfLife('settings.decayHalfLifeDays', settings.decayHalfLifeDays)),
    problemOf(() => requireNonNegative('settings.silenceWindowDays', settings.silenceWindowDays)),
    problemOf(() => requireInRange('settings.upsellEngagementMin', settings.upsellEngagementMin, 0, 100)),
    problemOf(() => formulaOf(settings.formula)),
  ];
  return problems.filter((problem) => problem !== null);
}

function formulaOf(formula: unknown): 1 | 2 {
  if (formula === undefined || formula === null || formula === 1) return 1;
  if (formula === 2) return 2;
  throw new ScoringInputError('settings.formula', 'INVALID_MODEL', `must be 1 or 2, got ${String(formula)}`);
}

/** The settings, validated and frozen; throws the first of settingsProblems. */
export function compileSettings(settings: ScoringSettings): Readonly<ScoringSettings> {
  const [problem] = settingsProblems(settings);
  if (problem) throw problem;
  return Object.freeze({
    bandAtRiskMax: settings.bandAtRiskMax,
    bandNeedsAttentionMax: settings.bandNeedsAttentionMax,
    decayHalfLifeDays: settings.decayHalfLifeDays,
    silenceWindowDays: settings.silenceWindowDays,
    upsellEngagementMin: settings.upsellEngagementMin,
    formula: formulaOf(settings.formula),
  });
}
