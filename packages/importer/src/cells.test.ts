import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDate, parseNumber, RowError } from './cells.ts';

/** The instant read, or the reason the row is refused. */
function read(raw: string): string {
  try {
    return parseDate(raw, 'at').toISOString();
  } catch (error) {
    if (!(error instanceof RowError)) throw error;
    return `refused: ${error.message}`;
  }
}

const accepted: [string, string][] = [
  ['2026-05-03', '2026-05-03T00:00:00.000Z'],
  ['2026-05-03T14:00', '2026-05-03T14:00:00.000Z'],
  ['2026-05-03 14:00', '2026-05-03T14:00:00.000Z'],
  ['2026-05-03T14:00:05', '2026-05-03T14:00:05.000Z'],
  ['2026-05-03 14:00:05.123456', '2026-05-03T14:00:05.123Z'],
  ['2026-05-03T14:00:00Z', '2026-05-03T14:00:00.000Z'],
  ['2026-05-03T14:00:00.5Z', '2026-05-03T14:00:00.500Z'],
  ['2026-05-03T14:00+02:00', '2026-05-03T12:00:00.000Z'],
  ['2026-05-03T14:00:00-05:30', '2026-05-03T19:30:00.000Z'],
  ['2026-05-03T00:30:00+0100', '2026-05-02T23:30:00.000Z'],
  // PostgreSQL's own timestamptz output.
  ['2026-05-03 14:00:00+00', '2026-05-03T14:00:00.000Z'],
  ['2028-02-29', '2028-02-29T00:00:00.000Z'],
  // The API's DateTime range, both ends (DATE_RANGE).
  ['1970-01-01', '1970-01-01T00:00:00.000Z'],
  ['1970-01-01T01:00:00+01:00', '1970-01-01T00:00:00.000Z'],
  ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
];

// Each of these was read by `new Date(text)`, in the machine's time zone and in US order.
const refused: [string, string][] = [
  ['03.05.2026', 'at: "03.05.2026" is not an ISO 8601 date: write 2026-05-03 (or 2026-05-03T14:00:00Z)'],
  [
    '01/02/2026',
    'at: "01/02/2026" is not an ISO 8601 date: write 2026-01-02 if it is month/day, 2026-02-01 if it is day/month',
  ],
  ['13/02/2026', 'at: "13/02/2026" is not an ISO 8601 date: write 2026-02-13 (or 2026-02-13T14:00:00Z)'],
  ['5/3/2026 14:00', 'write 2026-05-03T14:00:00Z if it is month/day, 2026-03-05T14:00:00Z if it is day/month'],
  ['5/3/2026 2:00 PM', 'write 2026-05-03T14:00:00Z if it is month/day'],
  ['May 3, 2026', 'at: "May 3, 2026" is not an ISO 8601 date: write 2026-05-03 (or 2026-05-03T14:00:00Z)'],
  ['3 May 2026 09:30', 'write 2026-05-03T09:30:00Z (Z: UTC; or its offset, e.g. 2026-05-03T09:30:00+02:00)'],
  ['2026/5/3', 'write 2026-05-03'],
  ['Sun May 03 2026', 'is not an ISO 8601 date: write it as ISO 8601, e.g. 2026-05-03 or 2026-05-03T14:00:00Z'],
  ['20260503', 'is not an ISO 8601 date'],
  ['2026-05-03T14', 'is not an ISO 8601 date'],
  ['1777816800000', 'is not an ISO 8601 date'],
  ['', 'at: empty, where a date is expected (ISO 8601'],
  // Impossible dates no longer roll over into the next month.
  ['2026-02-30', 'at: "2026-02-30" is not a real date: 2026-02 has 28 days'],
  ['2026-02-29', 'at: "2026-02-29" is not a real date: 2026-02 has 28 days'],
  ['2026-04-31T10:00:00Z', '2026-04 has 30 days'],
  ['2026-13-01', 'months go from 01 to 12'],
  ['2026-05-03T24:00', 'hours go from 00 to 23'],
  ['2026-05-03T14:60', 'minutes go from 00 to 59'],
  ['2026-05-03T14:00:60Z', 'seconds go from 00 to 59'],
  ['2026-05-03T14:00+24:00', '+24:00 is not a UTC offset'],
  // Outside the API's DateTime range: a dry run passed them, then the server refused the batch.
  ['1969-12-31', 'at: "1969-12-31" is out of range: dates go from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z'],
  ['0001-01-01', 'at: "0001-01-01" is out of range'],
  ['0099-12-31T23:59:59Z', 'is out of range'],
  ['1970-01-01T00:30:00+01:00', 'is out of range'],
  ['9999-12-31T23:30:00-01:00', 'is out of range'],
];

