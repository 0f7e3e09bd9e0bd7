// The two custom scalars, strict at the door so that what reaches the database is what it can
// store and what the client meant: a DateTime is an RFC 3339 instant with a zone inside a range
// both PostgreSQL's timestamptz and JavaScript's Date hold (a year 0 passed JavaScript and failed in
// PostgreSQL as "Unexpected error."; "2026-02-30" rolled over to March 2), and a JSON input is
// bounded in depth and size (5,000 nested levels overflowed the stack in JSON.stringify).
import { GraphQLError, Kind, type ValueNode, valueFromASTUntyped } from 'graphql';
import { builder } from '../../builder.ts';
import { DATE_RANGE, inDateRange } from '@pulso/scoring';

/** How deep a JSON input may nest (objects and arrays) and how long its JSON text may be. */
export const JSON_INPUT_LIMITS = { maxDepth: 32, maxBytes: 65_536 } as const;

// RFC 3339's date-time: full-date "T" full-time, the zone required ("Z" or ±hh:mm).
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

function badInput(message: string) {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** The instant an input names, or the reason it is refused. */
export function parseDateTime(value: unknown): Date {
  const shown = JSON.stringify(value)?.slice(0, 60) ?? String(value);
  const match = typeof value === 'string' ? RFC_3339.exec(value) : null;
  if (!match) {
    throw badInput(
      `DateTime must be an RFC 3339 date and time with a time zone, e.g. 2026-11-23T18:00:00Z or 2026-11-23T19:00:00+01:00; got ${shown}`,
    );
  }
  const [, year, month, day, hour, minute, second, , , offsetHours, offsetMinutes] = match.map(Number) as number[];
  if (month! < 1 || month! > 12) throw badInput(`DateTime ${shown} names no calendar month (01–12)`);
  // Day 0 of the next month is the last of this one; 2000 was a leap year, so February is fixed after.
  const daysInMonth = new Date(Date.UTC(2000, month!, 0)).getUTCDate() - (month === 2 && !isLeap(year!) ? 1 : 0);
  if (day! < 1 || day! > daysInMonth) {
    throw badInput(`DateTime ${shown} names no calendar day: month ${month} of ${year} has ${daysInMonth} days`);
  }
  if (hour! > 23 || minute! > 59 || second! > 59 || (offsetHours ?? 0) > 23 || (offsetMinutes ?? 0) > 59) {
    throw badInput(`DateTime ${shown} names no time of day (hours 00–23, minutes and seconds 00–59, no leap second)`);
  }
  const date = new Date(value as string);
  if (Number.isNaN(date.getTime()) || !inDateRange(date.getTime())) {
    throw badInput(`DateTime ${shown} is out of range: from ${DATE_RANGE.min} to ${DATE_RANGE.max}`);
  }
  return date;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * A JSON input as given, once its depth and size are known to be within JSON_INPUT_LIMITS. The
 * depth is measured without recursion, so that no nesting can overflow the stack before the answer.
 */
export function boundedJson(value: unknown): unknown {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= JSON_INPUT_LIMITS.maxDepth) {
      throw badInput(`a JSON value may nest objects and arrays ${JSON_INPUT_LIMITS.maxDepth} levels deep at most`);
    }
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > JSON_INPUT_LIMITS.maxBytes) {
    throw badInput(`a JSON value may be ${JSON_INPUT_LIMITS.maxBytes} bytes long at most as JSON text, got ${bytes}`);
  }
  return value;
}

builder.scalarType('DateTime', {
  description: `An instant, as an RFC 3339 date and time with a time zone (e.g. 2026-11-23T18:00:00Z or 2026-11-23T19:00:00+01:00), from ${DATE_RANGE.min} to ${DATE_RANGE.max}.`,
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime must be a string, e.g. "2026-11-23T18:00:00Z"');
    return parseDateTime(ast.value);
  },
});

builder.scalarType('JSON', {
  description: `Any JSON value; as input, nested ${JSON_INPUT_LIMITS.maxDepth} levels deep and ${JSON_INPUT_LIMITS.maxBytes} bytes long at most.`,
  serialize: (value) => value,
  parseValue: boundedJson,
  parseLiteral: (ast: ValueNode, variables) => boundedJson(valueFromASTUntyped(ast, variables)),
});
