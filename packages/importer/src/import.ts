// Imports a planned file: customers created or updated by external id, interactions inserted with
// their derived idempotency keys (a re-run inserts nothing), outcomes recorded the same way, then
// the touched customers rescored through a rescoring run (the same table-backed job the server
// runs). Outcomes change no score, so they add no customer to the rescoring.
import { basename } from 'node:path';
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
  let done = 0;
  const touched = new Set<string>();
  const historyFrom = new Map<string, Date>();
  for (const batch of chunks(toCreate)) {
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
    done += batch.length;
    options.onProgress?.('import', done, total);
  }
  for (const c of toUpdate) {
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
  for (const c of toCreate) touched.add(ids.get(c.externalId)!);
  const types = new Map(
    (await prisma.interactionType.findMany({ where: { workspaceId }, select: { id: true, key: true } })).map((t) => [
      t.key,
      t.id,
    ]),
  );
  const source = `import:${basename(options.fileName)}`.slice(0, 200);
  for (const batch of chunks(newRows)) {
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
    for (const r of rows) {
      touched.add(r.customerId);
      // The customers whose history the import reaches back into, from when.
      if (r.occurredAt.getTime() < (historyFrom.get(r.customerId)?.getTime() ?? Number.POSITIVE_INFINITY))
        historyFrom.set(r.customerId, r.occurredAt);
    }
    done += batch.length;
    options.onProgress?.('import', done, total);
  }

  const churned = await recordImportedOutcomes(
    prisma,
    workspaceId,
    newOutcomes.map((r) => ({ customerId: ids.get(r.customer.externalId)!, outcome: r.outcome! })),
    {
      source,
      now,
      onBatch: (count) => {
        done += count;
        options.onProgress?.('import', done, total);
      },
    },
  );
  summary.customersChurned = churned.size;

  if (touched.size) {
    const run = await enqueueRescore(prisma, {
      workspaceId,
      reason: `import ${basename(options.fileName)}`,
      asOf: now,
      scope: { customerIds: [...touched] },
    });
    const runner = new RescoreRunner(prisma, {
      onChunk: (r) => r.id === run.id && options.onProgress?.('rescore', r.done, r.total),
    });
    runner.kick();
    await runner.idle();
    summary.customersRescored = touched.size;
  }
  if (historyFrom.size) {
    // An imported past gets its history at its own instants (weekly, plus each band change), not
    // one snapshot stamped "now": the same backfill the API queues for late interactions.
    const earliest = new Date(Math.min(...[...historyFrom.values()].map((d) => d.getTime())));
    const grid = await enqueueRescore(prisma, {
      workspaceId,
      reason: `history of import ${basename(options.fileName)}`,
      asOf: now,
      scope: { customerIds: [...historyFrom.keys()] },
      grid: { from: backfillGridStart(earliest), everyDays: BACKFILL_EVERY_DAYS },
    });
    const runner = new RescoreRunner(prisma, {
      onChunk: (r) => r.id === grid.id && options.onProgress?.('history', r.done, r.total),
    });
    runner.kick();
    await runner.idle();
  }
  return summary;
}
