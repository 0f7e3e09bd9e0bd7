// Imports a CSV file as it streams, one batch of rows at a time, into a sink (sink.ts: the database
// directly, or a running server's API). For each batch: what of it is stored already is looked up
// (customers by external id, interactions and outcomes by idempotency key), customers are created
// or updated where a field differs, then the new interactions and outcomes are recorded — each
// batch scored as it commits, by the same @pulso/core code either way. Nothing holds the whole
// file: a batch, the first bad rows (the others are counted), and 64-bit fingerprints of what was
// read (fingerprints.ts). Ctrl-C (the signal) stops the import after the batch being written: what
// is stored is scored, and a rerun skips it by its keys and stores the rest.
import type { Readable } from 'node:stream';
import { Readable as ReadableStream } from 'node:stream';
import { basename } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { InteractionWrite, OutcomeWrite } from '@pulso/core';
import type { JourneyStage } from '@pulso/database';
import { compileModel } from '@pulso/scoring';
import { FileError } from './cells.ts';
import type { Mapping } from './config.ts';
import { FingerprintTable } from './fingerprints.ts';
import { csvRecords } from './read-csv.ts';
import { type BadRow, type PlannedRow, type RecordKeys, RowPlanner } from './rows.ts';
import { BatchRefused, type CustomerWrite, type ImportSink, type Lookup } from './sink.ts';

export interface ImportOptions {
  sink: ImportSink;
  mapping: Mapping;
  /** The CSV text: a stream of strings (encoding.ts' openText), or a string. */
  csv: Readable | string;
  /** The file's name, for the interactions' source (`import:<name>`) and messages. */
  fileName: string;
  dryRun?: boolean;
  now?: Date;
  /**
   * Stops the import after the batch being written (Ctrl-C): what is stored stays, scored, and a
   * rerun of the same file stores the rest (the idempotency keys skip what is there). The summary
   * then says `interrupted` and counts only what was stored.
   */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Rows per batch (default 1,000, the API's largest batch). */
  batchSize?: number;
  /** Bad rows listed in the summary (default 100); the others are counted. */
  listBadRows?: number;
}

export interface Progress {
  /** `import` while rows are written, `history` while the direct import writes past instants. */
  phase: 'import' | 'history';
  /** Rows read (written, or refused) so far. */
  rows: number;
  bad: number;
  /** The history's progress, in customers. */
  done?: number;
  total?: number;
}

export interface ImportSummary {
  /** Rows read (the header is not one). */
  rows: number;
  /** The first bad rows, by line (`listBadRows` of them); `badCount` counts them all. */
  bad: BadRow[];
  badCount: number;
  customersCreated: number;
  customersUpdated: number;
  interactionsInserted: number;
  /**
   * Interactions already imported, skipped: found by their key (the row's content, or with an id
   * column the source's id, a record changed since being kept as first imported).
   */
  interactionsSkipped: number;
  outcomesInserted: number;
  /** Outcomes already imported, skipped (found by their key, as interactions). */
  outcomesSkipped: number;
  /** Customers the imported outcomes left churned. */
  customersChurned: number;
  /** Customers scored as their batch was stored: created, with new interactions, or of a new segment. */
  customersScored: number;
  dryRun: boolean;
  /** Stopped by the signal before everything was written (the counts are what was stored). */
  interrupted: boolean;
  /** What became of the history at past instants (null in a dry run or when stopped). */
  history: string | null;
}

/** What the import remembers of each customer it wrote, as bits (in a FingerprintTable). */
const CREATED = 1;
const UPDATED = 2;
const SCORED = 4;
const HAS_OUTCOME = 8;
const CHURNED = 16;

/** The same JSON, key order aside (PostgreSQL's jsonb stores keys in its own order). */
function sameProperties(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.hasOwn(b, k) && JSON.stringify(a[k]) === JSON.stringify(b[k]))
  );
}

