// How much a customer does, read two ways that fit any rhythm (a few emails a month or fifty
// sessions a day): against its own past (trend) and against its peers (level). Absolute volumes
// mean nothing across products; a fall against one's own level is the classic warning, and a
// customer far below its segment's peers is at risk however steady it is.
import { DAY_MS } from '../curves.ts';
import type { ScoreResult } from '../types.ts';

/** Trend counts for little until this many touches were expected in the recent window. */
export const TREND_EVIDENCE_TOUCHES = 3;

/** Level is compared only among at least this many peers; fewer say nothing reliable. */
export const MIN_PEERS = 20;

/**
 * A decayed sum as a rate per day. A steady rate r yields a sum of r/λ once the customer has been
 * around much longer than the half-life; before that, only (1 − e^(−λ·age)) of it: dividing by
 * that share makes a new customer's rate comparable to an old one's.
 */
export function ratePerDay(decayedSum: number, ratePerMs: number, ageMs: number): number {
  const exposure = 1 - Math.exp(-ratePerMs * Math.max(ageMs, DAY_MS));
  return (decayedSum * ratePerMs * DAY_MS) / exposure;
}

export interface TrendReading {
  /** Recent rate ÷ own baseline rate, before shrinking: 0.55 reads "down 45 %". */
  ratio: number;
  /** −1…1: how strongly the trend pulls the category, after shrinking for little evidence. */
  deviation: number;
  /** 0–1: how much the trend can be trusted (touches expected, length of the history). */
  evidence: number;
}

/**
 * Recent against baseline, on a log scale (halving and doubling weigh the same), shrunk towards
 * "no change" when few touches were expected or the customer is younger than the baseline window:
 * a quiet fortnight of an account that writes twice a month is not a fall.
 */
export function readTrend(
  recentPerDay: number,
  baselinePerDay: number,
  expectedRecentTouches: number,
  ageMs: number,
  baselineHalfLifeMs: number,
): TrendReading {
  if (!(baselinePerDay > 0)) return { ratio: 1, deviation: 0, evidence: 0 };
  const ratio = recentPerDay / baselinePerDay;
  const evidence =
    (expectedRecentTouches / (expectedRecentTouches + TREND_EVIDENCE_TOUCHES)) *
    Math.min(1, ageMs / baselineHalfLifeMs);
  return { ratio, deviation: trendDeviation(ratio), evidence };
}

/**
 * Keeping one's own level is good (+0.76), losing 30 % of it is neutral, halving it is as bad as
 * keeping it is good (−0.76), and a fall to a quarter is the worst (−1): on a log scale, so a
 * rhythm's size does not matter.
 */
export function trendDeviation(ratio: number): number {
  return Math.tanh((Math.log2(Math.max(ratio, 1e-6)) + 0.5) / 0.5);
}

/**
 * Where among its peers a customer's recent activity sits: the bottom tenth is a clear warning
 * (−0.87), the 30th percentile neutral, the middle and above healthy (+0.87 from the median up).
 */
export function levelDeviation(percentile: number): number {
  return Math.tanh((percentile - 0.3) / 0.15);
}

/** Sorted activity rates of a customer's peers, per category key. Build it with buildPeerReference. */
export type PeerReference = ReadonlyMap<string, Float64Array>;

/**
 * Rates within this factor of each other are read as the same activity: a peer counts as below a
 * customer in proportion to where the customer sits in the peer's band (a ramp over ±5 % on a log
 * scale). With plain ranks, a rate 0.02 % higher jumped past every peer sharing about the same
 * rate (a cliff of half the percentile scale when many peers do); now the percentile moves by at
 * most 1/ln(1.1) ≈ 10.5 times the relative change of the rate.
 */
export const PEER_SAME_RATE = 1.1;

/**
 * Below this rate (points a day, about one email every 200 days) rates are read on a linear scale:
 * the log of a rate near zero would make a trace of activity far from a peer's zero.
 */
