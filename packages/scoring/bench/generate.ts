// A deterministic synthetic workload for the benchmark: the same seed always yields the same
// customers and interactions, so runs on different days and machines compare like with like.
import { DAY_MS } from '../src/curves.ts';
import { DEFAULT_INTERACTION_TYPES } from '../src/defaults.ts';
import type { CustomerScoringInput, InteractionInput, Sentiment } from '../src/index.ts';

export interface BenchCustomer {
  customer: CustomerScoringInput;
  interactions: InteractionInput[];
}

/** mulberry32: tiny, fast, good enough to spread synthetic data; not for anything secret. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTIMENTS: (Sentiment | null)[] = [null, null, null, 'LIKED', 'LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME'];
const SEGMENTS = [null, 'smb', 'mid_market', 'enterprise'];
const SURVEY_RANGES: Record<string, [number, number]> = { nps: [0, 10], csat: [1, 5], ces: [1, 7] };

export function generateWorkload(
  customerCount: number,
  interactionCount: number,
  asOf: Date,
  seed = 42,
): BenchCustomer[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const counts = historySizes(customerCount, interactionCount, next);
  const customers: BenchCustomer[] = [];
  for (let index = 0; index < customerCount; index++) {
    const count = counts[index]!;
    const interactions: InteractionInput[] = [];
    for (let n = 0; n < count; n++) {
      const type = pick(DEFAULT_INTERACTION_TYPES);
      const range = SURVEY_RANGES[type.key];
      interactions.push({
        id: `c${index}-i${n}`,
        typeKey: type.key,
        occurredAt: new Date(asOf.getTime() - Math.floor(next() * 365 * DAY_MS)),
        intensity: next() < 0.8 ? 1 : 1 + Math.round(next() * 30) / 10,
        sentiment: pick(SENTIMENTS),
        value: range ? range[0] + Math.floor(next() * (range[1] - range[0] + 1)) : null,
      });
    }
    const customer: CustomerScoringInput = { segment: pick(SEGMENTS) };
    if (next() < 0.05) customer.weights = { support: 30, satisfaction: 25 };
    customers.push({ customer, interactions });
  }
  return customers;
}

/** Sizes between about 0.2× and 1.8× the mean that add up to exactly `total`. */
function historySizes(customerCount: number, total: number, next: () => number): number[] {
  const shares = Array.from({ length: customerCount }, () => 0.2 + 1.6 * next());
  const sum = shares.reduce((a, b) => a + b, 0);
  const sizes = shares.map((share) => Math.floor((share / sum) * total));
  let missing = total - sizes.reduce((a, b) => a + b, 0);
  for (let index = 0; missing > 0; index++, missing--) sizes[index % customerCount]! += 1;
  return sizes;
}
