// The mapping config: which CSV column holds what. Small on purpose: a column name per field, a
// list of columns joined by spaces for names, and value maps for types, sentiments and outcomes.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OUTCOME_KINDS } from '@pulso/core';
import type { OutcomeKind } from '@pulso/database';

const column = z.string().min(1);
const columns = z.union([column, z.array(column).min(1)]);

/** How a cell and a map's key are compared: companies write "Positive", "positive " and "POSITIVE" alike. */
export const mapKey = (text: string): string => text.trim().toLowerCase();

/**
 * A value map, read once into a Map keyed by `mapKey`: a cell finds its entry whatever its case and
 * surrounding spaces, and only the map's own entries (a plain object would answer `constructor`
 * or `toString` with what every object inherits). Two keys that differ only in case or spaces
 * could map one cell two ways: the mapping is refused.
 */
function valueMap<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).transform((record, ctx) => {
    const map = new Map<string, z.output<T>>();
    const written = new Map<string, string>();
    for (const [key, entry] of Object.entries(record)) {
      const normal = mapKey(key);
      const other = written.get(normal);
      if (other !== undefined)
        ctx.addIssue({
          code: 'custom',
          // Not fatal: the union this map is in then reports this issue rather than "Invalid input".
          continue: true,
          message: `"${other}" and "${key}" differ only in case or spaces, and a cell matches either: keep one`,
        });
      written.set(normal, key);
      map.set(normal, entry as z.output<T>);
    }
    return map;
  });
}

/** A fixed value, or a column whose values may be mapped (unmapped values pass through). */
const mapped = z.union([
  z.object({ value: z.string().min(1) }).strict(),
  z.object({ column, map: valueMap(z.string()).optional() }).strict(),
]);

const outcomeKind = z.enum(OUTCOME_KINDS as [OutcomeKind, ...OutcomeKind[]]);
/**
 * Outcome fields are strict where interaction fields pass values through: a billing export's event
 * names are many, and one that is not in the map must be seen (a bad row), not guessed. A map
 * entry of null says "this event is not an outcome": the row carries none.
 */
const outcomeKindMapped = z.union([
  z.object({ value: outcomeKind }).strict(),
  z.object({ column, map: valueMap(outcomeKind.nullable()).optional() }).strict(),
]);
const voluntaryMapped = z.union([
  z.object({ value: z.boolean() }).strict(),
  z.object({ column, map: valueMap(z.boolean().nullable()).optional() }).strict(),
]);

/**
 * The column naming the source record (a ticket id, an event id): the record's idempotency key is
 * then derived from its id, so a row whose other cells changed in a later export is still the
 * record imported before (rows.ts, `sourceIdKey`). A row with an empty id cell is keyed by its
 * content, as without one.
 */
const sourceId = column.optional();

export const mappingSchema = z
  .object({
    /**
     * The system the file comes from: the idempotency keys' namespace (`import:<source>:...`), so
     * two mappings whose ids may collide (tickets and surveys numbered alike) need two sources.
     */
    source: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,40}$/i, 'letters, digits, _ . - (up to 41)'),
    delimiter: z.string().length(1).optional(),
    customer: z
      .object({
        externalId: column,
        name: columns.optional(),
        segment: column.optional(),
        /** property name → column, stored in the customer's properties. */
        properties: z.record(z.string(), column).optional(),
      })
      .strict(),
    interaction: z
      .object({
        /** The column identifying each interaction in the source (the ticket id). */
        id: sourceId,
        type: mapped,
        occurredAt: column,
        /** Rows whose occurredAt cell is empty carry no interaction (instead of being bad rows). */
        optional: z.boolean().optional(),
        sentiment: mapped.optional(),
        value: column.optional(),
        intensity: column.optional(),
        comment: column.optional(),
        journeyStage: mapped.optional(),
      })
      .strict()
      .optional(),
    /** Optional: a customer's lifecycle event on the row (churned, renewed...), beside or instead of an interaction. */
    outcome: z
      .object({
        /** The column identifying each outcome in the source (the billing event's id). */
        id: sourceId,
        kind: outcomeKindMapped,
        occurredAt: column,
        /** Rows whose kind or occurredAt cell is empty carry no outcome (instead of being bad rows). */
        optional: z.boolean().optional(),
        reason: column.optional(),
        /** Churns only: whether the customer chose to leave (an empty cell: not known). */
        voluntary: voluntaryMapped.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Mapping = z.infer<typeof mappingSchema>;
export type MappedValue = z.infer<typeof mapped>;
export type OutcomeMapping = NonNullable<Mapping['outcome']>;

export class MappingError extends Error {
  override readonly name = 'MappingError';
}

export function parseMapping(json: unknown, label = 'mapping'): Mapping {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    throw new MappingError(
      `${label}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

export function loadMapping(path: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MappingError(`${path}: ${(error as Error).message}`);
  }
  return parseMapping(json, path);
}

/** Every column the mapping reads, to check them against the file's header. */
export function columnsOf(mapping: Mapping): string[] {
  const out: string[] = [mapping.customer.externalId];
  const add = (v: string | string[] | undefined) => (Array.isArray(v) ? out.push(...v) : v && out.push(v));
  add(mapping.customer.name);
  add(mapping.customer.segment);
  for (const c of Object.values(mapping.customer.properties ?? {})) out.push(c);
  const i = mapping.interaction;
  if (i) {
    for (const m of [i.type, i.sentiment, i.journeyStage]) if (m && 'column' in m) out.push(m.column);
    add(i.id);
    add(i.occurredAt);
    add(i.value);
    add(i.intensity);
    add(i.comment);
  }
  const o = mapping.outcome;
  if (o) {
    for (const m of [o.kind, o.voluntary]) if (m && 'column' in m) out.push(m.column);
    add(o.id);
    add(o.occurredAt);
    add(o.reason);
  }
  return [...new Set(out)];
}
