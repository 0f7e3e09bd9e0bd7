// fast-check generators of interaction histories over the default catalogue.
import fc from 'fast-check';
import type { CompiledModel } from '../compile.ts';
import { DAY_MS } from '../curves.ts';
import { DEFAULT_INTERACTION_TYPES_V1 } from '../defaults-v1.ts';
import { intensityOf, signedFactor } from '../interaction-points.ts';
import { VALUE_SCALES } from '../signals.ts';
import type { InteractionInput, InteractionTypeDefinition, Sentiment } from '../types.ts';
import { AS_OF } from './model.ts';

const SENTIMENTS: (Sentiment | null)[] = [null, 'LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME'];
const MAX_AGE_MS = 400 * DAY_MS;

/** An interaction of the given type without an id, up to 400 days before AS_OF. */
export function interactionOfType(type: InteractionTypeDefinition): fc.Arbitrary<Omit<InteractionInput, 'id'>> {
  const value =
    type.valueScale === null
      ? fc.constant(null)
      : fc.integer({ min: VALUE_SCALES[type.valueScale].min, max: VALUE_SCALES[type.valueScale].max });
  return fc.record({
    typeKey: fc.constant(type.key),
    occurredAt: fc.integer({ min: 0, max: MAX_AGE_MS }).map((age) => new Date(AS_OF.getTime() - age)),
    intensity: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 5, noNaN: true })),
    sentiment: fc.constantFrom(...SENTIMENTS),
    value,
  });
}

export function interactionIn(types: readonly InteractionTypeDefinition[]): fc.Arbitrary<Omit<InteractionInput, 'id'>> {
  return fc.constantFrom(...types).chain(interactionOfType);
}

export const anyInteraction = interactionIn(DEFAULT_INTERACTION_TYPES_V1);

/** Ids are unique within a history; `prefix` keeps two histories apart. */
export function withIds(interactions: Omit<InteractionInput, 'id'>[], prefix = 'i'): InteractionInput[] {
  return interactions.map((interaction, index) => ({ id: `${prefix}${index}`, ...interaction }));
}

export function history(
  types: readonly InteractionTypeDefinition[] = DEFAULT_INTERACTION_TYPES_V1,
  maxLength = 30,
  prefix = 'i',
): fc.Arbitrary<InteractionInput[]> {
  return fc.array(interactionIn(types), { maxLength }).map((list) => withIds(list, prefix));
}

/** The sign of an interaction's points before decay: ≥ 0 raises, < 0 lowers. */
export function undecayedPoints(model: CompiledModel, interaction: InteractionInput): number {
  const type = model.types.get(interaction.typeKey)!;
  return type.basePoints * intensityOf(interaction, 0) * signedFactor(type, interaction, 0);
}
