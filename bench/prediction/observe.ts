// Turns simulated customers into the evaluation's observations: at each monthly instant, every
// customer active then is scored by the pure engine as of that instant from its events before it,
// labelled by churn within the horizon, and given the two baselines' inputs. Only the engine's
// calls are timed, so the printed engine time is the engine's alone.
import type { Observation } from '@pulso/evaluation';
import {
  type CompiledModel,
  compileModel,
  DEFAULT_CATEGORIES,
  DEFAULT_INTERACTION_TYPES,
  DEFAULT_SETTINGS,
  type InteractionInput,
  scoreCustomer,
} from '@pulso/scoring';
import { DAY_MS, INSTANTS, ORIGIN_MS } from './calendar.ts';
import type { SimulatedCustomer } from './life.ts';

export const DEFAULT_MODEL: CompiledModel = compileModel({
  settings: { ...DEFAULT_SETTINGS },
  categories: DEFAULT_CATEGORIES.map((category) => ({ ...category })),
  interactionTypes: DEFAULT_INTERACTION_TYPES.map((type) => ({ ...type })),
});

export interface Observed {
  observations: Observation[];
  /** Milliseconds spent inside scoreCustomer. */
  engineMs: number;
  /** Interactions the engine read, summed over every customer-instant. */
  interactionsScored: number;
}

/** Index of the first event at or after `ms` (events are sorted by time). */
function firstAtOrAfter(events: readonly InteractionInput[], ms: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle]!.occurredAt.getTime() < ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function observe(customer: SimulatedCustomer, horizonDays: number, into: Observed): void {
  const joinedMs = ORIGIN_MS + customer.joinDay * DAY_MS;
  const churnedAt = customer.churnDay === null ? null : new Date(ORIGIN_MS + customer.churnDay * DAY_MS);
  for (const at of INSTANTS) {
    const ms = at.getTime();
    if (joinedMs >= ms || (churnedAt !== null && churnedAt.getTime() <= ms)) continue;
    const before = firstAtOrAfter(customer.events, ms);
    const history = customer.events.slice(0, before);
    const started = performance.now();
    const result = scoreCustomer(DEFAULT_MODEL, {}, history, at);
    into.engineMs += performance.now() - started;
    into.interactionsScored += history.length;
    const last = history[history.length - 1];
    into.observations.push({
      customerId: customer.id,
      at,
      score: result.score,
      band: result.band.key,
      churned: churnedAt !== null && churnedAt.getTime() <= ms + horizonDays * DAY_MS,
      churnedAt,
      interactionsLast30Days: before - firstAtOrAfter(customer.events, ms - 30 * DAY_MS),
      daysSinceLastInteraction: last ? (ms - last.occurredAt.getTime()) / DAY_MS : null,
    });
  }
}
