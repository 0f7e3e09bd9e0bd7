// Formula 2 reads each customer's activity against its segment's peers (@pulso/scoring,
// v2/activity.ts). The peers' rates come from what is stored, not from rescoring everybody: each
// customer's current score keeps its categories' recent activity per day, and a rate fades like
// the points behind it, so a score computed at t gives rate·2^(−(now − t)/half-life) now. The
// groups are cached per workspace for PEERS_TTL_MS: peers move slowly, and a write must not read
// every customer. Past instants (history, scores as of a date) are compared with today's peers:
// the stored state keeps no past peers, and a segment's spread of activity changes slowly; the
// model evaluation, which scores every customer at each instant, builds its own peers instead.
import type { PrismaClient } from '@pulso/database';
import { buildPeerGroups, type CompiledModel, type PeerGroups, type PeerRates } from '@pulso/scoring';
import type { Tx } from '../transaction.ts';

/** How long the current peers of a workspace are reused before being read again. */
export const PEERS_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 1000;

interface Entry {
  groups: PeerGroups;
  readAt: number;
}

const EMPTY: PeerGroups = { all: new Map(), bySegment: new Map() };
const cache = new Map<string, Entry>();

interface RateRow {
  segment: string | null;
  key: string;
  rate: number;
}

/** The peer groups to score customers of a workspace with, read (or reused) at `now`. Formula 1 needs none. */
export async function loadPeerGroups(
  db: Tx | PrismaClient,
  workspaceId: string,
  compiled: CompiledModel,
  now: Date = new Date(),
): Promise<PeerGroups | undefined> {
  if (compiled.formula !== 2) return undefined;
  const hit = cache.get(workspaceId);
  if (hit && Math.abs(now.getTime() - hit.readAt) < PEERS_TTL_MS) return hit.groups;
  const rows = await currentRates(db, workspaceId, now, Math.LN2 / compiled.decayRate);
  // Nothing stored with activity yet (a workspace just switched to formula 2): not cached, so the
  // first scores written are read as soon as they exist.
  if (rows.length === 0) return EMPTY;
  return primePeerGroups(workspaceId, buildPeerGroups(byCustomer(rows)), now);
}

/**
 * Whether no stored score holds activity yet (a workspace's first scoring under formula 2): then
 * measure-peers.ts reads it once. Too few peers (under 20) is not that: there is nothing to measure.
 */
export function noPeers(groups: PeerGroups | undefined): boolean {
  return groups === EMPTY;
}

/** Caches peer groups measured another way (measure-peers.ts) as the workspace's current ones. */
export function primePeerGroups(workspaceId: string, groups: PeerGroups, now: Date = new Date()): PeerGroups {
  cache.delete(workspaceId);
  cache.set(workspaceId, { groups, readAt: now.getTime() });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return groups;
}

/** Forgets a workspace's cached peers (after a model change or a full rescoring). */
export function forgetPeerGroups(workspaceId: string): void {
  cache.delete(workspaceId);
}

function currentRates(db: Tx | PrismaClient, workspaceId: string, asOf: Date, halfLifeMs: number) {
  return db.$queryRaw<(RateRow & { customerId: string })[]>`
    SELECT c."id"::text AS "customerId", c."segment", cat->>'key' AS "key",
      (cat->'activity'->>'recentPerDay')::float8
        * power(2, -greatest(0, extract(epoch FROM (${asOf}::timestamptz - c."scoreComputedAt")) * 1000) / ${halfLifeMs}) AS "rate"
    FROM "Customer" c, jsonb_array_elements(c."scoreBreakdown"->'categories') cat
    WHERE c."workspaceId" = ${workspaceId}::uuid AND c."churnedAt" IS NULL
      AND c."scoreBreakdown" IS NOT NULL AND cat ? 'activity'`;
}

function byCustomer(rows: readonly (RateRow & { customerId: string })[]): PeerRates[] {
  const customers = new Map<string, { segment: string | null; rates: Map<string, number> }>();
  for (const row of rows) {
    let entry = customers.get(row.customerId);
    if (entry === undefined) customers.set(row.customerId, (entry = { segment: row.segment, rates: new Map() }));
    if (Number.isFinite(row.rate)) entry.rates.set(row.key, row.rate);
  }
  return [...customers.values()];
}
