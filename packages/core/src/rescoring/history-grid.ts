// History at its proper instants. Interactions recorded for the past (an import, late events) would
// otherwise leave a history that starts the day they were recorded. A history grid run writes,
// for its customers, a snapshot at every grid instant from `gridFrom` up to the run's `asOf`, plus
// one at each instant where the band changes between two of its points, each scored under the
// model version in force at that instant: the same score `scoresAsOf` reads there.
//
// Reruns write the same rows: grid and band-change snapshots have ids derived from the customer and
// the instant, stored ones in the range are rescored in place, and band-change snapshots that are
// no longer band changes are removed. Current scores are left alone (the write that queued the run
// stored the score as of now).
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { PrismaClient, RescoreRun } from '@pulso/database';
import { workspaceKey } from '@pulso/database';
import { DAY_MS, type PeerGroups, peersFor, scoreCustomer, type ScoreResult } from '@pulso/scoring';
import { loadModelVersions, type ModelVersionHistory } from '../model/model-versions.ts';
import { loadPeerGroups } from '../peers/peer-groups.ts';
import { instantsActive } from '../scores/scores-as-of.ts';
import { interactionsAt, loadCustomerInputs, scoringInputAt, type CustomerInputs } from '../scores/scoring-inputs.ts';
import { historyBreakdown } from '../scores/store-scores.ts';
import type { Tx } from '../transaction.ts';
import { BACKFILL_EVERY_DAYS, scopeWhere, type RescoreScope } from './rescore-queue.ts';

/**
 * A chunk's transaction (here and rescore-chunk.ts) may wait for the connection (PGlite's one, or
 * the pool) and take long on a loaded machine: Prisma's 5-second default failed whole history runs
 * during a 1,000,000-row import through the API (the runs FAILED, their customers left without
 * history). Waiting and running together stay within the runner's 60-second lease, after which
 * another instance would take the run over.
 */
export const CHUNK_TRANSACTION = { maxWait: 20_000, timeout: 35_000 };

/** The most instants one grid run may write per customer (ten years of weeks). */
export const MAX_GRID_INSTANTS = 520;

/** `from`, then every `everyDays` days, up to `to` included. */
export function gridInstants(from: Date, to: Date, everyDays: number): Date[] {
  const step = everyDays * DAY_MS;
  const instants: Date[] = [];
  for (let t = from.getTime(); t <= to.getTime() && instants.length < MAX_GRID_INSTANTS; t += step) {
    instants.push(new Date(t));
  }
  return instants;
}

/**
 * The backfill grid instant at or before `at`. Backfill grids are counted from the Unix epoch, so
 * every backfill of a customer, however it was started, lands on the same instants.
 */
export function backfillGridStart(at: Date): Date {
  const step = BACKFILL_EVERY_DAYS * DAY_MS;
  return new Date(Math.floor(at.getTime() / step) * step);
}

type SnapshotKind = 'grid' | 'band';

