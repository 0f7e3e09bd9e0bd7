// Imports a planned file: customers created or updated by external id, interactions inserted with
// their derived idempotency keys (a re-run inserts nothing), outcomes recorded the same way, then
// the touched customers rescored through a rescoring run (the same table-backed job the server
// runs). Outcomes change no score, so they add no customer to the rescoring.
import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Prisma, PrismaClient } from '@pulso/database';
import { compileModel } from '@pulso/scoring';
import {
  BACKFILL_EVERY_DAYS,
  backfillGridStart,
  enqueueRescore,
  insertInteractions,
  loadScoringModel,
  RescoreRunner,
  type InteractionRow,
} from '@pulso/core';
import type { Mapping } from './config.ts';
import { recordedOutcomeKeys, recordImportedOutcomes } from './outcome-import.ts';
import { planRows, type BadRow } from './rows.ts';

export interface ImportOptions {
  prisma: PrismaClient;
  workspaceId: string;
  mapping: Mapping;
  /** The CSV text and the file name (for messages). */
  csv: string;
  fileName: string;
  dryRun?: boolean;
  now?: Date;
  /**
   * Stops the import after the batch being written (Ctrl-C): what is stored stays, its customers are
   * queued for rescoring, and a rerun of the same file stores the rest (the idempotency keys skip
   * what is there). The summary then says `interrupted` and counts only what was stored.
   */
  signal?: AbortSignal;
  /** Progress of each phase: `check`, `import`, `rescore`. */
  onProgress?: (phase: 'check' | 'import' | 'rescore' | 'history', done: number, total: number) => void;
}

export interface ImportSummary {
  rows: number;
  bad: BadRow[];
  customersCreated: number;
  customersUpdated: number;
  interactionsInserted: number;
  /** Interactions already imported (same file content), skipped. */
  interactionsSkipped: number;
  outcomesInserted: number;
  /** Outcomes already imported (same file content), skipped. */
  outcomesSkipped: number;
  /** Customers that the imported outcomes left churned (not counted in a dry run). */
  customersChurned: number;
  customersRescored: number;
  dryRun: boolean;
  /** Stopped by the signal before everything was written (the counts are what was stored). */
  interrupted: boolean;
}

const BATCH = 1_000;

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function resolveWorkspace(
  prisma: PrismaClient,
  slug: string | undefined,
): Promise<{ id: string; slug: string }> {
  if (slug) {
    const found = await prisma.workspace.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (!found) throw new Error(`no workspace "${slug}" in this database`);
    return found;
  }
  const all = await prisma.workspace.findMany({ select: { id: true, slug: true }, take: 2 });
  if (all.length !== 1)
    throw new Error(
      all.length
        ? 'this database has several workspaces: name one with --workspace <slug>'
        : 'this database has no workspace yet: start the server once',
    );
  return all[0]!;
}

