// The import command: `pulso import` (apps/cli) and the package's own `pulso-import` (cli.ts) run
// this. Options, where it writes (connect.ts), the progress line, the summary and the exit codes:
// 0 imported (or checked) every row; 1 nothing imported (the file, the mapping, the database or the
// server refused); 2 usage; 3 rows were refused and skipped (0 with --allow-bad-rows); 130 stopped
// by Ctrl-C (143 by SIGTERM) after the batch being written (rerun the same command to finish).
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FileError } from './cells.ts';
import { loadMapping, MappingError } from './config.ts';
import { ConnectError, connect, keyLeftNote } from './connect.ts';
import { openText } from './encoding.ts';
import { ServerError } from './graphql-client.ts';
import { importCsv, type ImportSummary } from './import.ts';
import { progressReporter } from './progress.ts';
import type { ImportSink } from './sink.ts';

export const IMPORT_USAGE = `usage: import --config mapping.json [options] file.csv
  --config, -c FILE      the column mapping (docs/import/*.json)
  --workspace, -w SLUG   the workspace (default: the only one, or the key's)
  --dry-run              check every row, write nothing
  --encoding, -e NAME    the file's encoding when not UTF-8 or UTF-16 (latin1, windows-1252, ...)
  --allow-bad-rows       exit 0 although rows were refused (they are skipped either way)
  --server URL           import through this running server (default PULSO_SERVER_URL; else the
                         database: DATABASE_URL, or the PGlite folder PULSO_DATA_DIR, through the
                         server holding it when one does)
  --key KEY              the workspace's secret key for --server (default PULSO_API_KEY; or PULSO_ADMIN_KEY)`;

/** Rows were refused (and skipped, unless a dry run): not a success a script should take for one. */
export const EXIT_BAD_ROWS = 3;
/** Stopped by SIGINT, the shell's convention (128 + 2). */
export const EXIT_INTERRUPTED = 130;
/** Stopped by SIGTERM (a supervisor, `kill`), the shell's convention (128 + 15). */
export const EXIT_TERMINATED = 143;