describe('date cells', () => {
  it('reads ISO 8601 dates and date-times, a date alone as midnight UTC and no offset as UTC', () => {
    for (const [raw, instant] of accepted) expect(read(raw), raw).toBe(instant);
  });

  it('refuses any other date, saying what was found and what to write, and impossible dates', () => {
    for (const [raw, reason] of refused) {
      expect(read(raw), raw).toMatch(/^refused: /);
      expect(read(raw), raw).toContain(reason);
    }
  });

  it('reads the same instants and refusals whatever the machine time zone', async () => {
    const inputs = [...accepted, ...refused].map(([raw]) => raw);
    const expected = inputs.map(read);
    const cells = join(import.meta.dirname, 'cells.ts');
    // A process per zone: TZ is read when a process starts.
    const script = `const { parseDate } = await import(${JSON.stringify(cells)});
      const inputs = JSON.parse(process.argv[1]);
      const read = (raw) => { try { return parseDate(raw, 'at').toISOString(); } catch (e) { return 'refused: ' + e.message; } };
      console.log(JSON.stringify({ offset: new Date(2026, 0, 15).getTimezoneOffset(), read: inputs.map(read) }));`;
    const zones = { UTC: 0, 'America/New_York': 300, 'Asia/Kolkata': -330, 'Pacific/Chatham': -825 };
    const runs = await Promise.all(
      Object.keys(zones).map(async (zone) => {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify(inputs)],
          { cwd: import.meta.dirname, env: { ...process.env, TZ: zone } },
        );
        return JSON.parse(stdout) as { offset: number; read: string[] };
      }),
    );
    // Each process was in its zone (the check is not vacuous), and read every cell alike.
    expect(runs.map((run) => run.offset)).toEqual(Object.values(zones));
    for (const run of runs) expect(run.read).toEqual(expected);
  });
});

describe('number cells', () => {
  it('reads plain decimal numbers, with a decimal point or comma; an empty cell is no value', () => {
    const cases: [string, number | null][] = [
      ['7', 7],
      ['-2', -2],
      ['+3', 3],
      ['0.5', 0.5],
      ['0,5', 0.5],
      ['.5', 0.5],
      [' 9 ', 9],
      ['010', 10],
      ['', null],
      ['   ', null],
    ];
    for (const [raw, value] of cases) expect(parseNumber(raw, 'score'), raw).toBe(value);
  });

  it('refuses what Number() would read but a spreadsheet would not, saying why', () => {
    const cases: [string, string][] = [
      ['0x0A', 'score: "0x0A" is not a plain decimal number (hexadecimal is not read): write e.g. 7, -2, 0.5 or 0,5'],
      ['0b101', '(binary and octal are not read)'],
      ['0o17', '(binary and octal are not read)'],
      ['Infinity', '(not a finite number)'],
      ['-Infinity', '(not a finite number)'],
      ['NaN', '(not a finite number)'],
      ['1e3', '(exponents are not read)'],
      ['1,000.5', '(thousands separators are not read)'],
      ['1.000.000', '(thousands separators are not read)'],
      ['-', 'score: "-" is not a plain decimal number: write'],
      ['.', 'is not a plain decimal number'],
      ['5.', 'is not a plain decimal number'],
      ['1 000', 'is not a plain decimal number'],
      ['nine', 'is not a plain decimal number'],
    ];
    for (const [raw, reason] of cases) {
      expect(() => parseNumber(raw, 'score'), raw).toThrow(RowError);
      expect(() => parseNumber(raw, 'score'), raw).toThrow(reason);
    }
  });
});
