// What a scoring model's settings must be, checked all at once so that a refused change names every
// setting to fix in one answer (the engine's compileModel stops at the first). The ranges are the
// engine's, plus Pulso's own: bands in order, whole numbers where shown as such, and a silence
// window of at most a century, like the half-life (beyond it a value is a unit mistake).
import { MAX_HALF_LIFE_DAYS, type ScoringSettings } from '@pulso/scoring';
import type { ModelChangeProblem } from './model-change-error.ts';

/** The longest silence window, in days (a century, as the half-life's bound). */
export const MAX_SILENCE_WINDOW_DAYS = 36_500;

type Check = (value: number) => Omit<ModelChangeProblem, 'field'> | null;

const finite: Check = (value) =>
  Number.isFinite(value) ? null : { code: 'INVALID_NUMBER', message: `must be a finite number, got ${value}` };

const between =
  (min: number, max: number, unit = ''): Check =>
  (value) =>
    value < min || value > max
      ? { code: 'OUT_OF_RANGE', message: `must be between ${min} and ${max}${unit}, got ${value}` }
      : null;

const whole =
  (what: string): Check =>
  (value) =>
    value === Math.round(value) ? null : { code: 'INVALID_NUMBER', message: what };

/** The checks of each setting, in order: the first that fails is the setting's problem. */
function rules(settings: ScoringSettings): { [K in Exclude<keyof ScoringSettings, 'formula'>]: Check[] } {
  const band = [finite, between(0, 100), whole('a band threshold is a whole score')];
  return {
    bandAtRiskMax: band,
    bandNeedsAttentionMax: [
      ...band,
      // Only against an at-risk threshold that is itself valid: otherwise that one is the problem.
      (max) =>
        max < settings.bandAtRiskMax && settings.bandAtRiskMax <= 100
          ? {
              code: 'THRESHOLDS_OUT_OF_ORDER',
              message: `the needs-attention threshold (${max}) must not be below the at-risk threshold (${settings.bandAtRiskMax})`,
            }
          : null,
    ],
    decayHalfLifeDays: [
      finite,
      (days) => (days > 0 ? null : { code: 'OUT_OF_RANGE', message: `must be > 0, got ${days}` }),
      (days) =>
        days > MAX_HALF_LIFE_DAYS
          ? { code: 'OUT_OF_RANGE', message: `must be at most ${MAX_HALF_LIFE_DAYS} days, got ${days}` }
          : null,
    ],
    silenceWindowDays: [
      finite,
      between(0, MAX_SILENCE_WINDOW_DAYS, ' days'),
      whole('the silence window is a whole number of days'),
    ],
    upsellEngagementMin: [finite, between(0, 100)],
  };
}

/** Every problem of the settings, at most one per setting, in the settings' order. */
export function settingsProblems(settings: ScoringSettings): ModelChangeProblem[] {
  const problems: ModelChangeProblem[] = [];
  for (const [key, checks] of Object.entries(rules(settings)) as [keyof ScoringSettings, Check[]][]) {
    const value = settings[key] as number;
    const found = checks.reduce<ReturnType<Check>>((first, check) => first ?? check(value), null);
    if (found) problems.push({ field: `settings.${key}`, ...found });
  }
  const { formula } = settings;
  if (formula !== undefined && formula !== 1 && formula !== 2)
    problems.push({
      field: 'settings.formula',
      code: 'INVALID_MODEL',
      message: `must be 1 or 2, got ${String(formula)}`,
    });
  return problems;
}
