// What every row planner shares: the error that makes a row bad (reported with its line, never
// half-imported), date cells read the same way for interactions and outcomes, and the idempotency
// key derived from a row's content, so a re-run of a file finds the keys it wrote before.
import { createHash } from 'node:crypto';
import type { FingerprintTable } from './fingerprints.ts';

export class RowError extends Error {}

/** The whole file is refused (its header, its encoding): no row of it is read. */
export class FileError extends Error {}

export function parseDate(raw: string, field: string): Date {
  // Date-only values are read as midnight UTC; others need a time zone or are read as UTC.
  const text = /^\d{4}-\d{2}-\d{2}$/.test(raw)
    ? `${raw}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(raw)
      ? `${raw.replace(' ', 'T')}Z`
      : raw;
  const date = new Date(text);
  if (!raw || Number.isNaN(date.getTime()))
    throw new RowError(`${field}: "${raw}" is not a date (use ISO 8601, e.g. 2026-05-01 or 2026-05-01T09:30:00Z)`);
  return date;
}

/**
 * `import:<source>:<hash of the content>`. The same content twice in a file is two writes: `seen`
 * counts occurrences (by fingerprint, fingerprints.ts), and the occurrence number tells them apart.
 */
export function contentKey(source: string, content: unknown[], seen: FingerprintTable): string {
  const text = JSON.stringify(content);
  const nth = seen.get(text) + 1;
  seen.set(text, nth);
  return `import:${source}:${createHash('sha256').update(`${text}#${nth}`).digest('hex').slice(0, 40)}`;
}