/** A snapshot id derived from what it is, so a rerun upserts the same row instead of adding one. */
export function snapshotId(kind: SnapshotKind, customerId: string, at: Date): string {
  const hex = createHash('sha256').update(`${kind}:${customerId}:${at.toISOString()}`).digest('hex');
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Scores a customer at an instant under the model version in force then. */
/** The models in force over the history, and today's peers for formula 2 (peers/peer-groups.ts). */
interface HistoryModels {
  versions: ModelVersionHistory;
  peers: PeerGroups | undefined;
}

function scoreAt(models: HistoryModels, customer: CustomerInputs, at: Date): { result: ScoreResult; version: number } {
  const { version, compiled } = models.versions.inForceAt(at);
  const input = scoringInputAt(customer, at);
  const peers = models.peers && peersFor(models.peers, input.segment);
  return { result: scoreCustomer(compiled, input, interactionsAt(customer, at), at, { peers }), version };
}

interface Point {
  id: string;
  at: Date;
  result: ScoreResult;
  version: number;
}

/**
 * The first instant (to the millisecond) in (lo, hi] with hi's band, by bisection: where the band
 * changed between two points whose bands differ. A band that changes and changes back between two
 * points is not seen; a finer grid sees it.
 */
function bandChange(versions: HistoryModels, customer: CustomerInputs, lo: Point, hi: Point): Point | null {
  const before = lo.result.band.key;
  let low = lo.at.getTime();
  let high = hi;
  while (high.at.getTime() - low > 1) {
    const mid = new Date(Math.floor((low + high.at.getTime()) / 2));
    const scored = scoreAt(versions, customer, mid);
    if (scored.result.band.key === before) low = mid.getTime();
    else high = { id: snapshotId('band', customer.id, mid), at: mid, ...scored };
  }
  // A change at `hi` itself is already on record there.
  return high === hi ? null : high;
}

/** The snapshots of one customer over the run's range: stored ones rescored, grid instants, band changes. */
function customerHistory(
  versions: HistoryModels,
  customer: CustomerInputs,
  grid: Date[],
  stored: { id: string; computedAt: Date }[],
): Point[] {
  const kept = stored.filter((s) => s.id !== snapshotId('band', customer.id, s.computedAt));
  const taken = new Set(kept.map((s) => s.computedAt.getTime()));
  const points = [
    ...kept.map((s) => ({ id: s.id, at: s.computedAt })),
    ...grid.filter((at) => !taken.has(at.getTime())).map((at) => ({ id: snapshotId('grid', customer.id, at), at })),
  ]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((p) => ({ ...p, ...scoreAt(versions, customer, p.at) }));
  const changes: Point[] = [];
  for (let i = 1; i < points.length; i++) {
    if (points[i - 1]!.result.band.key !== points[i]!.result.band.key) {
      const change = bandChange(versions, customer, points[i - 1]!, points[i]!);
      if (change) changes.push(change);
    }
  }
  return [...points, ...changes];
}

/**
 * Writes the next chunk of a history grid run and moves its cursor, in one transaction; returns
 * the updated run, or null when no customer is left. `moveCursor` is the rescoring chunk's own
 * (it refuses a run taken over by another runner).
 */
export async function historyGridChunk(
  prisma: PrismaClient,
  run: RescoreRun,
  chunkSize: number,
  moveCursor: (tx: Tx, ids: string[]) => Promise<void>,
): Promise<RescoreRun | null> {
  const where = scopeWhere(run.workspaceId, run.scope as RescoreScope | null, true);
  const ids = (
    await prisma.customer.findMany({
      where: run.cursor ? { AND: [where, { id: { gt: run.cursor } }] } : where,
      select: { id: true },
      orderBy: { id: 'asc' },
      take: chunkSize,
    })
  ).map((c) => c.id);
  if (ids.length === 0) return null;
  const from = run.gridFrom ?? run.asOf;
  const grid = gridInstants(from, run.asOf, run.gridEveryDays ?? BACKFILL_EVERY_DAYS);
  const history = await loadModelVersions(prisma, run.workspaceId);
  const versions: HistoryModels = {
    versions: history,
    peers: await loadPeerGroups(prisma, run.workspaceId, history.inForceAt(run.asOf).compiled),
  };
  const customers = await loadCustomerInputs(prisma, run.workspaceId, ids, run.asOf);
  // A grid instant counts for a customer active then, as scoresAsOf has it (known, not churned).
  const activeAt = await instantsActive(prisma, run.workspaceId, grid, ids);
  const stored = await prisma.scoreSnapshot.findMany({
    where: { customerId: { in: ids }, computedAt: { gte: from, lte: run.asOf } },
    select: { id: true, customerId: true, computedAt: true },
  });
  await yieldToEventLoop();
  const rows = customers.flatMap((customer) =>
    customerHistory(
      versions,
      customer,
      activeAt.get(customer.id) ?? [],
      stored.filter((s) => s.customerId === customer.id),
    ).map((p) => ({
      id: p.id,
      customerId: customer.id,
      computedAt: p.at.toISOString(),
      score: p.result.score,
      band: p.result.band.key,
      coverage: p.result.coverage,
      breakdown: historyBreakdown(p.result),
      modelVersion: p.version,
    })),
  );
  const written = new Set(rows.map((r) => r.id));
  const stale = stored.filter((s) => s.id === snapshotId('band', s.customerId, s.computedAt) && !written.has(s.id));
  await yieldToEventLoop();
  return prisma.$transaction(async (tx: Tx) => {
    await moveCursor(tx, ids);
    if (stale.length)
      await tx.scoreSnapshot.deleteMany({
        where: { workspaceId: run.workspaceId, id: { in: stale.map((s) => s.id) } },
      });
    // One statement with one JSON parameter; a rerun updates each row to what it already holds.
    await tx.$executeRaw`
      INSERT INTO "ScoreSnapshot" ("id", "workspaceId", "customerId", "computedAt", "score", "band", "coverage", "breakdown", "modelVersion")
      SELECT r."id", ${run.workspaceId}::uuid, r."customerId", r."computedAt", r."score", r."band"::"Band", r."coverage", r."breakdown", r."modelVersion"
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r("id" uuid, "customerId" uuid, "computedAt" timestamp(3),
        "score" float8, "band" text, "coverage" float8, "breakdown" jsonb, "modelVersion" int)
      ON CONFLICT ("workspaceId", "id") DO UPDATE SET "score" = excluded."score", "band" = excluded."band", "coverage" = excluded."coverage",
        "breakdown" = excluded."breakdown", "modelVersion" = excluded."modelVersion"`;
    // The current scores stay, but their change over 30 days is read from the history, which these
    // snapshots just filled in: the write that queued the run found none 30 days back (null) or an
    // older one, while the trend read from the history answered with these (the at-risk reasons,
    // statistics and ordering by change read the stored one). Rows locked in id order, as writers lock them.
    await tx.$executeRaw`
      WITH locked AS (
        SELECT "id" FROM "Customer"
        WHERE "workspaceId" = ${run.workspaceId}::uuid AND "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE
      )
      UPDATE "Customer" AS c SET "scoreChange30d" = (
        SELECT floor((c."score" - s."score") * 10 + 0.5) / 10 FROM "ScoreSnapshot" s
        WHERE s."customerId" = c."id" AND s."computedAt" <= c."scoreComputedAt" - interval '30 days'
        ORDER BY s."computedAt" DESC LIMIT 1)
      WHERE c."workspaceId" = ${run.workspaceId}::uuid AND c."id" IN (SELECT "id" FROM locked) AND c."score" IS NOT NULL`;
    return tx.rescoreRun.findUniqueOrThrow({ where: workspaceKey(run.workspaceId, run.id) });
  }, CHUNK_TRANSACTION);
}
