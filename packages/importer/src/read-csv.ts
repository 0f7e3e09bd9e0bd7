// The records of a CSV text, streamed by csv-parse (quoted fields over several lines, BOMs, line
// numbers): the header first, then each record with the line it ends on, as the parser reads them,
// so a 1,000,000-row file is never in memory whole. A record the parser cannot read (a field count
// unlike the header's, a stray quote) is a bad row with its line, not the end of the import:
// csv-parse's `skip_records_with_error` reports it through `on_skip` and reads on.
import type { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';

export type CsvRecord = { line: number; cells: string[] } | { line: number; error: string };

/** What csv-parse says about a record it skipped, in the importer's words. */
function describe(error: CsvError): string {
  const e = error as CsvError & { record?: unknown[]; lines?: number };
  if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && Array.isArray(e.record))
    return `${e.record.length} fields where the header has ${/expect (\d+)/.exec(e.message)?.[1] ?? 'another number'}`;
  return e.message.replace(/ (on|at) line \d+\.?$/, '');
}

/** The header (line 1's record, or the first non-empty one), then every record or refusal. */
export async function* csvRecords(text: Readable, delimiter = ','): AsyncGenerator<CsvRecord> {
  const skipped: { line: number; error: string }[] = [];
  const parser = parse({
    bom: true,
    delimiter,
    skip_empty_lines: true,
    relax_column_count: false,
    info: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) skipped.push({ line: (error as CsvError & { lines?: number }).lines ?? 0, error: describe(error) });
      return undefined;
    },
  });
  text.on('error', (error) => parser.destroy(error));
  text.pipe(parser);
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    // Refusals are heard while the parser reads ahead: each is given in its place among the records.
    while (skipped.length > 0 && skipped[0]!.line < info.lines) yield skipped.shift()!;
    yield { line: info.lines, cells: record };
  }
  yield* skipped;
}
