// The mapping config: which CSV column holds what. Small on purpose: a column name per field, a
// list of columns joined by spaces for names, and value maps for types and sentiments.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const column = z.string().min(1);
const columns = z.union([column, z.array(column).min(1)]);
/** A fixed value, or a column whose values may be mapped (unmapped values pass through). */
const mapped = z.union([
  z.object({ value: z.string().min(1) }).strict(),
  z.object({ column, map: z.record(z.string(), z.string()).optional() }).strict(),
]);

export const mappingSchema = z
  .object({
    /** Recorded on each interaction as `import:<source>`. */
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
  })
  .strict();

export type Mapping = z.infer<typeof mappingSchema>;
export type MappedValue = z.infer<typeof mapped>;

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
    add(i.occurredAt);
    add(i.value);
    add(i.intensity);
    add(i.comment);
  }
  return [...new Set(out)];
}
