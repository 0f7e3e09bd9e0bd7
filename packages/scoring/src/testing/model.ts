// Test helpers: model v1's catalogue (formula 1) as a model, and short ways to write interactions.
import { compileModel, type CompiledModel } from '../compile.ts';
import {
  DEFAULT_CATEGORIES_V1 as DEFAULT_CATEGORIES,
  DEFAULT_INTERACTION_TYPES_V1 as DEFAULT_INTERACTION_TYPES,
  DEFAULT_SETTINGS_V1 as DEFAULT_SETTINGS,
} from '../defaults.ts';
import { DAY_MS } from '../curves.ts';
import type { InteractionInput, ScoringModel } from '../types.ts';

export const AS_OF = new Date('2026-06-01T00:00:00.000Z');

export function defaultModel(overrides: Partial<ScoringModel> = {}): ScoringModel {
  return {
    settings: { ...DEFAULT_SETTINGS },
    categories: DEFAULT_CATEGORIES.map((category) => ({ ...category })),
    interactionTypes: DEFAULT_INTERACTION_TYPES.map((type) => ({ ...type })),
    ...overrides,
  };
}

export const DEFAULT_COMPILED: CompiledModel = compileModel(defaultModel());

export function daysBefore(asOf: Date, days: number): Date {
  return new Date(asOf.getTime() - days * DAY_MS);
}

let nextId = 0;

/** An interaction `daysAgo` days before AS_OF. */
export function touch(
  typeKey: string,
  daysAgo: number,
  extra: Partial<Omit<InteractionInput, 'typeKey' | 'occurredAt'>> = {},
): InteractionInput {
  nextId += 1;
  return { id: `t${nextId}`, typeKey, occurredAt: daysBefore(AS_OF, daysAgo), ...extra };
}
