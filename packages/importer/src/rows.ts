// CSV rows to customers, interactions and outcomes, each checked: a bad row is reported with its
// line number and the reason, never half-imported. Interactions are checked by the scoring engine
// itself (type, sentiment, survey value on its scale), so what passes here scores; outcomes by
// @pulso/core's own checks (outcome-rows.ts).
import { parse } from 'csv-parse/sync';
import { closest, distance } from 'fastest-levenshtein';
import {
  type CompiledModel,
  interactionIntensity,
  ScoringInputError,
  scoreCustomer,
  type Sentiment,
  sentimentRefusal,
} from '@pulso/scoring';
import { contentKey, FileError, parseDate, RowError } from './cells.ts';
import { columnsOf, type MappedValue, type Mapping } from './config.ts';
import { planOutcome, type OutcomeRowPlan } from './outcome-rows.ts';

export interface CustomerRow {
  externalId: string;
  name: string;
  segment: string | null;
  properties: Record<string, string>;
}

export interface InteractionRowPlan {
  typeKey: string;
  occurredAt: Date;
  sentiment: Sentiment | null;
  value: number | null;
  intensity: number;
  comment: string | null;
  journeyStage: string | null;
  /** Derived from the source and the row's content: a re-run finds the same key. */
  idempotencyKey: string;
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

export interface Plan {
  rows: PlannedRow[];
  bad: BadRow[];
}

const SENTIMENTS = new Set(['LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME']);
const STAGES = new Set(['PURCHASE', 'USAGE', 'SUPPORT', 'CANCELLATION', 'LEARNING', 'DEEPENING']);

function pick(record: Record<string, string>, m: MappedValue): string {
  if ('value' in m) return m.value;
  const raw = (record[m.column] ?? '').trim();
  return m.map?.[raw] ?? m.map?.[raw.toLowerCase()] ?? raw;
}

function parseNumber(raw: string, field: string): number | null {
  if (raw === '') return null;
  const n = Number(raw.replace(',', '.'));
  if (!Number.isFinite(n)) throw new RowError(`${field}: "${raw}" is not a number`);
  return n;
}

export function readCsv(
  text: string,
  delimiter = ',',
): { header: string[]; records: { line: number; record: Record<string, string> }[] } {
  const rows = parse(text, {
    bom: true,
    delimiter,
    skip_empty_lines: true,
    relax_column_count: false,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...body] = rows;
  const header = (head?.record ?? []).map((h) => h.trim());
  return {
    header,
    records: body.map(({ record, info }) => ({
      line: info.lines,
      record: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ''])),
    })),
  };
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

/** Checks every row of a file against the mapping and the workspace's model. */
export function planRows(text: string, mapping: Mapping, model: CompiledModel, now: Date): Plan {
  const { header, records } = readCsv(text, mapping.delimiter);
  const missing = columnsOf(mapping).filter((c) => !header.includes(c));
  // The file, not a row, is wrong: refused whole, and the header never counts as a row.
  if (missing.length)
    throw new FileError(
      `the header (line 1) lacks the column(s) ${missing.map((c) => `"${c}"${didYouMean(c, header)}`).join(', ')}`,
    );

  const rows: PlannedRow[] = [];
  const bad: BadRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, record } of records) {
    try {
      const c = mapping.customer;
      const externalId = (record[c.externalId] ?? '').trim();
      if (!externalId) throw new RowError(`${c.externalId}: the customer id is empty`);
      const nameColumns = c.name === undefined ? [] : Array.isArray(c.name) ? c.name : [c.name];
      const name =
        nameColumns
          .map((col) => (record[col] ?? '').trim())
          .filter(Boolean)
          .join(' ') || externalId;
      const segment = c.segment ? (record[c.segment] ?? '').trim() || null : null;
      const properties = Object.fromEntries(
        Object.entries(c.properties ?? {})
          .map(([key, col]) => [key, (record[col] ?? '').trim()] as const)
          .filter(([, v]) => v !== ''),
      );
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
        // As through the API: a detailed comment strengthens the interaction (@pulso/scoring write-rules).
        const intensity = interactionIntensity(
          i.intensity ? parseNumber((record[i.intensity] ?? '').trim(), i.intensity) : null,
          comment,
        );
        const refusal = sentimentRefusal(model, typeKey, (sentimentRaw || null) as Sentiment | null);
        if (refusal !== null) throw new RowError(`sentiment: ${refusal}`);
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
        const idempotencyKey = contentKey(
          mapping.source,
          [
            mapping.source,
            externalId,
            typeKey,
            occurredAt.toISOString(),
            plan.sentiment,
            value,
            intensity,
            comment,
            plan.journeyStage,
          ],
          seen,
        );
        interaction = { ...plan, idempotencyKey };
      }
      const outcome = mapping.outcome
        ? planOutcome(record, mapping.outcome, { source: mapping.source, externalId, now, seen })
        : null;
      rows.push({ line, customer: { externalId, name, segment, properties }, interaction, outcome });
    } catch (error) {
      if (error instanceof RowError) bad.push({ line, reason: error.message });
      else throw error;
    }
  }
  return { rows, bad };
}
