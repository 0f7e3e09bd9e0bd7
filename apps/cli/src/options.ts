// Option values the commands share.
import { CommandError } from './command-error.ts';

/**
 * A bare date means midnight UTC; anything else must be an RFC 3339 instant with its zone. A day
 * the calendar does not have (2026-02-30) is refused, as the importer refuses it, rather than rolled
 * over into the next month.
 */
export function instant(value: string, option: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const date = new Date(text);
  if (!/(Z|[+-]\d{2}:\d{2})$/i.test(text) || Number.isNaN(date.getTime()))
    throw new CommandError(`--${option} must be a date (2026-01-31) or an instant with its zone, got "${value}"`, 2);
  const parts = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text);
  if (parts) {
    const [year, month, day, hour, minute, second] = parts.slice(1).map((p) => Number(p ?? 0)) as number[];
    const impossible = (why: string) => new CommandError(`--${option}: "${value}" is not a real date: ${why}`, 2);
    if (month! < 1 || month! > 12) throw impossible('months go from 01 to 12');
    const days = daysIn(year!, month!);
    if (day! < 1 || day! > days) throw impossible(`${parts[1]}-${parts[2]} has ${days} days`);
    if (hour! > 23) throw impossible('hours go from 00 to 23');
    if (minute! > 59) throw impossible('minutes go from 00 to 59');
    if (second! > 59) throw impossible('seconds go from 00 to 59');
  }
  return date;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
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
