// What every row planner shares: the error that makes a row bad (reported with its line, never
// half-imported), date and number cells read the same way for interactions and outcomes, and the
// idempotency key derived from a row's content, so a re-run of a file finds the keys it wrote before.
import { createHash } from 'node:crypto';
import type { FingerprintTable } from './fingerprints.ts';
import { DATE_RANGE, inDateRange } from '@pulso/scoring';

export class RowError extends Error {}

/** The whole file is refused (its header, its encoding): no row of it is read. */
export class FileError extends Error {}

// Dates are ISO 8601 only, read by hand rather than by `new Date(text)`: the platform reads anything
// else (03.05.2026, 01/02/2026, May 3, 2026) in the machine's time zone and in US order, so the same
// file imported on two machines stored different instants, and 2026-02-30 rolled over to March 2.
// Anything else is a bad row whose reason shows the ISO form when the cell's order is clear.
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;
const EXAMPLE = 'e.g. 2026-05-03 or 2026-05-03T14:00:00Z; a date alone is midnight UTC, no offset means UTC';

/**
 * The instants a date may name are the API's (DATE_RANGE, @pulso/scoring's write rules): earlier
 * dates passed a dry run and then stopped the import half-way through a server, or crashed
 * PostgreSQL's timestamp (year 1). server-import.test.ts sends both bounds and their neighbours
 * through a server.
 */
export { DATE_RANGE };

/**
 * An ISO 8601 date (midnight UTC) or date-time: `T` or a space between date and time, seconds and
 * their fraction optional, then `Z`, an offset (`+02:00`, `+0200`, `+02`) or nothing (UTC). The
 * result does not depend on the machine's time zone.
 */
export function parseDate(raw: string, field: string): Date {
  if (raw.trim() === '') throw new RowError(`${field}: empty, where a date is expected (ISO 8601, ${EXAMPLE})`);
  const m = ISO_DATE.exec(raw);
  if (!m) throw new RowError(`${field}: "${raw}" is not an ISO 8601 date: ${suggestion(raw)}`);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const impossible = (why: string) => new RowError(`${field}: "${raw}" is not a real date: ${why}`);
  if (month < 1 || month > 12) throw impossible('months go from 01 to 12');
  const days = daysIn(year, month);
  if (day < 1 || day > days) throw impossible(`${m[1]}-${m[2]} has ${days} days`);
  if (hour > 23) throw impossible('hours go from 00 to 23');
  if (minute > 59) throw impossible('minutes go from 00 to 59');
  if (second > 59) throw impossible('seconds go from 00 to 59');
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59)
    throw impossible(`${m[9]}${m[10]}${m[11] ? `:${m[11]}` : ''} is not a UTC offset`);
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  // Set field by field: Date.UTC would read the years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  date.setTime(date.getTime() - offset * 60_000);
  if (!inDateRange(date.getTime()))
    throw new RowError(
      `${field}: "${raw}" is out of range: dates go from ${DATE_RANGE.min} to ${DATE_RANGE.max} (UTC), as the API takes them`,
    );
  return date;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TIME = String.raw`(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?)?`;
const NUMERIC = new RegExp(String.raw`^(\d{1,2})([./-])(\d{1,2})\2(\d{4})${TIME}$`);
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})[./-](\d{1,2})[./-](\d{1,2})${TIME}$`);
const DAY_NAMED = new RegExp(String.raw`^(\d{1,2})\.?\s+([A-Za-z]{3,})\.?,?\s+(\d{4})${TIME}$`);
const NAMED_DAY = new RegExp(String.raw`^([A-Za-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`);

/** What to write instead: the cell in ISO form when its order is clear, both readings when not. */
function suggestion(raw: string): string {
  const text = raw.trim();
  const iso = (y: string, mo: number, d: number, time: (string | undefined)[]): string | null => {
    if (mo < 1 || mo > 12 || d < 1 || d > daysIn(Number(y), mo)) return null;
    const date = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (time[0] === undefined) return date;
    let hour = Number(time[0]);
    const pm = time[3]?.toLowerCase().startsWith('p');
    if (time[3] !== undefined && (hour < 1 || hour > 12)) return null;
    if (time[3] !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
    if (hour > 23 || Number(time[1]) > 59 || Number(time[2] ?? 0) > 59) return null;
    return `${date}T${String(hour).padStart(2, '0')}:${time[1]}:${time[2] ?? '00'}`;
  };
  const write = (...readings: (string | null)[]): string | null => {
    const [a, b] = readings;
    const one = a ?? b;
    if (!one) return null;
    // A time alone says nothing of its zone: UTC unless an offset is added.
    const zone = one.includes('T') ? 'Z' : '';
    const also = zone ? ` (Z: UTC; or its offset, e.g. ${one}+02:00)` : ` (or ${one}T14:00:00Z)`;
    if (a && b && a !== b) return `write ${a}${zone} if it is month/day, ${b}${zone} if it is day/month${also}`;
    return `write ${one}${zone}${also}`;
  };
  const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
  let m: RegExpExecArray | null;
  let hint: string | null = null;
  if ((m = NUMERIC.exec(text))) {
    const [first, second] = [Number(m[1]), Number(m[3])];
    const time = m.slice(5, 9);
    // Dots are day.month.year wherever they are used; slashes and dashes are either order.
    hint =
      m[2] === '.'
        ? write(iso(m[4]!, second, first, time))
        : write(iso(m[4]!, first, second, time), iso(m[4]!, second, first, time));
  } else if ((m = YEAR_FIRST.exec(text))) hint = write(iso(m[1]!, Number(m[2]), Number(m[3]), m.slice(4, 8)));
  else if ((m = DAY_NAMED.exec(text)) && month(m[2]!) > 0)
    hint = write(iso(m[3]!, month(m[2]!), Number(m[1]), m.slice(4, 8)));
  else if ((m = NAMED_DAY.exec(text)) && month(m[1]!) > 0)
    hint = write(iso(m[3]!, month(m[1]!), Number(m[2]), m.slice(4, 8)));
  return hint ?? `write it as ISO 8601, ${EXAMPLE}`;
}

/**
 * A number cell: plain decimal digits, an optional sign, an optional fraction after a point or a
 * comma (`0.5`, `0,5`: spreadsheets in many locales write a decimal comma). No thousands
 * separators, exponents, hexadecimal, binary, octal or `Infinity`, all of which `Number()` would
 * read (`0x0A` as 10). Null for an empty cell: the column holds no value on this row.
 */
export function parseNumber(raw: string, field: string): number | null {
  const text = raw.trim();
  if (text === '') return null;
  if (/^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/.test(text)) return Number(text.replace(',', '.'));
  const why = /^[+-]?0[xX]/.test(text)
    ? 'hexadecimal is not read'
    : /^[+-]?0[bBoO]/.test(text)
      ? 'binary and octal are not read'
      : /^[+-]?(infinity|nan)$/i.test(text)
        ? 'not a finite number'
        : /^[+-]?[\d.,]*\d[eE][+-]?\d+$/.test(text)
          ? 'exponents are not read'
          : /^[+-]?\d+([.,]\d+){2,}$/.test(text)
            ? 'thousands separators are not read'
            : '';
  const reason = why ? ` (${why})` : '';
  throw new RowError(`${field}: "${raw}" is not a plain decimal number${reason}: write e.g. 7, -2, 0.5 or 0,5`);
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
