// A deterministic event stream for the time-ordered ingestion benchmark (issue 19): customers who
// join over the first months and stay, each with its own level of activity (log-normal: a few
// loud accounts, a long quiet tail) and mood, sending the workspace's default interaction types in
// realistic proportions (product sessions and emails mostly, a renewal now and then), spread over
// `days` days ending at `end`, oldest first. Every customer has at least one interaction (its first,
// when it joins). The same sizes give the same stream; `end` only shifts it in time.
import { DAY_MS, DEFAULT_INTERACTION_TYPES, type Sentiment } from '@pulso/scoring';
import { Random } from '../prediction/random.ts';

export interface StreamSizes {
  customers: number;
  interactions: number;
  days: number;
}

export interface StreamCustomer {
  externalId: string;
  name: string;
  segment: string;
}

/** One interaction as `recordInteractions` takes it (RecordInteractionInput). */
export interface StreamInteraction {
  customer: { externalId: string };
  type: string;
  occurredAt: string;
  intensity: number;
  sentiment?: Sentiment;
  value?: number;
  idempotencyKey: string;
}

export interface InteractionStream {
  customers: StreamCustomer[];
  /** Oldest first. */
  interactions: StreamInteraction[];
}

/** Relative frequencies of the default types; a type of the catalogue not listed here is not sent. */
const TYPE_MIX: Record<string, number> = {
  product_session: 40,
  email: 15,
  support_ticket: 8,
  meeting: 6,
  micro_rating: 6,
  content: 5,
  like: 3,
  comment: 3,
  csat: 2,
  event_invitation: 2,
  spontaneous_feedback: 2,
  nps: 1.5,
  ces: 1,
  purchase: 0.5,
  payment_failed: 0.3,
  renewal: 0.3,
  upsell: 0.3,
  cancellation_intent: 0.2,
  cross_sell: 0.2,
  downsell: 0.2,
  testimonial: 0.2,
  addon_removed: 0.1,
  seat_reduction: 0.1,
  term_shortened: 0.05,
};

const SEGMENTS = ['starter', 'growth', 'enterprise'];
const SEED = 19;

interface Profile {
  joinedAt: number;
  weight: number;
  /** 0 (gloomy) to 1 (delighted): skews sentiments and survey answers. */
  mood: number;
}

function profiles(sizes: StreamSizes, start: number, random: Random): Profile[] {
  return Array.from({ length: sizes.customers }, (_, i) => ({
    // Two in three customers are there from the start; the others join over the first 60 % of the span.
    joinedAt: i % 3 === 2 ? start + random.uniform(0, 0.6) * sizes.days * DAY_MS : start,
    weight: random.logNormal(1, 2.5),
    mood: random.float(),
  }));
}

/** Interactions per customer: proportional to activity × time present, at least one, summing to the total. */
function counts(sizes: StreamSizes, people: Profile[], end: number): number[] {
  const shares = people.map((p) => p.weight * (end - p.joinedAt));
  const sum = shares.reduce((a, b) => a + b, 0);
  const spare = sizes.interactions - people.length;
  if (spare < 0) throw new Error(`a stream needs at least one interaction per customer (${people.length})`);
  const exact = shares.map((s) => (s / sum) * spare);
  const result = exact.map((x) => 1 + Math.floor(x));
  let left = sizes.interactions - result.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    result[i]!++;
  }
  return result;
}

function sentimentOf(random: Random, mood: number): Sentiment {
  const r = random.float();
  if (r < 0.25 + 0.5 * mood) return 'LIKED';
  if (r < 0.6 + 0.3 * mood) return 'INDIFFERENT';
  return r < 0.97 ? 'DISLIKED' : 'WASTED_TIME';
}

function answerOf(random: Random, scale: string, mood: number): number {
  const x = Math.min(0.999, Math.max(0, mood * 0.7 + random.float() * 0.3));
  if (scale === 'NPS') return Math.floor(x * 11);
  if (scale === 'CSAT') return 1 + Math.floor(x * 5);
  return 7 - Math.floor(x * 7); // CES: 1 is effortless
}

export function interactionStream(sizes: StreamSizes, end: number): InteractionStream {
  const start = end - sizes.days * DAY_MS;
  const people = profiles(sizes, start, new Random(SEED, 0));
  const perCustomer = counts(sizes, people, end);
  const types = DEFAULT_INTERACTION_TYPES.filter((t) => TYPE_MIX[t.key] !== undefined);
  const mix = types.map((t) => [t, TYPE_MIX[t.key]!] as const);
  const customers = people.map((_, i) => ({
    externalId: `to-${String(i + 1).padStart(4, '0')}`,
    name: `Customer ${i + 1}`,
    segment: SEGMENTS[i % SEGMENTS.length]!,
  }));

  // Each customer's interactions from its own random stream, then all of them in time order.
  const events: (Omit<StreamInteraction, 'idempotencyKey' | 'occurredAt'> & { at: number; c: number })[] = [];
  people.forEach((p, c) => {
    const random = new Random(SEED, c + 1);
    const customer = { externalId: customers[c]!.externalId };
    for (let n = 0; n < perCustomer[c]!; n++) {
      const type = random.pick(mix);
      const takesSentiment = type.sentimentHandling === 'SIGNED' || type.sentimentHandling === 'FRICTION';
      events.push({
        at: n === 0 ? p.joinedAt : random.uniform(p.joinedAt, end),
        c,
        customer,
        type: type.key,
        intensity: random.integer(1, 3),
        ...(takesSentiment ? { sentiment: sentimentOf(random, p.mood) } : {}),
        ...(type.valueScale ? { value: answerOf(random, type.valueScale, p.mood) } : {}),
      });
    }
  });
  events.sort((a, b) => a.at - b.at || a.c - b.c);
  const interactions = events.map(({ at, c: _, ...e }, i) => ({
    ...e,
    occurredAt: new Date(Math.floor(at)).toISOString(),
    idempotencyKey: `stream-${i}`,
  }));
  return { customers, interactions };
}
