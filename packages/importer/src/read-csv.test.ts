import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, csvRecords } from './read-csv.ts';

/** Every record of the text, read in pieces of `chunk` characters (a file streams in pieces). */
async function records(text: string, chunk = text.length || 1, delimiter = ','): Promise<CsvRecord[]> {
  const pieces = Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) =>
    text.slice(i * chunk, (i + 1) * chunk),
  );
  const out: CsvRecord[] = [];
  for await (const record of csvRecords(Readable.from(pieces), delimiter)) out.push(record);
  return out;
}

/** The line of each record, and its first cell or its error. */
const lines = (read: CsvRecord[]) => read.map((r) => [r.line, 'error' in r ? r.error : r.cells[0]]);

const header = 'Org,Name,Date,Subject';

describe('reading CSV records', () => {
  it('counts a Windows line break inside a quoted field as one line, as with Unix line breaks', async () => {
    const crlf = `${header}\r\nA,Alpha,2026-05-01,"two\r\nlines"\r\n,Orphan,2026-05-01,x\r\n`;
    const lf = crlf.replaceAll('\r\n', '\n');
    for (const text of [crlf, lf])
      for (const chunk of [1, 2, 7, text.length])
        expect(lines(await records(text, chunk))).toEqual([
          [1, 'Org'],
          [3, 'A'],
          [4, ''],
        ]);
    // Several breaks in one field, doubled quotes, empty lines (skipped), a BOM, no final break.
    const mixed = `\uFEFF${header}\r\n\r\nB,"three\r\nline\r\nnote",2026-05-01,x\r\n\r\nC,"say ""hi""",2026-05-01,y\r\nD,Delta,2026-05-01,z`;
    for (const chunk of [1, 3, mixed.length])
      expect(lines(await records(mixed, chunk))).toEqual([
        [1, 'Org'],
        [5, 'B'],
        [7, 'C'],
        [8, 'D'],
      ]);
    // Old Mac line breaks (a lone \r) are lines too.
    expect(lines(await records('a,b\r1,"x\ry"\r2,3\r'))).toEqual([
      [1, 'a'],
      [3, '1'],
      [4, '2'],
    ]);
  });

  it('reads a quote inside an unquoted field as text, as spreadsheets do: one row, not a bad row twice', async () => {
    const text = `${header}\nq1,Q1,2026-05-01,say "hi" there\nq2,Q2,2026-05-01,fine\n`;
    expect(await records(text)).toEqual([
      { line: 1, cells: header.split(',') },
      { line: 2, cells: ['q1', 'Q1', '2026-05-01', 'say "hi" there'] },
      { line: 3, cells: ['q2', 'Q2', '2026-05-01', 'fine'] },
    ]);
  });

  it('makes a record with the wrong field count one bad row, however many problems it has', async () => {
    const text = `${header}\nw1,W1,2026-05-01,say "hi", there\nw2,W2\nw3,W3,2026-05-01,fine\n`;
    expect(await records(text)).toEqual([
      { line: 1, cells: header.split(',') },
      { line: 2, error: '5 fields where the header has 4' },
      { line: 3, error: '2 fields where the header has 4' },
      { line: 4, cells: ['w3', 'W3', '2026-05-01', 'fine'] },
    ]);
  });

  it('names the line where a quote never closed opened, and the lines it swallowed', async () => {
    const text = `${header}\nq1,Q1,2026-05-01,"unclosed\nq2,Q2,2026-05-01,fine\nq3,Q3,2026-05-01,fine\n`;
    for (const body of [text, text.replaceAll('\n', '\r\n')])
      for (const chunk of [1, body.length])
        expect(await records(body, chunk)).toEqual([
          { line: 1, cells: header.split(',') },
          {
            line: 2,
            error:
              'the quote opened on line 2 (at "unclosed) is never closed, so lines 3-4 (to the end of the file) were read as part of its field, not as rows: close it (a quote inside a quoted field is written "")',
          },
        ]);
    // After a multi-line field that is closed, with another delimiter; on the last line.
    const after = 'a;b\r\n1;"x;\r\ny"\r\n2;"open\r\n3;4';
    expect(lines(await records(after, 2, ';'))).toEqual([
      [1, 'a'],
      [3, '1'],
      [
        4,
        'the quote opened on line 4 (at "open) is never closed, so line 5 (to the end of the file) was read as part of its field, not as rows: close it (a quote inside a quoted field is written "")',
      ],
    ]);
    expect(lines(await records('a,b\n1,2\n3,"bad'))).toEqual([
      [1, 'a'],
      [2, '1'],
      [
        3,
        'the quote opened on line 3 (at "bad) is never closed before the end of the file: close it (a quote inside a quoted field is written "")',
      ],
    ]);
  });
});
