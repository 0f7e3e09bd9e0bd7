// Validates a workspace's model once and precomputes what scoring needs (type lookup, category
// indices, resolved segment weights, the decay rate), so scoring a customer is a single pass.
import { decayRate } from './curves.ts';
import { ScoringInputError } from './errors.ts';
import { VALUE_SCALES, type ScaleDefinition } from './signals.ts';
import type {
  CategoryDefinition,
  InteractionTypeDefinition,
  ScoringModel,
  ScoringSettings,
  SentimentHandling,
} from './types.ts';
import { compileSettings } from './settings.ts';
import { requireInRange, requireKey, requireWeight } from './validate.ts';
import { overrideWeights, requireSomeWeight, type ResolvedWeights } from './weights.ts';

export interface CompiledType {
  readonly key: string;
  readonly categoryIndex: number;
  readonly basePoints: number;
  readonly handling: SentimentHandling;
  readonly scale: ScaleDefinition | null;
  readonly requiresEngagement: boolean;
}

/** A validated model, ready for scoreCustomer. Build it with compileModel; treat it as opaque. */
export interface CompiledModel {
  readonly settings: Readonly<ScoringSettings>;
  readonly categories: readonly Readonly<CategoryDefinition>[];
  readonly categoryKeys: readonly string[];
  readonly types: ReadonlyMap<string, CompiledType>;
  /** Index of the engagement category, or -1 when the model has none. */
  readonly engagementIndex: number;
  readonly workspaceWeights: ResolvedWeights;
  readonly segmentWeights: ReadonlyMap<string, ResolvedWeights>;
  /** Per-millisecond fade of points. */
  readonly decayRate: number;
  /** 1 or 2: which formula scores this model (settings.formula, 1 when absent). */
  readonly formula: 1 | 2;
  /** Formula 2: per category, whether its plain touches are activity. */
  readonly measuresActivity: readonly boolean[];
  /** Formula 2: per-millisecond fade of the baseline window (BASELINE_HALF_LIVES half-lives). */
  readonly baselineRate: number;
}

/**
 * Formula 2's baseline ("its own level") spans this many decay half-lives: with the default 14
 * days, a half-life of 56 days, whose mean age (81 days) is about the last three months.
 */
export const BASELINE_HALF_LIVES = 4;

/** Keeps quantised sums exact (see score.ts); real catalogues use single or double digits. */
export const MAX_BASE_POINTS = 1000;

const HANDLINGS: readonly SentimentHandling[] = ['SIGNED', 'POSITIVE', 'NEGATIVE', 'FROM_VALUE', 'FRICTION'];

export function compileModel(model: ScoringModel): CompiledModel {
  const settings = compileSettings(model.settings);
  const categories = compileCategories(model.categories);
  const categoryKeys = categories.map((category) => category.key);
  const engagementIndex = categories.findIndex((category) => category.isEngagement);
  const types = compileTypes(model.interactionTypes, categoryKeys, engagementIndex);
  const workspaceWeights: ResolvedWeights = {
    weights: categories.map((category) => category.weight),
    sources: categories.map(() => 'workspace' as const),
  };
  const segmentWeights = new Map<string, ResolvedWeights>();
  for (const [segment, overrides] of Object.entries(model.segmentWeights ?? {})) {
    const field = `segmentWeights.${segment}`;
    segmentWeights.set(segment, overrideWeights(workspaceWeights, categoryKeys, overrides, 'segment', field));
  }
  return {
    settings,
    categories,
    categoryKeys,
    types,
    engagementIndex,
    workspaceWeights,
    segmentWeights,
    decayRate: decayRate(settings.decayHalfLifeDays),
    formula: settings.formula ?? 1,
    measuresActivity: categories.map((category) => category.measuresActivity === true),
    baselineRate: decayRate(settings.decayHalfLifeDays * BASELINE_HALF_LIVES),
  };
}

