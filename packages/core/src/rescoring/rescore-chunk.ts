// One chunk of a rescoring run: the next customers after the run's cursor scored "as of" the run's
// instant, and their scores committed together with the moved cursor, so a chunk is never counted
// twice. Several instances may share one PostgreSQL database: each chunk commits only if the run is
// still as its owner last saw it (cursor and updatedAt), so an instance whose lease was taken over
// stops instead of writing a chunk again.
//
// PGlite runs every query on the event loop: a chunk yields to it between its reads, its scoring
// and its writes (setImmediate), so API requests are answered while a large rescoring is under way.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type Band, Prisma, type PrismaClient, type RescoreRun, workspaceKey } from '@pulso/database';
import { peersFor, scoreCustomer } from '@pulso/scoring';
import { measurePeers } from '../peers/measure-peers.ts';
import { forgetPeerGroups, loadPeerGroups, noPeers } from '../peers/peer-groups.ts';
import { currentModel } from '../model/current-model.ts';
import { scoreChangeOf, type ScoreChange } from '../scores/score-change.ts';
import { interactionsAt, loadCustomerInputs, scoringInputAt } from '../scores/scoring-inputs.ts';
import { EVERY_INTERACTION, scoreAsOf, scoreCustomersFromState } from '../scores/score-from-state.ts';
import { type ComputedScore, historyBreakdown, storeScores } from '../scores/store-scores.ts';
import type { Tx } from '../transaction.ts';
import { CHUNK_TRANSACTION, historyGridChunk } from './history-grid.ts';
import { scopeWhere, type RescoreScope } from './rescore-queue.ts';

/** The run as its owner last wrote it: any other writer (a takeover) changes its updatedAt. */
export function owned(run: RescoreRun): Prisma.RescoreRunWhereInput {
  return { workspaceId: run.workspaceId, id: run.id, cursor: run.cursor, updatedAt: run.updatedAt };
}

/**
 * Moves a run's cursor past a chunk, first in the chunk's transaction so the run's row is locked
 * before any score is written: a second writer of the same chunk waits here, then finds the cursor
 * moved (PostgreSQL re-checks the condition) and stops with RescoreRunTakenOverError.
 */
async function moveCursor(tx: Tx, run: RescoreRun, ids: string[]): Promise<void> {
  const moved = await tx.rescoreRun.updateMany({
    where: owned(run),
    data: {
      cursor: ids[ids.length - 1]!,
      done: { increment: ids.length },
      total: run.total < run.done + ids.length ? run.done + ids.length : undefined,
    },
  });
  if (moved.count === 0) throw new RescoreRunTakenOverError(run.id);
}

/** The run changed under a chunk: another instance took it over. Nothing of the chunk was written. */
export class RescoreRunTakenOverError extends Error {
  constructor(readonly runId: string) {
    super(`rescoring run ${runId} was taken over by another runner`);
    this.name = 'RescoreRunTakenOverError';
  }
}

/**
 * Rescores the next chunk of a run and moves its cursor, in one transaction. Returns the updated
 * run, or null when no customer is left. Throws RescoreRunTakenOverError, writing nothing, when
 * the run is no longer as `run` shows it (another runner moved it on or claimed it).
 */
