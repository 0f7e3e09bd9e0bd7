// The `pulso` command's dispatch: which command, its usage, and how refusals end (one line on
// stderr, exit 1; usage mistakes exit 2). main.ts runs it on the process; tests run it in process.
import { CommandError } from './command-error.ts';
import type { Command, CommandContext } from './command-context.ts';
import { DB_USAGE, dbCommand } from './db-command.ts';
import { DEMO_USAGE, demoCommand } from './demo-command.ts';
import { evaluateCommand } from './evaluate.ts';
import { IMPORT_USAGE, importCommand } from './import-command.ts';
import { KEY_USAGE, keyCommand } from './key-command.ts';
import { SCORES_USAGE, scoresCommand } from './scores-command.ts';
import { WORKSPACE_USAGE, workspaceCommand } from './workspace-command.ts';
import { pulsoCommand } from '@pulso/database';
import { pulsoVersion } from '@pulso/version';

// Named as typed where it runs: `npm run pulso --` in a checkout, Node and the path of the compiled
// command in a release folder (@pulso/database's pulsoCommand).
export const USAGE = `usage: ${pulsoCommand('<command> [options]')}

Commands act on the database the server uses (DATABASE_URL, else the PGlite folder PULSO_DATA_DIR);
on a PGlite folder a running server holds, they go through that server.

commands:
  --version  print Pulso's version
${WORKSPACE_USAGE}
${KEY_USAGE}
${DEMO_USAGE}
${IMPORT_USAGE}
${DB_USAGE}
${SCORES_USAGE}
  evaluate   how well the scoring model predicts churn, against recorded outcomes
             --workspace SLUG   (default: the only workspace)
             --from DATE --to DATE   observation instants (default: 12 monthly instants ending
                                     one horizon ago)
             --step DAYS (30) --horizon DAYS (30) --version N (default: the version in force)
             --json             print the whole report as JSON instead of tables`;

const commands: Record<string, Command> = {
  workspace: workspaceCommand,
  key: keyCommand,
  demo: demoCommand,
  import: importCommand,
  db: dbCommand,
  scores: scoresCommand,
  evaluate: (args) => evaluateCommand(args),
};

/** Runs `pulso <argv>`; resolves with the exit code. */
export async function runPulso(argv: string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === 'version') {
    context.io.out(pulsoVersion());
    return 0;
  }
  if (!name || name === '--help' || name === 'help' || !Object.hasOwn(commands, name)) {
    const help = name === '--help' || name === 'help';
    context.io.note(name && !help ? `pulso: unknown command "${name}"\n\n${USAGE}` : USAGE);
    return help ? 0 : 2;
  }
  try {
    return await commands[name]!(rest, context);
  } catch (error) {
    if (
      error instanceof CommandError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      context.io.note(`pulso ${name}: ${error.message}`);
      return error instanceof CommandError ? error.exitCode : 2;
    }
    throw error;
  }
}