function compileCategories(categories: readonly CategoryDefinition[]): Readonly<CategoryDefinition>[] {
  if (categories.length === 0)
    throw new ScoringInputError('categories', 'INVALID_MODEL', 'at least one category is needed');
  const seen = new Set<string>();
  let engagementCount = 0;
  const compiled = categories.map((category, index) => {
    const field = `categories[${index}]`;
    const key = requireKey(`${field}.key`, category.key);
    if (seen.has(key)) throw new ScoringInputError(`${field}.key`, 'DUPLICATE_KEY', `duplicate category "${key}"`);
    seen.add(key);
    if (category.isEngagement) engagementCount += 1;
    return Object.freeze({
      key,
      name: typeof category.name === 'string' ? category.name : key,
      weight: requireWeight(`${field}.weight`, category.weight),
      isEngagement: category.isEngagement === true,
      measuresActivity: category.measuresActivity === true,
    });
  });
  // Commercial interactions need one unambiguous engagement figure to lean on.
  if (engagementCount > 1) {
    throw new ScoringInputError('categories', 'INVALID_MODEL', 'at most one category may be the engagement category');
  }
  requireSomeWeight(
    'categories',
    compiled.map((category) => category.weight),
  );
  return compiled;
}

function compileTypes(
  types: readonly InteractionTypeDefinition[],
  categoryKeys: readonly string[],
  engagementIndex: number,
): Map<string, CompiledType> {
  const compiled = new Map<string, CompiledType>();
  types.forEach((type, index) => {
    const field = `interactionTypes[${index}]`;
    const key = requireKey(`${field}.key`, type.key);
    if (compiled.has(key))
      throw new ScoringInputError(`${field}.key`, 'DUPLICATE_KEY', `duplicate interaction type "${key}"`);
    const categoryIndex = categoryKeys.indexOf(type.categoryKey);
    if (categoryIndex < 0) {
      throw new ScoringInputError(
        `${field}.categoryKey`,
        'UNKNOWN_KEY',
        `unknown category "${String(type.categoryKey)}"`,
      );
    }
    // The sign comes from the sentiment or the answer; a negative base would turn it inside out.
    const basePoints = requireInRange(`${field}.basePoints`, type.basePoints, 0, MAX_BASE_POINTS);
    if (!HANDLINGS.includes(type.sentimentHandling)) {
      throw new ScoringInputError(
        `${field}.sentimentHandling`,
        'INVALID_MODEL',
        `must be one of ${HANDLINGS.join(', ')}`,
      );
    }
    const scale = compileScale(field, type);
    if (type.requiresEngagement && engagementIndex < 0) {
      throw new ScoringInputError(
        `${field}.requiresEngagement`,
        'INVALID_MODEL',
        'the model has no engagement category',
      );
    }
    if (type.requiresEngagement && categoryIndex === engagementIndex) {
      throw new ScoringInputError(
        `${field}.requiresEngagement`,
        'INVALID_MODEL',
        'an engagement interaction cannot depend on engagement',
      );
    }
    compiled.set(key, {
      key,
      categoryIndex,
      basePoints,
      handling: type.sentimentHandling,
      scale,
      requiresEngagement: type.requiresEngagement === true,
    });
  });
  return compiled;
}

function compileScale(field: string, type: InteractionTypeDefinition): ScaleDefinition | null {
  if (type.sentimentHandling !== 'FROM_VALUE') {
    if (type.valueScale != null) {
      throw new ScoringInputError(`${field}.valueScale`, 'INVALID_MODEL', 'only FROM_VALUE types have a value scale');
    }
    return null;
  }
  const scale =
    type.valueScale != null && Object.hasOwn(VALUE_SCALES, type.valueScale) ? VALUE_SCALES[type.valueScale] : undefined;
  if (!scale)
    throw new ScoringInputError(`${field}.valueScale`, 'INVALID_MODEL', 'FROM_VALUE types need NPS, CSAT or CES');
  return scale;
}