export async function importCsv(options: ImportOptions): Promise<ImportSummary> {
  const { sink, mapping, signal } = options;
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const batchSize = options.batchSize ?? 1_000;
  const listBadRows = options.listBadRows ?? 100;
  const source = `import:${basename(options.fileName)}`.slice(0, 200);
  const planner = new RowPlanner(mapping, compileModel(await sink.model()), now);
  const customers = new FingerprintTable();
  const summary: ImportSummary = {
    rows: 0,
    bad: [],
    badCount: 0,
    customersCreated: 0,
    customersUpdated: 0,
    interactionsInserted: 0,
    interactionsSkipped: 0,
    outcomesInserted: 0,
    outcomesSkipped: 0,
    customersChurned: 0,
    customersScored: 0,
    dryRun,
    interrupted: false,
    history: null,
  };
  const addBad = (row: BadRow) => {
    summary.badCount += 1;
    if (summary.bad.length < listBadRows) summary.bad.push(row);
  };
  const mark = (externalId: string, bits: number) => customers.set(externalId, customers.get(externalId) | bits);
  const progress = () => options.onProgress?.({ phase: 'import', rows: summary.rows, bad: summary.badCount });

  /** Stores one batch (or, in a dry run, counts what it would store). */
  async function write(rows: PlannedRow[]): Promise<void> {
    // One write per customer: the last row wins for name and segment, properties add up.
    const named = new Map<string, PlannedRow['customer']>();
    for (const { customer: c } of rows) {
      const known = named.get(c.externalId);
      named.set(
        c.externalId,
        known
          ? {
              ...c,
              name: c.name ?? known.name,
              segment: c.segment === undefined ? known.segment : c.segment,
              properties: { ...known.properties, ...c.properties },
            }
          : c,
      );
    }
    const withInteraction = rows.filter((r) => r.interaction);
    const withOutcome = rows.filter((r) => r.outcome);
    const stored = await sink.lookup(
      [...named.keys()],
      withInteraction.map((r) => r.interaction!.idempotencyKey),
      withOutcome.map((r) => r.outcome!.idempotencyKey),
    );
    const former = await formerlyStored(
      withInteraction.map((r) => r.interaction!),
      withOutcome.map((r) => r.outcome!),
      stored,
    );
    const isNew = (p: RecordKeys, keys: Set<string>, old: Set<string>) =>
      !keys.has(p.idempotencyKey) && !(p.legacyKey !== null && old.has(p.legacyKey));
    const newInteractions = withInteraction.filter((r) =>
      isNew(r.interaction!, stored.interactions, former.interactions),
    );
    const newOutcomes = withOutcome.filter((r) => isNew(r.outcome!, stored.outcomes, former.outcomes));
    summary.interactionsSkipped += withInteraction.length - newInteractions.length;
    summary.outcomesSkipped += withOutcome.length - newOutcomes.length;
    const interacting = new Set(newInteractions.map((r) => r.customer.externalId));

    // Customers new, or with a field that differs: written with every field they should have.
    const creates: CustomerWrite[] = [];
    const updates: CustomerWrite[] = [];
    const moved = new Set<string>();
    for (const c of named.values()) {
      const existing = stored.customers.get(c.externalId);
      const properties = { ...(existing?.properties ?? {}), ...c.properties };
      const name = c.name ?? existing?.name ?? c.externalId;
      const segment = c.segment === undefined ? (existing?.segment ?? null) : c.segment;
      const fields = { externalId: c.externalId, name, segment, properties };
      if (!existing) creates.push(fields);
      else if (
        existing.name !== name ||
        existing.segment !== segment ||
        !sameProperties(existing.properties, properties)
      ) {
        updates.push(fields);
        if (existing.segment !== segment) moved.add(c.externalId);
      }
    }
    if (dryRun) {
      for (const c of creates) if (!(customers.get(c.externalId) & (CREATED | UPDATED))) mark(c.externalId, CREATED);
      for (const c of updates) if (!(customers.get(c.externalId) & (CREATED | UPDATED))) mark(c.externalId, UPDATED);
      summary.interactionsInserted += newInteractions.length;
      summary.outcomesInserted += newOutcomes.length;
      return;
    }
    // Customers created with no interaction to record are scored as they are created; the others
    // are scored with their interactions, in the next request.
    const quiet = creates.filter((c) => !interacting.has(c.externalId));
    const busy = [...creates.filter((c) => interacting.has(c.externalId)), ...updates];
    const created = new Set<string>();
    if (quiet.length) for (const id of await sink.saveCustomers(quiet, true)) created.add(id);
    if (busy.length) for (const id of await sink.saveCustomers(busy, false)) created.add(id);
    for (const c of [...quiet, ...busy]) {
      if (created.has(c.externalId)) mark(c.externalId, CREATED | SCORED);
      else mark(c.externalId, UPDATED | (moved.has(c.externalId) ? SCORED : 0));
    }

    const recorded = await recordAll(
      newInteractions,
      (row) => interactionWrite(row, source),
      (w) => sink.recordInteractions(w),
    );
    summary.interactionsInserted += recorded.recorded;
    summary.interactionsSkipped += recorded.skipped;
    for (const row of recorded.rows) mark(row.customer.externalId, SCORED);

    await recordOutcomes(newOutcomes, waitingForChurn);
  }

  /**
   * A reactivation refused because its customer has no churn recorded before it may meet that churn
   * later in the file (an export listed newest first, or by event type): such rows wait, and are
   * recorded once every batch is in (recordWaiting); only those refused then are bad rows.
   */
  const waitingForChurn: PlannedRow[] = [];

  async function recordOutcomes(rows: PlannedRow[], waiting?: PlannedRow[]): Promise<void> {
    let churned = new Map<string, boolean>();
    const outcomes = await recordAll(
      rows,
      (row) => outcomeWrite(row, source),
      async (w) => {
        const result = await sink.recordOutcomes(w);
        churned = new Map([...churned, ...result.churned]);
        return result;
      },
      waiting &&
        ((row, code) => {
          if (code !== 'NOT_CHURNED') return false;
          waiting.push(row);
          return true;
        }),
    );
    summary.outcomesInserted += outcomes.recorded;
    summary.outcomesSkipped += outcomes.skipped;
    for (const [externalId, isChurned] of churned) {
      const bits = customers.get(externalId) & ~CHURNED;
      customers.set(externalId, bits | HAS_OUTCOME | (isChurned ? CHURNED : 0));
    }
  }

  /**
   * Rows keyed by their source id and not stored under it may have been imported before their
   * mapping named the id, under their content key (rows.ts, RecordKeys): those keys, looked up in
   * a second lookup, made only when such rows are in the batch.
   */
  async function formerlyStored(
    interactions: RecordKeys[],
    outcomes: RecordKeys[],
    stored: Lookup,
  ): Promise<Pick<Lookup, 'interactions' | 'outcomes'>> {
    const unfound = (plans: RecordKeys[], keys: Set<string>) =>
      plans.flatMap((p) => (p.legacyKey !== null && !keys.has(p.idempotencyKey) ? [p.legacyKey] : []));
    const i = unfound(interactions, stored.interactions);
    const o = unfound(outcomes, stored.outcomes);
    if (i.length === 0 && o.length === 0) return { interactions: new Set(), outcomes: new Set() };
    return sink.lookup([], i, o);
  }

  /**
   * Records the rows' writes; a write the destination refuses makes its row bad (or, for a key
   * stored meanwhile with other content, already imported) and the others are sent again.
   */
  /** `later`: whether a refused row is kept to be tried again (true) rather than a bad row. */
  async function recordAll<W>(
    rows: PlannedRow[],
    toWrite: (row: PlannedRow) => W,
    record: (writes: W[]) => Promise<{ recorded: number; replayed: number }>,
    later?: (row: PlannedRow, code: string | undefined) => boolean,
  ): Promise<{ recorded: number; skipped: number; rows: PlannedRow[] }> {
    let pending = rows;
    let skipped = 0;
    while (pending.length > 0) {
      try {
        const { recorded, replayed } = await record(pending.map(toWrite));
        return { recorded, skipped: skipped + replayed, rows: pending };
      } catch (error) {
        if (!(error instanceof BatchRefused)) throw error;
        const refused = new Map(error.problems.map((p) => [p.index, p]));
        // A conflict (a key stored with other content since the lookup, by another run: likelier
        // with ids, which keep a record's key when its content changes) is refused one write at a
        // time, each taking one write out of the batch, as invalid writes are a few at a time.
        // Each round takes at least one write out (a server reports up to 50 invalid values a
        // request, so a batch may need several); a refusal naming none would repeat for ever.
        if (![...refused.keys()].some((index) => pending[index] !== undefined)) throw error;
        for (const [index, problem] of refused) {
          if (pending[index] === undefined) continue;
          if (problem.conflict) skipped += 1;
          else if (!later?.(pending[index]!, problem.code))
            addBad({ line: pending[index]!.line, reason: problem.reason });
        }
        pending = pending.filter((_, i) => !refused.has(i));
      }
    }
    return { recorded: 0, skipped, rows: [] };
  }

  /**
   * Whether the signal stopped the import, heard before each batch. PGlite answers through promises
   * alone, so without turns of the event loop a signal (Ctrl-C) would be heard only once the import
   * had ended; and two turns, since the first may run in the same loop iteration, before the poll
   * phase where Node hears signals.
   */
  async function stopped(): Promise<boolean> {
    if (!signal) return false;
    await nextTurn();
    await nextTurn();
    return signal.aborted;
  }

  /** Writes the batch; false when stopped meanwhile (a wait for the server cut short, say). */
  async function written(rows: PlannedRow[]): Promise<boolean> {
    try {
      await write(rows);
      return true;
    } catch (error) {
      if (signal?.aborted) return false;
      throw error;
    }
  }

  const text = typeof options.csv === 'string' ? ReadableStream.from([options.csv]) : options.csv;
  let batch: PlannedRow[] = [];
  let header = true;
  try {
    for await (const record of csvRecords(text, mapping.delimiter)) {
      if (header) {
        if ('error' in record) throw new FileError(`the header (line ${record.line}) cannot be read: ${record.error}`);
        planner.useHeader(record.cells);
        header = false;
        continue;
      }
      summary.rows += 1;
      const planned =
        'error' in record ? { line: record.line, reason: record.error } : planner.plan(record.line, record.cells);
      if ('reason' in planned) addBad(planned);
      else batch.push(planned);
      if (batch.length < batchSize) continue;
      if ((await stopped()) || !(await written(batch))) break;
      batch = [];
      progress();
    }
  } finally {
    text.destroy();
  }
  if (header && !signal?.aborted) throw new FileError('the file is empty: it has no header (line 1)');
  if (batch.length > 0 && !(await stopped()) && (await written(batch))) progress();
  if (waitingForChurn.length > 0 && !(await stopped())) {
    await recordOutcomes(waitingForChurn.splice(0));
    progress();
  }
  summary.interrupted = signal?.aborted === true;
  summary.customersCreated = customers.countWhere((bits) => (bits & CREATED) !== 0);
  summary.customersUpdated = customers.countWhere((bits) => (bits & (CREATED | UPDATED)) === UPDATED);
  summary.customersScored = customers.countWhere((bits) => (bits & SCORED) !== 0);
  summary.customersChurned = customers.countWhere(
    (bits) => (bits & (HAS_OUTCOME | CHURNED)) === (HAS_OUTCOME | CHURNED),
  );
  if (!dryRun && !summary.interrupted) {
    summary.history = await sink.finish((done, total) =>
      options.onProgress?.({ phase: 'history', rows: summary.rows, bad: summary.badCount, done, total }),
    );
    // Stopped while the history was written: every row is stored, the rest of the history queued.
    summary.interrupted = signal?.aborted === true;
  }
  return summary;
}

function interactionWrite(row: PlannedRow, source: string): InteractionWrite {
  const i = row.interaction!;
  return {
    customer: { externalId: row.customer.externalId },
    typeKey: i.typeKey,
    occurredAt: i.occurredAt,
    // The cell's value: the API strengthens it for a detailed comment, as the planner did.
    intensity: i.rawIntensity,
    sentiment: i.sentiment,
    value: i.value,
    comment: i.comment,
    journeyStage: i.journeyStage as JourneyStage | null,
    source,
    idempotencyKey: i.idempotencyKey,
  };
}

function outcomeWrite(row: PlannedRow, source: string): OutcomeWrite {
  const o = row.outcome!;
  return {
    customer: { externalId: row.customer.externalId },
    kind: o.kind,
    occurredAt: o.occurredAt,
    reason: o.reason,
    voluntary: o.voluntary,
    source,
    idempotencyKey: o.idempotencyKey,
  };
}