export async function importCsv(options: ImportOptions): Promise<ImportSummary> {
  const { prisma, workspaceId, mapping } = options;
  const now = options.now ?? new Date();
  const { version: _version, ...model } = await loadScoringModel(prisma, workspaceId);
  const plan = planRows(options.csv, mapping, compileModel(model), now);
  options.onProgress?.('check', plan.rows.length + plan.bad.length, plan.rows.length + plan.bad.length);
  const summary: ImportSummary = {
    rows: plan.rows.length + plan.bad.length,
    bad: plan.bad,
    customersCreated: 0,
    customersUpdated: 0,
    interactionsInserted: 0,
    interactionsSkipped: 0,
    outcomesInserted: 0,
    outcomesSkipped: 0,
    customersChurned: 0,
    customersRescored: 0,
    dryRun: options.dryRun ?? false,
    interrupted: false,
  };

  // One entry per customer: the last row wins for name, segment and properties.
  const customers = new Map<string, (typeof plan.rows)[number]['customer']>();
  for (const row of plan.rows) {
    const known = customers.get(row.customer.externalId);
    customers.set(
      row.customer.externalId,
      known ? { ...row.customer, properties: { ...known.properties, ...row.customer.properties } } : row.customer,
    );
  }
  const existing = new Map<
    string,
    { id: string; name: string; segment: string | null; properties: Prisma.JsonValue }
  >();
  for (const ids of chunks([...customers.keys()])) {
    for (const c of await prisma.customer.findMany({
      where: { workspaceId, externalId: { in: ids } },
      select: { id: true, externalId: true, name: true, segment: true, properties: true },
    })) {
      existing.set(c.externalId, c);
    }
  }
  const planned = plan.rows.filter((r) => r.interaction).map((r) => r.interaction!.idempotencyKey);
  const imported = new Set<string>();
  for (const keys of chunks(planned)) {
    for (const i of await prisma.interaction.findMany({
      where: { workspaceId, idempotencyKey: { in: keys } },
      select: { idempotencyKey: true },
    }))
      imported.add(i.idempotencyKey!);
  }
  const toCreate = [...customers.values()].filter((c) => !existing.has(c.externalId));
  const toUpdate = [...customers.values()].filter((c) => {
    const e = existing.get(c.externalId);
    if (!e) return false;
    const merged = { ...(e.properties as Record<string, unknown>), ...c.properties };
    return e.name !== c.name || e.segment !== c.segment || JSON.stringify(merged) !== JSON.stringify(e.properties);
  });
  summary.customersCreated = toCreate.length;
  summary.customersUpdated = toUpdate.length;
  summary.interactionsSkipped = planned.filter((k) => imported.has(k)).length;
  const newRows = plan.rows.filter((r) => r.interaction && !imported.has(r.interaction.idempotencyKey));
  summary.interactionsInserted = newRows.length;
  const outcomeKeys = plan.rows.filter((r) => r.outcome).map((r) => r.outcome!.idempotencyKey);
  const recorded = await recordedOutcomeKeys(prisma, workspaceId, outcomeKeys);
  const newOutcomes = plan.rows.filter((r) => r.outcome && !recorded.has(r.outcome.idempotencyKey));
  summary.outcomesSkipped = outcomeKeys.length - newOutcomes.length;
  summary.outcomesInserted = newOutcomes.length;
  if (summary.dryRun) return summary;

  const total = toCreate.length + toUpdate.length + newRows.length + newOutcomes.length;
  // Checked before each batch, after a turn of the event loop: PGlite answers through promises
  // alone, so without that turn a signal (Ctrl-C) would be heard only once the import had ended.
  const stopped = async () => {
    if (options.signal) await nextTurn();
    return options.signal?.aborted === true;
  };
  let done = 0;
  // What was stored, counted as it is: all of the plan unless the signal stops the import.
  let created = 0;
  let updated = 0;
  let inserted = 0;
  const touched = new Set<string>();
  const historyFrom = new Map<string, Date>();
  for (const batch of chunks(toCreate)) {
    if (await stopped()) break;
    await prisma.customer.createMany({
      data: batch.map((c) => ({
        workspaceId,
        externalId: c.externalId,
        name: c.name,
        segment: c.segment,
        properties: c.properties,
      })),
      skipDuplicates: true,
    });
    created += batch.length;
    done += batch.length;
    options.onProgress?.('import', done, total);
  }
  for (const c of toUpdate) {
    if (await stopped()) break;
    const e = existing.get(c.externalId)!;
    await prisma.customer.update({
      where: { id: e.id },
      data: {
        name: c.name,
        segment: c.segment,
        properties: { ...(e.properties as Record<string, string>), ...c.properties },
      },
    });
    if (e.segment !== c.segment) touched.add(e.id);
    updated += 1;
    done += 1;
    if (done % 100 === 0) options.onProgress?.('import', done, total);
  }
  const ids = new Map<string, string>();
  for (const batch of chunks([...customers.keys()])) {
    for (const c of await prisma.customer.findMany({
      where: { workspaceId, externalId: { in: batch } },
      select: { id: true, externalId: true },
    }))
      ids.set(c.externalId, c.id);
  }
  for (const c of toCreate.slice(0, created)) touched.add(ids.get(c.externalId)!);
  const types = new Map(
    (await prisma.interactionType.findMany({ where: { workspaceId }, select: { id: true, key: true } })).map((t) => [
      t.key,
      t.id,
    ]),
  );
  const source = `import:${basename(options.fileName)}`.slice(0, 200);
  for (const batch of chunks(newRows)) {
    if (await stopped()) break;
    const rows: InteractionRow[] = batch.map(({ customer, interaction: i }) => ({
      workspaceId,
      customerId: ids.get(customer.externalId)!,
      typeId: types.get(i!.typeKey)!,
      occurredAt: i!.occurredAt,
      intensity: i!.intensity,
      sentiment: i!.sentiment,
      value: i!.value,
      comment: i!.comment,
      journeyStage: i!.journeyStage,
      source,
      idempotencyKey: i!.idempotencyKey,
    }));
    await insertInteractions(prisma, rows);
    inserted += rows.length;
    for (const r of rows) {
      touched.add(r.customerId);
      // The customers whose history the import reaches back into, from when.
      if (r.occurredAt.getTime() < (historyFrom.get(r.customerId)?.getTime() ?? Number.POSITIVE_INFINITY))
        historyFrom.set(r.customerId, r.occurredAt);
    }
    done += batch.length;
    options.onProgress?.('import', done, total);
  }

  let recordedOutcomes = 0;
  const churned = await recordImportedOutcomes(
    prisma,
    workspaceId,
    newOutcomes.map((r) => ({ customerId: ids.get(r.customer.externalId)!, outcome: r.outcome! })),
    {
      source,
      now,
      signal: options.signal,
      onBatch: (count) => {
        recordedOutcomes += count;
        done += count;
        options.onProgress?.('import', done, total);
      },
    },
  );
  summary.customersChurned = churned.size;
  summary.interrupted = options.signal?.aborted === true && done < total;
  Object.assign(summary, {
    customersCreated: created,
    customersUpdated: updated,
    interactionsInserted: inserted,
    outcomesInserted: recordedOutcomes,
  });

  // Queued first, both: an interrupted import leaves its rescoring in the table, where the server's
  // runner or the next import's (which claims every pending run) completes it.
  const run = touched.size
    ? await enqueueRescore(prisma, {
        workspaceId,
        reason: `import ${basename(options.fileName)}`,
        asOf: now,
        scope: { customerIds: [...touched] },
      })
    : undefined;
  // An imported past gets its history at its own instants (weekly, plus each band change), not
  // one snapshot stamped "now": the same backfill the API queues for late interactions.
  const grid = historyFrom.size
    ? await enqueueRescore(prisma, {
        workspaceId,
        reason: `history of import ${basename(options.fileName)}`,
        asOf: now,
        scope: { customerIds: [...historyFrom.keys()] },
        grid: {
          from: backfillGridStart(new Date(Math.min(...[...historyFrom.values()].map((d) => d.getTime())))),
          everyDays: BACKFILL_EVERY_DAYS,
        },
      })
    : undefined;
  if (summary.interrupted) return summary;
  // Also run when this import touched nothing: a pending run an interrupted import left is done here.
  const runner = new RescoreRunner(prisma, {
    onChunk: (r) => {
      if (r.id === run?.id) options.onProgress?.('rescore', r.done, r.total);
      else if (r.id === grid?.id) options.onProgress?.('history', r.done, r.total);
    },
  });
  runner.kick();
  await runner.idle();
  summary.customersRescored = touched.size;
  return summary;
}
