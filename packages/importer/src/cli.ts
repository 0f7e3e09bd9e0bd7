#!/usr/bin/env -S node --import tsx
// pulso-import: loads customers, interactions and outcomes from a CRM, help-desk or billing CSV export.
//   import --config mapping.json [--workspace slug] [--dry-run] [--encoding latin1] [--allow-bad-rows] file.csv
// Exit codes: 0 imported (or checked) every row; 1 nothing imported (the file, the mapping or the
// database refused); 2 usage; 3 rows were refused and skipped (0 with --allow-bad-rows);
// 130 stopped by Ctrl-C after the batch being written (rerun the same command to finish).
// The database is the server's: DATABASE_URL, else PGlite in PULSO_DATA_DIR (stop the server
// first on PGlite: one process per data folder).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { databaseTargetFromEnv, describeTarget, openDatabase } from '@pulso/database';
import { loadMapping, MappingError } from './config.ts';
import { decodeCsv } from './encoding.ts';
import { importCsv, resolveWorkspace } from './import.ts';

const USAGE =
  'usage: import --config mapping.json [--workspace slug] [--dry-run] [--encoding latin1] [--allow-bad-rows] file.csv';
/** Rows were refused (and skipped, unless a dry run): not a success a script should take for one. */
export const EXIT_BAD_ROWS = 3;
/** Stopped by SIGINT, the shell's convention (128 + 2). */
export const EXIT_INTERRUPTED = 130;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      workspace: { type: 'string', short: 'w' },
      'dry-run': { type: 'boolean' },
      encoding: { type: 'string', short: 'e' },
      'allow-bad-rows': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const file = positionals[0];
  if (!values.config || !file || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  // `pnpm run` starts us in the package folder: paths are relative to where the command was typed.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const mapping = loadMapping(resolve(cwd, values.config));
  const csv = decodeCsv(readFileSync(resolve(cwd, file)), values.encoding);
  const dryRun = values['dry-run'] ?? false;
  const target = databaseTargetFromEnv();
  const database = await openDatabase(target);
  const bar = new cliProgress.SingleBar(
    { format: ' {phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let phase = '';
  // Ctrl-C: the batch being written is finished and the import stops there (a second Ctrl-C,
  // with no listener left, ends the process at once).
  const interrupt = new AbortController();
  process.once('SIGINT', () => {
    if (phase) bar.stop();
    console.log('stopping after the batch being written (Ctrl-C again to quit at once)');
    interrupt.abort();
  });
  try {
    await database.migrate();
    const workspace = await resolveWorkspace(database.prisma, values.workspace);
    console.log(
      `${dryRun ? 'Checking' : 'Importing'} ${file} into workspace "${workspace.slug}" on ${describeTarget(target)}`,
    );
    const summary = await importCsv({
      prisma: database.prisma,
      workspaceId: workspace.id,
      mapping,
      csv,
      fileName: file,
      dryRun,
      signal: interrupt.signal,
      onProgress: (next, done, total) => {
        if (!process.stdout.isTTY) return;
        if (next !== phase) {
          if (phase) bar.stop();
          phase = next;
          bar.start(total, done, { phase: next.padEnd(7) });
        } else bar.update(done);
      },
    });
    if (phase) bar.stop();
    for (const { line, reason } of summary.bad) console.log(`  line ${line}: ${reason}`);
    const verb = dryRun ? 'would be' : '';
    console.log(
      [
        `${summary.rows} rows, ${summary.bad.length} bad${dryRun ? '' : ' (skipped)'}${summary.interrupted ? ', stopped by Ctrl-C' : ''}`,
        `customers: ${summary.customersCreated} ${verb} created, ${summary.customersUpdated} ${verb} updated`.replace(
          / {2}/g,
          ' ',
        ),
        `interactions: ${summary.interactionsInserted} ${verb} imported, ${summary.interactionsSkipped} already imported`.replace(
          / {2}/g,
          ' ',
        ),
        // Shown only when the mapping reads outcomes, so other mappings print what they always did.
        ...(mapping.outcome
          ? [
              `outcomes: ${summary.outcomesInserted} ${verb} imported, ${summary.outcomesSkipped} already imported${
                dryRun ? '' : `, ${summary.customersChurned} customers churned`
              }`.replace(/ {2}/g, ' '),
            ]
          : []),
        dryRun
          ? 'dry run: nothing was written'
          : summary.interrupted
            ? 'what is stored above stays; its customers are queued for rescoring'
            : `${summary.customersRescored} customers rescored`,
      ].join('\n'),
    );
    if (summary.interrupted) {
      console.log(
        'to finish, run the same command again: rows already stored are recognised by their idempotency keys and skipped',
      );
      return EXIT_INTERRUPTED;
    }
    if (summary.bad.length && !values['allow-bad-rows']) {
      console.error(
        `${summary.bad.length} of ${summary.rows} rows ${dryRun ? 'would be' : 'were'} refused (listed above)${
          dryRun ? '' : ' and skipped; the others are stored'
        }: fix them and run again (nothing is imported twice), or pass --allow-bad-rows to accept skipping them`,
      );
      return EXIT_BAD_ROWS;
    }
    return 0;
  } finally {
    if (phase) bar.stop();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`import: ${error instanceof MappingError || error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
