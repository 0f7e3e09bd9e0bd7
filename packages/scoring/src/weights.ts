// Which weight applies to each category for one customer: the most specific wins
// (customer, then segment, then workspace). Resolution happens once per segment at compile time;
// only customers with their own weights pay for it at scoring time.
import { ScoringInputError } from './errors.ts';
import type { CompiledModel } from './compile.ts';
import type { CustomerScoringInput, WeightSource } from './types.ts';
import { requireWeight } from './validate.ts';

export interface ResolvedWeights {
  readonly weights: readonly number[];
  readonly sources: readonly WeightSource[];
}

export function overrideWeights(
  base: ResolvedWeights,
  categoryKeys: readonly string[],
  overrides: Record<string, number>,
  source: WeightSource,
  field: string,
): ResolvedWeights {
  const weights = [...base.weights];
  const sources = [...base.sources];
  for (const [key, weight] of Object.entries(overrides)) {
    const index = categoryKeys.indexOf(key);
    if (index < 0) throw new ScoringInputError(`${field}.${key}`, 'UNKNOWN_KEY', `unknown category "${key}"`);
    weights[index] = requireWeight(`${field}.${key}`, weight);
    sources[index] = source;
  }
  requireSomeWeight(field, weights);
  return { weights, sources };
}

export function requireSomeWeight(field: string, weights: readonly number[]): void {
  let total = 0;
  for (const weight of weights) total += weight;
  if (!(total > 0)) throw new ScoringInputError(field, 'ZERO_WEIGHTS', 'weights must not all be zero');
}

/** The weights a customer is scored with: its segment's (or the workspace's), then its own overrides. */
export function resolveWeights(model: CompiledModel, customer: CustomerScoringInput): ResolvedWeights {
  const segment = customer.segment;
  const base = (segment != null ? model.segmentWeights.get(segment) : undefined) ?? model.workspaceWeights;
  const overrides = customer.weights;
  if (overrides === undefined || Object.keys(overrides).length === 0) return base;
  return overrideWeights(base, model.categoryKeys, overrides, 'customer', 'customer.weights');
}
