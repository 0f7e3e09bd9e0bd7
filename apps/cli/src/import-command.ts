// `pulso import`: a CSV export into a workspace, the same command as the importer package's own
// (packages/importer, command.ts), so an operator has one command for everything. Loaded when
// asked for: the other commands never parse it.
import { pulsoCommand } from '@pulso/database';
import type { Command } from './command-context.ts';

export const IMPORT_USAGE = `  import     a CRM, help-desk or billing CSV export into a workspace, through the running server
             when one holds the data folder (packages/importer/README.md)
             --config MAPPING.json FILE.csv [--workspace SLUG] [--dry-run] [--encoding latin1]
             [--allow-bad-rows] [--server URL --key KEY]`;

export const importCommand: Command = async (args, { io, env }) => {
  const { importCommand: run } = await import('@pulso/importer');
  // npm runs the command from the repository's root; paths are relative to where it was typed.
  // The importer names the checkout's command in its hints (it also runs on its own, packages/importer
  // cli.ts); this command names itself as typed here (a release folder has no `npm run pulso`).
  const here = pulsoCommand('').trimEnd();
  const note =
    here === 'npm run pulso --' ? io.note : (line: string) => io.note(line.replaceAll('npm run pulso --', here));
  return run(args, { out: io.out, note, env, cwd: env.INIT_CWD ?? process.cwd() });
};
