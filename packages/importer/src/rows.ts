// CSV rows to customers, interactions and outcomes, each checked: a bad row is reported with its
// line number and the reason, never half-imported. Customers are checked by @pulso/core's own
// field rules, interactions by the scoring engine itself (type, sentiment, survey value on its
// scale), outcomes by @pulso/core's outcome checks (outcome-rows.ts): what passes here is what the
// API accepts, so an import through a server is refused nothing an import into the database is not.
// One row at a time, as the file streams: the planner keeps only the header, the occurrence
// counts that tell identical rows apart and the source ids met (fingerprints.ts).
import { createHash } from 'node:crypto';
import { checkCustomerFields, CustomerValidationError } from '@pulso/core';
import { closest, distance } from 'fastest-levenshtein';
import {
  type CompiledModel,
  interactionIntensity,
  ScoringInputError,
  scoreCustomer,
  type Sentiment,
  sentimentRefusal,
  valueRefusal,
} from '@pulso/scoring';
import { contentKey, FileError, parseDate, parseNumber, RowError } from './cells.ts';
import { columnsOf, type MappedValue, type Mapping, mapKey } from './config.ts';
import { FingerprintTable } from './fingerprints.ts';
import { planOutcome, type OutcomeRowPlan } from './outcome-rows.ts';

export interface CustomerRow {
  externalId: string;
  /** Null when the row names none (no name column, or empty cells): a stored name is kept, a new customer takes its id. */
  name: string | null;
  /** Undefined when the mapping reads no segment (a stored one is kept); null for an empty cell (cleared). */
  segment: string | null | undefined;
  properties: Record<string, string>;
}

export interface InteractionRowPlan {
  typeKey: string;
  occurredAt: Date;
  sentiment: Sentiment | null;
  value: number | null;
  /** As scored: the cell's value, strengthened by a detailed comment (@pulso/scoring's write rules). */
  intensity: number;
  /** The cell's value as written (null when empty): what a write sends, the API strengthening it the same way. */
  rawIntensity: number | null;
  comment: string | null;
  journeyStage: string | null;
  /** Derived from the source and the ticket's id, or the row's content: a re-run finds the same key. */
  idempotencyKey: string;
  /** With an id: the content key the row had before the mapping named the id (RecordKeys). */
  legacyKey: string | null;
}

export interface PlannedRow {
  line: number;
  customer: CustomerRow;
  interaction: InteractionRowPlan | null;
  outcome: OutcomeRowPlan | null;
}

export interface BadRow {
  line: number;
  reason: string;
}

/** The API's limit on a comment (@pulso/core's validate-writes.ts). */
const MAX_COMMENT_LENGTH = 10_000;

const SENTIMENTS = new Set(['LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME']);
const STAGES = new Set(['PURCHASE', 'USAGE', 'SUPPORT', 'CANCELLATION', 'LEARNING', 'DEEPENING']);

/** The cell's entry in the map, whatever its case and spaces (config.ts' mapKey), else the cell itself. */
function pick(record: Record<string, string>, m: MappedValue): string {
  if ('value' in m) return m.value;
  const raw = (record[m.column] ?? '').trim();
  return m.map?.get(mapKey(raw)) ?? raw;
}

/**
 * `import:<source>:<record>:<hash of the id>` for a record its source names by an id (a ticket id,
 * an event id): the same id, the same key, whatever else of the row changed, so a later export's
 * version of a record is found as the record imported before. The mapping's source and the kind
 * of record are part of it, so a ticket and a billing event numbered alike, or one id read as an
 * interaction and as an outcome, stay apart; the customer is not (a ticket moved to another
 * organisation is still that ticket).
 */
export function sourceIdKey(source: string, record: 'interaction' | 'outcome', id: string): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([source, record, id]))
    .digest('hex');
  return `import:${source}:${record}:${hash.slice(0, 40)}`;
}

/**
 * A record's idempotency key, and with an id its content key as well (`legacyKey`): rows imported
 * before their mapping named an id were stored under that key, and are found by it too.
 */
export interface RecordKeys {
  idempotencyKey: string;
  legacyKey: string | null;
}

/**
 * A NUL character, which neither database can store: refused as the API refuses it (NUL_IN_TEXT).
 * (Half of a UTF-16 surrogate pair cannot reach here: csv-parse reads the text as UTF-8 bytes,
 * where it has become U+FFFD.)
 */
function checkText(record: Record<string, string>, columns: string[]): void {
  for (const column of columns)
    if ((record[column] ?? '').includes('\u0000'))
      throw new RowError(`${column}: holds a NUL character, which cannot be stored`);
}

