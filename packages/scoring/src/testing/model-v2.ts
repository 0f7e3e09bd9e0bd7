// Test helpers for formula 2: the v2 catalogue as a model, a steady customer to add signals to,
// and peers of known rhythms.
import { compileModel, type CompiledModel } from '../compile.ts';
import type { InteractionInput, ScoringModel } from '../types.ts';
import { buildPeerReference, type PeerReference } from '../v2/activity.ts';
import { DEFAULT_CATEGORIES_V2, DEFAULT_INTERACTION_TYPES_V2, DEFAULT_SETTINGS_V2 } from '../v2/defaults.ts';
import { touch } from './model.ts';

export function defaultModelV2(overrides: Partial<ScoringModel> = {}): ScoringModel {
  return {
    settings: { ...DEFAULT_SETTINGS_V2 },
    categories: DEFAULT_CATEGORIES_V2.map((category) => ({ ...category })),
    interactionTypes: DEFAULT_INTERACTION_TYPES_V2.map((type) => ({ ...type })),
    ...overrides,
  };
}

export const V2: CompiledModel = compileModel(defaultModelV2());

/** `perWeek` touches of `typeKey` a week, evenly spread over `days` days before AS_OF, skipping the last `quietDays`. */
export function rhythm(typeKey: string, perWeek: number, days: number, quietDays = 0): InteractionInput[] {
  const touches: InteractionInput[] = [];
  const step = 7 / perWeek;
  for (let ago = days; ago > quietDays; ago -= step) touches.push(touch(typeKey, ago));
  return touches;
}

/** A customer who has met, mailed and used the product steadily for a year. */
export function engagedYear(): InteractionInput[] {
  return [...rhythm('email', 2, 365), ...rhythm('meeting', 0.25, 365), ...rhythm('product_session', 5, 365)];
}

/**
 * Peers whose engagement and product usage rates spread evenly from `low` to `high` per day
 * (points per day): the reference scoreCustomer's level reading compares with.
 */
export function evenPeers(low: number, high: number, count = 40): PeerReference {
  const rates = Array.from({ length: count }, (_, index) => low + ((high - low) * index) / (count - 1));
  return buildPeerReference(
    new Map([
      ['engagement', rates],
      ['product_usage', rates],
    ]),
  );
}
