// Turns simulated customers into the evaluation's observations: at each monthly instant, every
// customer active then is scored by the pure engine as of that instant from its events before it,
// labelled by churn within the horizon, and given the two baselines' inputs. Model v2 reads each
// customer's activity against its peers, so an instant is scored in two passes over the customers
// active then: their activity rates first (the peer reference), then their scores with it. Only
// the engine's calls are timed, so the printed engine time is the engine's alone.
import type { Observation } from '@pulso/evaluation';
import {
  buildPeerGroups,
  type CompiledModel,
  compileModel,
  DEFAULT_CATEGORIES_V1,
  DEFAULT_CATEGORIES_V2,
  DEFAULT_INTERACTION_TYPES_V1,
  DEFAULT_INTERACTION_TYPES_V2,
  DEFAULT_SETTINGS_V1,
  DEFAULT_SETTINGS_V2,
  type InteractionInput,
  type PeerRates,
  type PeerReference,
  peerRatesOf,
  type ScoreResult,
  scoreCustomer,
} from '@pulso/scoring';
import { DAY_MS, INSTANTS, ORIGIN_MS } from './calendar.ts';
import type { SimulatedCustomer } from './life.ts';

export const MODELS = {
  v1: compileModel({
    settings: { ...DEFAULT_SETTINGS_V1 },
    categories: DEFAULT_CATEGORIES_V1.map((category) => ({ ...category })),
    interactionTypes: DEFAULT_INTERACTION_TYPES_V1.map((type) => ({ ...type })),
  }),
  v2: compileModel({
    settings: { ...DEFAULT_SETTINGS_V2 },
    categories: DEFAULT_CATEGORIES_V2.map((category) => ({ ...category })),
    interactionTypes: DEFAULT_INTERACTION_TYPES_V2.map((type) => ({ ...type })),
  }),
} as const satisfies Record<string, CompiledModel>;

export type ModelKey = keyof typeof MODELS;

export interface Observed {
  observations: Observation[];
  /** The engine's results, one per observation in the same order (what weights are fitted from). */
  results: ScoreResult[];
  /** Milliseconds spent inside scoreCustomer. */
  engineMs: number;
  /** Interactions the engine read, summed over every customer-instant (both passes for v2). */
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

export interface Active {
  customer: SimulatedCustomer;
  /** Its recorded events before the instant, oldest first. */
  history: InteractionInput[];
  churnedAt: Date | null;
  /** Index of its first event at or after the instant. */
  before: number;
}

/** The customers active at `at` (joined before it, not churned by it): the customer-instants observed. */
export function activeAt(customers: readonly SimulatedCustomer[], at: Date): Active[] {
  const ms = at.getTime();
  const active: Active[] = [];
  for (const customer of customers) {
    const joinedMs = ORIGIN_MS + customer.joinDay * DAY_MS;
    const churnedAt = customer.churnDay === null ? null : new Date(ORIGIN_MS + customer.churnDay * DAY_MS);
    if (joinedMs >= ms || (churnedAt !== null && churnedAt.getTime() <= ms)) continue;
    const before = firstAtOrAfter(customer.events, ms);
    active.push({ customer, history: customer.events.slice(0, before), churnedAt, before });
  }
  return active;
}

/**
 * A customer-instant as the evaluation reads it, but for the ranker's own score and band: who and
 * when, the label (churned within the horizon after `at`) and the two baselines' inputs.
 */
export function labelled(
  { customer, history, churnedAt, before }: Active,
  at: Date,
  horizonDays: number,
): Omit<Observation, 'score' | 'band'> {
  const ms = at.getTime();
  const last = history[history.length - 1];
  return {
    customerId: customer.id,
    at,
    churned: churnedAt !== null && churnedAt.getTime() <= ms + horizonDays * DAY_MS,
    churnedAt,
    interactionsLast30Days: before - firstAtOrAfter(customer.events, ms - 30 * DAY_MS),
    daysSinceLastInteraction: last ? (ms - last.occurredAt.getTime()) / DAY_MS : null,
  };
}

/** Another model than the catalogue's (learned weights), and a subset of the instants. */
export interface ObserveOptions {
  model?: CompiledModel;
  instants?: readonly Date[];
}

export function observe(
  customers: readonly SimulatedCustomer[],
  horizonDays: number,
  modelKey: ModelKey,
  options: ObserveOptions = {},
): Observed {
  const model = options.model ?? MODELS[modelKey];
  const observed: Observed = { observations: [], results: [], engineMs: 0, interactionsScored: 0 };
  for (const at of options.instants ?? INSTANTS) {
    const active = activeAt(customers, at);
    const peers = model.formula === 2 ? peerReference(model, active, at, observed) : undefined;
    for (const instant of active) {
      const started = performance.now();
      const result = scoreCustomer(model, {}, instant.history, at, { peers });
      observed.engineMs += performance.now() - started;
      observed.interactionsScored += instant.history.length;
      observed.results.push(result);
      observed.observations.push({
        ...labelled(instant, at, horizonDays),
        score: result.score,
        band: result.band.key,
      });
    }
  }
  return observed;
}

/** The first pass: every active customer's recent activity rate per category, as the server's state would hold it. */
function peerReference(model: CompiledModel, active: readonly Active[], at: Date, observed: Observed): PeerReference {
  const peers: PeerRates[] = [];
  for (const { history } of active) {
    const started = performance.now();
    const result = scoreCustomer(model, {}, history, at);
    observed.engineMs += performance.now() - started;
    observed.interactionsScored += history.length;
    peers.push(peerRatesOf(result, null));
  }
  // The worlds have no segments: everybody is everybody's peer.
  return buildPeerGroups(peers).all;
}
