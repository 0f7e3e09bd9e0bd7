// The records of a CSV text, streamed by csv-parse (quoted fields over several lines, BOMs): the
// header first, then each record with the line it ends on, as the parser reads them, so a
// 1,000,000-row file is never in memory whole. A record the parser cannot read (a field count
// unlike the header's, a quote never closed) is a bad row with its line, not the end of the import.
//
// Line numbers are counted here, from each record's raw text, rather than taken from csv-parse's
// `info.lines`: that counts a Windows line break inside a quoted field as two lines, so every row
// after a multi-line comment exported on Windows was reported too far down the file. A line break
// is `\r\n`, `\n` or `\r`, as an editor counts them.
//
// A quote inside an unquoted field (`say "hi" there`) is text, as spreadsheets read it
// (csv-parse's `relax_quotes`); a field that starts with a quote is quoted up to its closing quote.
// A wrong field count is a bad row found in the record itself (`relax_column_count`, with the error
// csv-parse attaches), so each record is one row, good or bad, however many problems it has; only a
// quote never closed is heard through `on_skip`, at the end of the file, which it swallowed.
import type { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';

export type CsvRecord = { line: number; cells: string[] } | { line: number; error: string };

/** Line breaks in a text: `\r\n`, `\n` or a lone `\r`, each one. */
function breaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

/** What csv-parse says about a record it could not read, in the importer's words. */
function describe(error: CsvError): string {
  const e = error as CsvError & { record?: unknown[] };
  if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && Array.isArray(e.record))
    return `${e.record.length} fields where the header has ${/expect (\d+)/.exec(e.message)?.[1] ?? 'another number'}`;
  return e.message.replace(/ (on|at) line \d+\.?$/, '');
}

/**
 * Where the quote that is never closed opens in `raw` (the text from the previous record's end to
 * the end of the file), read as csv-parse reads with `relax_quotes`: a quote opens a field only at
 * its start, `""` inside a quoted field is a quote, and any other quote closes it. -1 if none.
 */
function unclosedQuote(raw: string, delimiter: string): number {
  let quoting = false;
  let fieldStart = true;
  let open = -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quoting) {
      if (c !== '"') continue;
      if (raw[i + 1] === '"') i++;
      else quoting = false;
    } else if (raw.startsWith(delimiter, i)) {
      fieldStart = true;
      i += delimiter.length - 1;
    } else if (c === '\n' || c === '\r') fieldStart = true;
    else if (c === '"' && fieldStart) {
      quoting = true;
      open = i;
      fieldStart = false;
    } else fieldStart = false;
  }
  return quoting ? open : -1;
}

/** The header (line 1's record, or the first non-empty one), then every record or refusal. */
export async function* csvRecords(text: Readable, delimiter = ','): AsyncGenerator<CsvRecord> {
  // Line breaks before the text csv-parse is reading: each record's raw text starts there (with the
  // empty lines before it, skipped) and ends with the first character of its own line break.
  let consumed = 0;
  /** The last line of `raw`, counted from `consumed`; then `consumed` moves past it. */
  const lastLine = (raw: string): number => {
    const count = breaks(raw);
    const ended = raw.endsWith('\n') || raw.endsWith('\r');
    const line = consumed + count + (ended ? 0 : 1);
    consumed += count;
    return line;
  };
  // Refusals heard through on_skip, given in their place among the records.
  const skipped: CsvRecord[] = [];
  const parser = parse({
    bom: true,
    delimiter,
    skip_empty_lines: true,
    relax_quotes: true,
    relax_column_count: true,
    raw: true,
    skip_records_with_error: true,
    on_record: (({ record, raw }: { record: string[]; raw: string }, { error }: { error?: CsvError }) => {
      const line = lastLine(raw);
      const read: CsvRecord = error ? { line, error: describe(error) } : { line, cells: record };
      return skipped.length === 0 ? read : [...skipped.splice(0), read];
    }) as never,
    on_skip: (error, raw = '') => {
      if (error?.code !== 'CSV_QUOTE_NOT_CLOSED') {
        if (error) skipped.push({ line: lastLine(raw), error: describe(error) });
        return undefined;
      }
      const start = consumed;
      const end = lastLine(raw);
      const open = unclosedQuote(raw, delimiter);
      const line = open < 0 ? start + 1 : start + 1 + breaks(raw.slice(0, open));
      const text = raw.slice(open + 1).split(/[\r\n]/)[0]!;
      const field = text.length > 20 ? `${text.slice(0, 20)}...` : text;
      const what = open < 0 ? 'a quote ' : `the quote opened on line ${line} (at "${field}) `;
      const rest =
        end > line
          ? `, so ${end > line + 1 ? `lines ${line + 1}-${end}` : `line ${end}`} (to the end of the file) ${end > line + 1 ? 'were' : 'was'} read as part of its field, not as rows`
          : ' before the end of the file';
      skipped.push({
        line,
        error: `${what}is never closed${rest}: close it (a quote inside a quoted field is written "")`,
      });
      return undefined;
    },
  });
  text.on('error', (error) => parser.destroy(error));
  text.pipe(parser);
  for await (const read of parser as AsyncIterable<CsvRecord | CsvRecord[]>) {
    if (Array.isArray(read)) yield* read;
    else yield read;
  }
  yield* skipped;
}