/** @pulso/core's rules for a customer's fields, each problem named by the column it came from. */
function checkCustomer(mapping: Mapping, fields: { externalId: string; name: string; segment: string | null }): void {
  try {
    checkCustomerFields(fields, { path: 'customer', partial: false });
  } catch (error) {
    if (!(error instanceof CustomerValidationError)) throw error;
    const column = (field: string) => {
      const c = mapping.customer;
      if (field === 'customer.externalId') return c.externalId;
      if (field === 'customer.segment') return c.segment ?? 'segment';
      return Array.isArray(c.name) ? c.name.join(' + ') : (c.name ?? c.externalId);
    };
    throw new RowError(error.problems.map((p) => `${column(p.field)}: ${p.message}`).join('; '));
  }
}

/**
 * A header column close to a mapped one that is missing: the same but for case and spacing, or a
 * few edits apart (fastest-levenshtein's distance: 1 for names of up to 3 letters, else 2 or a
 * third of the letters), e.g. "Creatd at", "Scroe".
 */
function didYouMean(column: string, header: string[]): string {
  const squeeze = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '');
  const near =
    header.find((h) => squeeze(h) === squeeze(column)) ?? (header.length ? closest(column, header) : undefined);
  if (near === undefined) return '';
  const apart = squeeze(near) === squeeze(column) ? 0 : distance(column.toLowerCase(), near.toLowerCase());
  return apart <= (column.length <= 3 ? 1 : Math.max(2, Math.floor(column.length / 3)))
    ? ` (did you mean "${near}"?)`
    : '';
}

/**
 * A header read with the wrong delimiter is one cell holding every column (`id;name;at`): when the
 * missing columns are there between semicolons (or tabs, pipes), the mapping's option is named.
 */
function delimiterHint(header: string[], missing: string[], used: string): string {
  for (const other of [';', '\t', '|', ','].filter((d) => d !== used)) {
    const split = header.flatMap((cell) => cell.split(other)).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (header.some((cell) => cell.includes(other)) && missing.every((c) => split.includes(c))) {
      const shown = other === '\t' ? '\\t' : other;
      return `; the header looks separated by "${shown}", not "${used}": set "delimiter": "${shown}" in the mapping`;
    }
  }
  return '';
}

/** Checks the rows of a file, one at a time, against the mapping and the workspace's model. */
export class RowPlanner {
  private header: string[] = [];
  private columns: string[] = [];
  /** Occurrences of each row content: identical rows get keys of their own (cells.ts). */
  private readonly seen = new FingerprintTable();
  /** The line of each source id (`interaction` or `outcome`, then the id) planned so far. */
  private readonly ids = new FingerprintTable();

  constructor(
    private readonly mapping: Mapping,
    private readonly model: CompiledModel,
    private readonly now: Date,
  ) {}

  /** Takes the header (line 1); a header lacking a mapped column refuses the file (FileError). */
  useHeader(cells: string[]): void {
    const header = cells.map((h) => h.trim());
    const missing = columnsOf(this.mapping).filter((c) => !header.includes(c));
    // The file, not a row, is wrong: refused whole, and the header never counts as a row.
    if (missing.length)
      throw new FileError(
        `the header (line 1) lacks the column(s) ${missing.map((c) => `"${c}"${didYouMean(c, header)}`).join(', ')}${delimiterHint(header, missing, this.mapping.delimiter ?? ',')}`,
      );
    this.header = header;
    this.columns = columnsOf(this.mapping);
  }

  /** The row's plan, or why it is bad. */
  plan(line: number, cells: string[]): PlannedRow | BadRow {
    const record = Object.fromEntries(this.header.map((h, i) => [h, cells[i] ?? '']));
    try {
      checkText(record, this.columns);
      // Ids are taken once the row passes: a bad row's id is free for a later row to carry.
      const claims: string[] = [];
      const planned = this.planRecord(record, claims);
      for (const claim of claims) this.ids.set(claim, line);
      return { line, ...planned };
    } catch (error) {
      if (error instanceof RowError) return { line, reason: error.message };
      throw error;
    }
  }

  /**
   * The record's keys: from its id when the mapping names an id column and the cell holds one,
   * else from its content. A second row with an id already planned in this file is a bad row:
   * one id, one record (the API would refuse the key twice in a batch, or keep the first).
   */
  private keys(
    record: Record<string, string>,
    kind: 'interaction' | 'outcome',
    idColumn: string | undefined,
    content: unknown[],
    claims: string[],
  ): RecordKeys {
    const byContent = contentKey(this.mapping.source, content, this.seen);
    const id = idColumn ? (record[idColumn] ?? '').trim() : '';
    if (!idColumn || id === '') return { idempotencyKey: byContent, legacyKey: null };
    const claim = `${kind}\u0000${id}`;
    const first = this.ids.get(claim);
    if (first) throw new RowError(`${idColumn}: "${id}" is also on line ${first}, and an id names one ${kind}`);
    claims.push(claim);
    return { idempotencyKey: sourceIdKey(this.mapping.source, kind, id), legacyKey: byContent };
  }

