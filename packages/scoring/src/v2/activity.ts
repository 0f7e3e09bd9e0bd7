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

/** Share of peers strictly below `rate`, ties counting half: 0–1. */
export function peerPercentile(sortedRates: Float64Array, rate: number): number {
  let low = 0;
  let high = sortedRates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sortedRates[middle]! < rate) low = middle + 1;
    else high = middle;
  }
  let equalEnd = low;
  while (equalEnd < sortedRates.length && sortedRates[equalEnd] === rate) equalEnd += 1;
  return (low + (equalEnd - low) / 2) / sortedRates.length;
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