export async function rescoreChunk(
  prisma: PrismaClient,
  run: RescoreRun,
  chunkSize: number,
  onScoreChanges?: (changes: ScoreChange[]) => void,
): Promise<RescoreRun | null> {
  if (run.gridEveryDays !== null)
    return historyGridChunk(prisma, run, chunkSize, (tx, ids) => moveCursor(tx, run, ids));
  const where = scopeWhere(run.workspaceId, run.scope as RescoreScope | null, run.recomputeHistory);
  // A run over the whole workspace (a full rescoring, a model change for everyone) compares each
  // customer with peers read afresh from the stored scores, not ones cached up to PEERS_TTL_MS ago
  // (customers added or moved to a segment since then were missing from them), and leaves them to
  // be read again from the scores it stored.
  const everyone = run.scope == null;
  if (everyone && run.cursor == null) forgetPeerGroups(run.workspaceId);
  const ids = (
    await prisma.customer.findMany({
      where: run.cursor ? { AND: [where, { id: { gt: run.cursor } }] } : where,
      select: { id: true },
      orderBy: { id: 'asc' },
      take: chunkSize,
    })
  ).map((c) => c.id);
  if (ids.length === 0) {
    if (everyone) forgetPeerGroups(run.workspaceId);
    return null;
  }
  // The model in force now: a change made during a long run applies to the rest of it (and
  // queues its own run for the customers already done).
  const { version, compiled } = await currentModel(prisma, run.workspaceId);
  const before = onScoreChanges
    ? new Map(
        (
          await prisma.customer.findMany({
            where: { workspaceId: run.workspaceId, id: { in: ids } },
            select: { id: true, externalId: true, score: true, band: true },
          })
        ).map((c) => [c.id, c]),
      )
    : new Map<string, { externalId: string; score: number | null; band: Band | null }>();
  let peers = await loadPeerGroups(prisma, run.workspaceId, compiled);
  // The first scoring under formula 2 finds no stored activity to compare with: measure it once.
  if (noPeers(peers)) peers = await measurePeers(prisma, run.workspaceId, compiled, run.asOf);

  // Formula 2 rescoring "as of" an instant (the schedule, an on-demand run) moves each customer's
  // stored tally forward instead of reading its history: a pass over customer rows, whatever the
  // histories hold. A chunk where some customer has no tally under the model in force (none yet;
  // after a model change, none has) is scored from the histories below, outside the rows' lock, and
  // its tallies stored; one whose tally stops serving between the two reads (taken after the run's
  // instant) is rebuilt under the lock. Recomputing history needs the interactions themselves.
  if (
    compiled.formula === 2 &&
    !run.recomputeHistory &&
    (await allHaveTallies(prisma, run.workspaceId, ids, version))
  ) {
    const { stored, current, written } = await prisma.$transaction(async (tx: Tx) => {
      // First: the run's row is locked before any score is written.
      await moveCursor(tx, run, ids);
      // The tallies are read under the rows' lock, as a write reads them: a write to one of these
      // customers meanwhile either finished before (its tally is read here) or waits for this chunk.
      const states = await tx.$queryRaw<StoredStateRow[]>`
        SELECT "id"::text AS "customerId", "scoringState", "scoringStateModelVersion"
        FROM "Customer" WHERE "workspaceId" = ${run.workspaceId}::uuid AND "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE`;
      const scored = await scoreCustomersFromState(
        tx,
        run.workspaceId,
        compiled,
        version,
        states,
        NOTHING_INSERTED,
        run.asOf,
        peers,
      );
      const saved = await storeScores(tx, run.workspaceId, version, run.asOf, scored, {
        states: new Map(scored.map((c) => [c.customerId, c.state])),
      });
      return {
        stored: await tx.rescoreRun.findUniqueOrThrow({ where: workspaceKey(run.workspaceId, run.id) }),
        current: scored,
        written: new Set(saved),
      };
    }, CHUNK_TRANSACTION);
    reportChanges(run, version, current, written, before, onScoreChanges);
    return stored;
  }

  // Every interaction, later ones included: formula 2 stores each customer's tally with its score
  // only when none is after `asOf` (score-from-state.ts).
  const customers = await loadCustomerInputs(prisma, run.workspaceId, ids, EVERY_INTERACTION);
  // Reading, scoring and storing a chunk are each a few milliseconds of JavaScript: requests that
  // arrived meanwhile are answered between them, not after the whole chunk (benchmark 3).
  await yieldToEventLoop();
  const context = (segment: string | null | undefined) => ({ peers: peers && peersFor(peers, segment) });
  // Formula 2 scores through each customer's tally and stores it, so that the writes after a full
  // rescoring (a model change, a restore) score from it instead of rebuilding it one by one.
  const current = customers.map((c) => scoreAsOf(compiled, c, run.asOf, peers));

  let history: {
    id: string;
    score: number;
    band: string;
    coverage: number;
    breakdown: unknown;
    modelVersion: number;
  }[] = [];
  if (run.recomputeHistory) {
    const byId = new Map(customers.map((c) => [c.id, c]));
    const snapshots = await prisma.scoreSnapshot.findMany({
      where: { customerId: { in: ids }, computedAt: { lt: run.asOf } },
      select: { id: true, customerId: true, computedAt: true },
    });
    history = snapshots.map((s) => {
      const customer = byId.get(s.customerId)!;
      const input = scoringInputAt(customer, s.computedAt);
      const result = scoreCustomer(
        compiled,
        input,
        interactionsAt(customer, s.computedAt),
        s.computedAt,
        context(input.segment),
      );
      return {
        id: s.id,
        score: result.score,
        band: result.band.key,
        coverage: result.coverage,
        breakdown: historyBreakdown(result),
        modelVersion: version,
      };
    });
  }

  await yieldToEventLoop();
  let written = new Set<string>();
  const stored = await prisma.$transaction(async (tx: Tx) => {
    // First: the run's row is locked before any score is written.
    await moveCursor(tx, run, ids);
    if (history.length) {
      // One statement with one JSON parameter: row-by-row updates cost a round trip each.
      await tx.$executeRaw`
        UPDATE "ScoreSnapshot" AS s
        SET "score" = r."score", "band" = r."band"::"Band", "coverage" = r."coverage", "breakdown" = r."breakdown", "modelVersion" = r."modelVersion"
        FROM jsonb_to_recordset(${JSON.stringify(history)}::jsonb)
          AS r("id" uuid, "score" float8, "band" text, "coverage" float8, "breakdown" jsonb, "modelVersion" int)
        WHERE s."workspaceId" = ${run.workspaceId}::uuid AND s."id" = r."id"`;
    }
    const states = compiled.formula === 2 ? new Map(current.map((c) => [c.customerId, c.state ?? null])) : undefined;
    written = new Set(await storeScores(tx, run.workspaceId, version, run.asOf, current, states ? { states } : {}));
    return tx.rescoreRun.findUniqueOrThrow({ where: workspaceKey(run.workspaceId, run.id) });
  }, CHUNK_TRANSACTION);
  reportChanges(run, version, current, written, before, onScoreChanges);
  return stored;
}