export const PEER_RATE_FLOOR = 0.01;

/**
 * Share of peers below `rate`, 0–1: a peer well below counts 1, one within PEER_SAME_RATE counts
 * from 0 to 1 as the rate passes it (ties, exactly or nearly, count half), one well above 0. The
 * percentile is continuous and non-decreasing in the rate.
 */
export function peerPercentile(sortedRates: Float64Array, rate: number): number {
  const halfBand = Math.log(PEER_SAME_RATE) / 2;
  const position = Math.log(rate + PEER_RATE_FLOOR);
  // Peers below the band count whole; peers inside it count by the ramp. Both bounds by bisection
  // (sorted rates, and the log is increasing).
  const lowRate = Math.exp(position - halfBand) - PEER_RATE_FLOOR;
  const highRate = Math.exp(position + halfBand) - PEER_RATE_FLOOR;
  let below = firstAtLeast(sortedRates, lowRate);
  const end = firstAtLeast(sortedRates, highRate);
  let share = below;
  for (; below < end; below++) {
    const distance = position - Math.log(sortedRates[below]! + PEER_RATE_FLOOR);
    share += Math.min(1, Math.max(0, 0.5 + distance / (2 * halfBand)));
  }
  return share / sortedRates.length;
}

function firstAtLeast(sortedRates: Float64Array, value: number): number {
  let low = 0;
  let high = sortedRates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sortedRates[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Peers' recent activity rates (from scoreCustomer's `activity` readings, or the stored state of
 * each customer of one segment), sorted for percentile look-ups. Categories with fewer than
 * MIN_PEERS rates are left out: the level then says nothing and the trend carries the activity.
 */
export function buildPeerReference(rates: ReadonlyMap<string, readonly number[]>): PeerReference {
  const reference = new Map<string, Float64Array>();
  for (const [key, values] of rates) {
    const finite = values.filter((value) => Number.isFinite(value) && value >= 0);
    if (finite.length < MIN_PEERS) continue;
    reference.set(key, Float64Array.from(finite).sort());
  }
  return reference;
}

/** Peer references of a workspace: one per segment large enough, and one for everybody. */
export interface PeerGroups {
  readonly all: PeerReference;
  readonly bySegment: ReadonlyMap<string, PeerReference>;
}

export interface PeerRates {
  segment: string | null;
  /** Recent activity per day, by category key. */
  rates: ReadonlyMap<string, number>;
}

/** A scored customer as a peer: its categories' recent activity per day (formula 2 results only have any). */
export function peerRatesOf(result: ScoreResult, segment: string | null | undefined): PeerRates {
  const rates = new Map<string, number>();
  for (const category of result.categories)
    if (category.activity) rates.set(category.key, category.activity.recentPerDay);
  return { segment: segment ?? null, rates };
}

/** Groups peers' rates by segment; a segment too small for a category falls back to everybody. */
export function buildPeerGroups(peers: Iterable<PeerRates>): PeerGroups {
  const all = new Map<string, number[]>();
  const segments = new Map<string, Map<string, number[]>>();
  for (const { segment, rates } of peers) {
    for (const [key, rate] of rates) {
      push(all, key, rate);
      if (segment === null) continue;
      let bySegment = segments.get(segment);
      if (bySegment === undefined) segments.set(segment, (bySegment = new Map()));
      push(bySegment, key, rate);
    }
  }
  const reference = buildPeerReference(all);
  const bySegment = new Map<string, PeerReference>();
  for (const [segment, rates] of segments)
    bySegment.set(segment, new Map([...reference, ...buildPeerReference(rates)]));
  return { all: reference, bySegment };
}

/** The peers a customer of `segment` is compared with. */
export function peersFor(groups: PeerGroups, segment: string | null | undefined): PeerReference {
  return (segment != null ? groups.bySegment.get(segment) : undefined) ?? groups.all;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