export interface ImportContext {
  /** The summary (stdout). */
  out(line: string): void;
  /** Refusals and notes (stderr). */
  note(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Where relative paths start (the folder the command was typed in). */
  cwd: string;
  /** Where the progress goes (default process.stderr). */
  progress?: NodeJS.WriteStream;
}

type Stop = { name: 'Ctrl-C'; code: typeof EXIT_INTERRUPTED } | { name: 'SIGTERM'; code: typeof EXIT_TERMINATED };

/**
 * Ctrl-C (SIGINT) or SIGTERM: the batch being written is finished and the import stops there, says
 * what is stored and how to finish (exit 130, or 143 for SIGTERM). A second signal quits at once,
 * unless it comes within a second of the first: a terminal sends SIGINT to every process of the
 * command (npm, the launcher, this one) and launchers pass signals on, so one key press (one `kill`
 * of the group) can arrive two or three times. `beforeQuit` says what a quit at once leaves.
 */
function listenForStop(note: (line: string) => void, beforeQuit: () => void) {
  const interrupt = new AbortController();
  let first = 0;
  let stop: Stop | null = null;
  const on = (signal: 'SIGINT' | 'SIGTERM') => () => {
    if (!interrupt.signal.aborted) {
      first = Date.now();
      stop =
        signal === 'SIGINT' ? { name: 'Ctrl-C', code: EXIT_INTERRUPTED } : { name: 'SIGTERM', code: EXIT_TERMINATED };
      note(
        `stopping after the batch being written (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to quit at once)`,
      );
      interrupt.abort();
    } else if (Date.now() - first > 1_000) {
      beforeQuit();
      process.exit(signal === 'SIGINT' ? EXIT_INTERRUPTED : EXIT_TERMINATED);
    }
  };
  const onSigint = on('SIGINT');
  const onSigterm = on('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  return {
    signal: interrupt.signal,
    stopped: (): Stop | null => stop,
    stop: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}

/** The CSV file's size; a file that is not there, or a folder, refused in one line naming it. */
function csvSize(path: string, file: string): number {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new FileError(`${file}: no such file`);
    if (code === 'EACCES') throw new FileError(`${file}: not readable by this user`);
    throw error;
  }
  if (stats.isDirectory()) throw new FileError(`${file} is a folder: give the CSV file`);
  return stats.size;
}

function summaryLines(summary: ImportSummary, hasOutcomes: boolean, stoppedBy = 'Ctrl-C'): string[] {
  const n = (x: number) => x.toLocaleString('en-US');
  const verb = summary.dryRun ? 'would be ' : '';
  return [
    `${n(summary.rows)} rows${summary.interrupted ? ' read' : ''}, ${n(summary.badCount)} bad${summary.dryRun ? '' : ' (skipped)'}${summary.interrupted ? `, stopped by ${stoppedBy}` : ''}`,
    `customers: ${n(summary.customersCreated)} ${verb}created, ${n(summary.customersUpdated)} ${verb}updated`,
    `interactions: ${n(summary.interactionsInserted)} ${verb}imported, ${n(summary.interactionsSkipped)} already imported`,
    // Shown only when the mapping reads outcomes, so other mappings print what they always did.
    ...(hasOutcomes
      ? [
          `outcomes: ${n(summary.outcomesInserted)} ${verb}imported, ${n(summary.outcomesSkipped)} already imported${
            summary.dryRun ? '' : `, ${n(summary.customersChurned)} customers churned`
          }`,
        ]
      : []),
    summary.dryRun
      ? 'dry run: nothing was written'
      : summary.interrupted
        ? `what is stored above stays, and its ${n(summary.customersScored)} customers are scored${summary.history ? `; ${summary.history}` : ''}`
        : `${n(summary.customersScored)} customers scored${summary.interactionsInserted > 0 ? `; ${summary.history}` : ''}`,
  ];
}

export async function importCommand(argv: string[], context: ImportContext): Promise<number> {
  const { out, note } = context;
  let values: ReturnType<typeof parse>['values'];
  let positionals: string[];
  const parse = (args: string[]) =>
    parseArgs({
      args,
      options: {
        config: { type: 'string', short: 'c' },
        workspace: { type: 'string', short: 'w' },
        'dry-run': { type: 'boolean' },
        encoding: { type: 'string', short: 'e' },
        'allow-bad-rows': { type: 'boolean' },
        server: { type: 'string' },
        key: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    });
  try {
    ({ values, positionals } = parse(argv));
  } catch (error) {
    note(`import: ${(error as Error).message}\n${IMPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    out(IMPORT_USAGE);
    return 0;
  }
  const file = positionals[0];
  if (!values.config || !file || positionals.length > 1) {
    note(IMPORT_USAGE);
    return 2;
  }
  const dryRun = values['dry-run'] ?? false;
  let sink: ImportSink | undefined;
  const ctrlC = listenForStop(note, () => {
    if (sink?.temporaryKey) note(keyLeftNote(sink.temporaryKey));
  });
  const progressStream = context.progress ?? process.stderr;
  let reporter: ReturnType<typeof progressReporter> | undefined;
  try {
    const mapping = loadMapping(resolve(context.cwd, values.config));
    const path = resolve(context.cwd, file);
    const size = csvSize(path, file);
    let reading: ReadStream | undefined;
    const csv = await openText(() => (reading = createReadStream(path)), values.encoding);
    reporter = progressReporter({ stream: progressStream, size, bytesRead: () => reading?.bytesRead ?? 0 });
    sink = await connect({
      env: context.env,
      server: values.server,
      key: values.key,
      workspace: values.workspace,
      dryRun,
      signal: ctrlC.signal,
      onWait: (message) => reporter?.wait(message),
      onNote: note,
    });
    out(
      `${dryRun ? 'Checking' : 'Importing'} ${file} into workspace "${sink.workspace.slug}" ${sink.where.startsWith('the server') ? 'through' : 'on'} ${sink.where}`,
    );
    const summary = await importCsv({
      sink,
      mapping,
      csv,
      fileName: file,
      dryRun,
      signal: ctrlC.signal,
      onProgress: (p) => reporter?.update(p),
    });
    reporter.stop();
    for (const { line, reason } of summary.bad) out(`  line ${line}: ${reason}`);
    if (summary.badCount > summary.bad.length)
      out(
        `  ... and ${(summary.badCount - summary.bad.length).toLocaleString('en-US')} more bad rows (the first ${summary.bad.length} are listed)`,
      );
    const stop = ctrlC.stopped();
    out(summaryLines(summary, mapping.outcome !== undefined, stop?.name).join('\n'));
    if (summary.interrupted) {
      out(
        'to finish, run the same command again: rows already stored are recognised by their idempotency keys and skipped',
      );
      return stop?.code ?? EXIT_INTERRUPTED;
    }
    if (summary.badCount && !values['allow-bad-rows']) {
      note(
        `${summary.badCount} of ${summary.rows} rows ${dryRun ? 'would be' : 'were'} refused (listed above)${
          dryRun ? '' : ' and skipped; the others are stored'
        }: fix them and run again (nothing is imported twice), or pass --allow-bad-rows to accept skipping them`,
      );
      return EXIT_BAD_ROWS;
    }
    return 0;
  } catch (error) {
    reporter?.stop();
    if (error instanceof ConnectError) {
      note(`import: ${error.message}`);
      return error.exitCode;
    }
    if (error instanceof FileError || error instanceof MappingError || error instanceof ServerError) {
      note(`import: ${error.message}`);
      return 1;
    }
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      note(`import: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  } finally {
    ctrlC.stop();
    await sink?.close();
  }
}