/** Whether every customer of the chunk has a tally stored under the model version in force. */
async function allHaveTallies(
  prisma: PrismaClient,
  workspaceId: string,
  ids: string[],
  version: number,
): Promise<boolean> {
  const withTally = await prisma.customer.count({
    where: { workspaceId, id: { in: ids }, scoringStateModelVersion: version, scoringState: { not: Prisma.DbNull } },
  });
  return withTally === ids.length;
}

interface StoredStateRow {
  customerId: string;
  scoringState: unknown;
  scoringStateModelVersion: number | null;
}

/** A rescoring inserts no interaction: tallies only move forward to the run's instant. */
const NOTHING_INSERTED = new Map<string, never[]>();

/** Tells `onScoreChanges` of the customers whose stored score or band this chunk moved. */
function reportChanges(
  run: RescoreRun,
  version: number,
  current: ComputedScore[],
  written: Set<string>,
  before: Map<string, { externalId: string; score: number | null; band: Band | null }>,
  onScoreChanges: ((changes: ScoreChange[]) => void) | undefined,
): void {
  if (!onScoreChanges) return;
  const changes: ScoreChange[] = [];
  for (const { customerId, result } of current) {
    const old = before.get(customerId);
    // A customer scored meanwhile as of a later instant kept that score: nothing moved.
    if (!old || !written.has(customerId) || (old.score === result.score && old.band === result.band.key)) continue;
    changes.push(scoreChangeOf(run.workspaceId, customerId, old, result, run.asOf, version));
  }
  if (changes.length) onScoreChanges(changes);
}
