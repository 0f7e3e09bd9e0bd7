// What a scoring model's settings must be, checked all at once so that a refused change names every
// setting to fix in one answer. The engine's rules come from the engine (settingsProblems of
// @pulso/scoring, the ones compileModel enforces); Pulso adds its own for what it stores and shows:
// band thresholds are whole scores, and the silence window is a whole number of days, at most a
// century, like the half-life (beyond it a value is a unit mistake). They are Pulso's, not the
// engine's, so that a model stored before they existed still scores.
import { type ScoringSettings, settingsProblems as engineProblems } from '@pulso/scoring';
import type { ModelChangeProblem } from './model-change-error.ts';

/** The longest silence window, in days (a century, as the half-life's bound). */
export const MAX_SILENCE_WINDOW_DAYS = 36_500;

type Rule = (value: number) => Omit<ModelChangeProblem, 'field'> | null;

const wholeScore: Rule = (value) =>
  value === Math.round(value) ? null : { code: 'INVALID_NUMBER', message: 'a band threshold is a whole score' };

/** Pulso's rules, for settings the engine accepts. */
const PULSO_RULES: Partial<Record<keyof ScoringSettings, Rule[]>> = {
  bandAtRiskMax: [wholeScore],
  bandNeedsAttentionMax: [wholeScore],
  silenceWindowDays: [
    (days) =>
      days > MAX_SILENCE_WINDOW_DAYS
        ? { code: 'OUT_OF_RANGE', message: `must be between 0 and ${MAX_SILENCE_WINDOW_DAYS} days, got ${days}` }
        : null,
    (days) =>
      days === Math.round(days)
        ? null
        : { code: 'INVALID_NUMBER', message: 'the silence window is a whole number of days' },
  ],
};

const SETTINGS: (keyof ScoringSettings)[] = [
  'bandAtRiskMax',
  'bandNeedsAttentionMax',
  'decayHalfLifeDays',
  'silenceWindowDays',
  'upsellEngagementMin',
  'formula',
];

/** Every problem of the settings, at most one per setting, in the settings' order. */
export function settingsProblems(settings: ScoringSettings): ModelChangeProblem[] {
  const engine = new Map(engineProblems(settings).map((problem) => [problem.field, problem]));
  return SETTINGS.flatMap((key): ModelChangeProblem[] => {
    const field = `settings.${key}`;
    const found = engine.get(field);
    if (found) return [{ field, code: found.code, message: found.detail }];
    const value = settings[key] as number;
    for (const rule of PULSO_RULES[key] ?? []) {
      const problem = rule(value);
      if (problem) return [{ field, ...problem }];
    }
    return [];
  });
}
