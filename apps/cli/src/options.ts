// Option values the commands share.
import { CommandError } from './command-error.ts';

/** A bare date means midnight UTC; anything else must be an RFC 3339 instant with its zone. */
export function instant(value: string, option: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const date = new Date(text);
  if (!/(Z|[+-]\d{2}:\d{2})$/i.test(text) || Number.isNaN(date.getTime()))
    throw new CommandError(`--${option} must be a date (2026-01-31) or an instant with its zone, got "${value}"`, 2);
  return date;
}

/** The one positional argument a command takes (a workspace's slug, a key's id). */
export function onePositional(positionals: string[], what: string, option?: string): string {
  if (positionals.length > 1) throw new CommandError(`one ${what} only, got ${positionals.join(' ')}`, 2);
  const value = positionals[0] ?? option;
  if (!value) throw new CommandError(`name the ${what}`, 2);
  return value;
}

/** A table with columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