  private planRecord(record: Record<string, string>, claims: string[]): Omit<PlannedRow, 'line'> {
    const { mapping, model, now } = this;
    const c = mapping.customer;
    const externalId = (record[c.externalId] ?? '').trim();
    if (!externalId) throw new RowError(`${c.externalId}: the customer id is empty`);
    const nameColumns = c.name === undefined ? [] : Array.isArray(c.name) ? c.name : [c.name];
    const name =
      nameColumns
        .map((col) => (record[col] ?? '').trim())
        .filter(Boolean)
        .join(' ') || null;
    const segment = c.segment ? (record[c.segment] ?? '').trim() || null : undefined;
    const properties = Object.fromEntries(
      Object.entries(c.properties ?? {})
        .map(([key, col]) => [key, (record[col] ?? '').trim()] as const)
        .filter(([, v]) => v !== ''),
    );
    checkCustomer(mapping, { externalId, name: name ?? externalId, segment: segment ?? null });
    let interaction: InteractionRowPlan | null = null;
    const i = mapping.interaction;
    const when = i ? (record[i.occurredAt] ?? '').trim() : '';
    if (i && !(i.optional && when === '')) {
      const occurredAt = parseDate(when, i.occurredAt);
      if (occurredAt.getTime() > now.getTime())
        throw new RowError(`${i.occurredAt}: ${occurredAt.toISOString()} is in the future`);
      const typeKey = pick(record, i.type);
      const sentimentRaw = i.sentiment
        ? pick(record, i.sentiment)
            .toUpperCase()
            .replace(/[\s-]+/g, '_')
        : '';
      if (sentimentRaw && !SENTIMENTS.has(sentimentRaw))
        throw new RowError(
          `sentiment: "${sentimentRaw}" is not one of LIKED, INDIFFERENT, DISLIKED, WASTED_TIME (map it in the config)`,
        );
      const stage = i.journeyStage ? pick(record, i.journeyStage).toUpperCase() : '';
      if (stage && !STAGES.has(stage))
        throw new RowError(`journeyStage: "${stage}" is not one of ${[...STAGES].join(', ')}`);
      const value = i.value ? parseNumber((record[i.value] ?? '').trim(), i.value) : null;
      const comment = i.comment ? (record[i.comment] ?? '').trim() || null : null;
      if (comment !== null && comment.length > MAX_COMMENT_LENGTH)
        throw new RowError(`${i.comment}: at most ${MAX_COMMENT_LENGTH} characters, got ${comment.length}`);
      const rawIntensity = i.intensity ? parseNumber((record[i.intensity] ?? '').trim(), i.intensity) : null;
      // As through the API: a detailed comment strengthens the interaction (@pulso/scoring write-rules).
      const intensity = interactionIntensity(rawIntensity, comment);
      const refusal = sentimentRefusal(model, typeKey, (sentimentRaw || null) as Sentiment | null);
      if (refusal !== null) throw new RowError(`sentiment: ${refusal}`);
      const noValue = valueRefusal(model, typeKey, value);
      if (noValue !== null) throw new RowError(`${i.value}: ${noValue}`);
      const plan = {
        typeKey,
        occurredAt,
        sentiment: (sentimentRaw || null) as Sentiment | null,
        value,
        intensity,
        comment,
        journeyStage: stage || null,
      };
      try {
        scoreCustomer(model, {}, [{ id: 'row', ...plan }], now);
      } catch (error) {
        if (error instanceof ScoringInputError) throw new RowError(error.message.replace(/^interactions\[0\]\./, ''));
        throw error;
      }
      const content = [
        mapping.source,
        externalId,
        typeKey,
        occurredAt.toISOString(),
        plan.sentiment,
        value,
        intensity,
        comment,
        plan.journeyStage,
      ];
      interaction = { ...plan, rawIntensity, ...this.keys(record, 'interaction', i.id, content, claims) };
    }
    const o = mapping.outcome;
    const outcome = o
      ? planOutcome(record, o, {
          source: mapping.source,
          externalId,
          now,
          keys: (content) => this.keys(record, 'outcome', o.id, content, claims),
        })
      : null;
    return { customer: { externalId, name, segment, properties }, interaction, outcome };
  }
}
