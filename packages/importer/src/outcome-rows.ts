// A row's outcome — churned, renewed, downgraded, expanded, reactivated — read from a billing or
// CRM export. Value maps are strict here (an event name outside the map is a bad row naming its
// column) because a billing export has many event names and a silently guessed churn would corrupt
// the labels the score is judged by. The final check is @pulso/core's own, so what passes here is
// what recordOutcomes accepts.
import { checkOutcomes, OUTCOME_KINDS, ValidationError } from '@pulso/core';
import type { OutcomeKind } from '@pulso/database';
import { parseDate, RowError } from './cells.ts';
import { mapKey, type OutcomeMapping } from './config.ts';

export interface OutcomeRowPlan {
  kind: OutcomeKind;
  occurredAt: Date;
  reason: string | null;
  voluntary: boolean | null;
  /** Derived from the source and the event's id, or the row's content: a re-run finds the same key. */
  idempotencyKey: string;
  /** With an id: the content key the row had before the mapping named the id (rows.ts, RecordKeys). */
  legacyKey: string | null;
}

const cell = (record: Record<string, string>, column: string) => (record[column] ?? '').trim();

/** The map's entry for a cell, ignoring case and spaces (config.ts' mapKey): undefined when it has none. */
function entryFor<T>(map: Map<string, T>, raw: string): { value: T } | undefined {
  const key = mapKey(raw);
  return map.has(key) ? { value: map.get(key) as T } : undefined;
}

/** The kind, or null when the map says the row's event is not an outcome. */
function readKind(record: Record<string, string>, m: OutcomeMapping['kind']): OutcomeKind | null {
  if ('value' in m) return m.value;
  const raw = cell(record, m.column);
  if (raw === '') throw new RowError(`${m.column}: the outcome is empty`);
  if (m.map) {
    const entry = entryFor(m.map, raw);
    if (!entry)
      throw new RowError(
        `${m.column}: "${raw}" is not in the outcome map (add it, mapped to a kind or to null when it is no outcome)`,
      );
    return entry.value;
  }
  const kind = OUTCOME_KINDS.find((k) => k === raw.toUpperCase());
  if (!kind)
    throw new RowError(`${m.column}: "${raw}" is not one of ${OUTCOME_KINDS.join(', ')} (map it in the config)`);
  return kind;
}

const YES = /^(true|yes|y|1)$/i;
const NO = /^(false|no|n|0)$/i;

/** Whether the customer chose to leave; null when the cell is empty or the map says not known. */
function readVoluntary(record: Record<string, string>, m: OutcomeMapping['voluntary']): boolean | null {
  if (!m) return null;
  if ('value' in m) return m.value;
  const raw = cell(record, m.column);
  if (raw === '') return null;
  if (m.map) {
    const entry = entryFor(m.map, raw);
    if (!entry) throw new RowError(`${m.column}: "${raw}" is not in the voluntary map`);
    return entry.value;
  }
  if (YES.test(raw)) return true;
  if (NO.test(raw)) return false;
  throw new RowError(`${m.column}: "${raw}" is neither yes nor no (map it in the config)`);
}

/** The column (or, for a fixed value, the field) a problem from @pulso/core is about. */
function labelOf(o: OutcomeMapping, field: string): string {
  const name = field.replace(/^row\./, '');
  if (name === 'kind' && 'column' in o.kind) return o.kind.column;
  if (name === 'voluntary' && o.voluntary && 'column' in o.voluntary) return o.voluntary.column;
  if (name === 'occurredAt') return o.occurredAt;
  if (name === 'reason' && o.reason) return o.reason;
  return name;
}

export interface OutcomeRowContext {
  source: string;
  externalId: string;
  now: Date;
  /** The outcome's keys from its content, or from its id when the mapping names one (rows.ts). */
  keys: (content: unknown[]) => { idempotencyKey: string; legacyKey: string | null };
}

/** The row's outcome, null when it carries none; throws a RowError when the row is bad. */
export function planOutcome(
  record: Record<string, string>,
  o: OutcomeMapping,
  { source, externalId, now, keys }: OutcomeRowContext,
): OutcomeRowPlan | null {
  // Optional: a row without an event (an empty kind cell) carries no outcome, as one without its
  // date does: a file of activities and events mixed has one or the other on each row.
  if (o.optional && 'column' in o.kind && cell(record, o.kind.column) === '') return null;
  const kind = readKind(record, o.kind);
  const when = cell(record, o.occurredAt);
  if (kind === null || (o.optional && when === '')) return null;
  const occurredAt = parseDate(when, o.occurredAt);
  if (occurredAt.getTime() > now.getTime())
    throw new RowError(`${o.occurredAt}: ${occurredAt.toISOString()} is in the future`);
  const reason = o.reason ? cell(record, o.reason) || null : null;
  const voluntary = readVoluntary(record, o.voluntary);
  try {
    checkOutcomes(
      [{ customer: { externalId }, kind, occurredAt, reason, voluntary, idempotencyKey: 'row' }],
      now,
      () => 'row',
    );
  } catch (error) {
    if (error instanceof ValidationError)
      throw new RowError(error.problems.map((p) => `${labelOf(o, p.field)}: ${p.message}`).join('; '));
    throw error;
  }
  const content = ['outcome', source, externalId, kind, occurredAt.toISOString(), reason, voluntary];
  return { kind, occurredAt, reason, voluntary, ...keys(content) };
}
