// The `pulso` command's dispatch: which command, its usage, and how refusals end (one line on
// stderr, exit 1; usage mistakes exit 2). main.ts runs it on the process; tests run it in process.
import { CommandError } from './command-error.ts';
import type { Command, CommandContext } from './command-context.ts';
import { DB_USAGE, dbCommand } from './db-command.ts';
import { DEMO_USAGE, demoCommand } from './demo-command.ts';
import { EVALUATE_USAGE, evaluateCommand } from './evaluate.ts';
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
${EVALUATE_USAGE}

Each command and subcommand says its own usage with --help (or -h): ${pulsoCommand('key create --help')}.`;

const usages: Record<string, string> = {
  workspace: WORKSPACE_USAGE,
  key: KEY_USAGE,
  demo: DEMO_USAGE,
  import: IMPORT_USAGE,
  db: DB_USAGE,
  scores: SCORES_USAGE,
  evaluate: EVALUATE_USAGE,
};

/**
 * A command's usage, or its subcommand's: the entries of the command's usage (each starts on a line
 * indented two spaces, its continuation lines more) whose first words are `name action`.
 */
export function usageOf(name: string, action: string | undefined): string {
  const entries = usages[name]!.split(/\n(?= {2}\S)/);
  const chosen = action ? entries.filter((entry) => entry.trimStart().startsWith(`${name} ${action}`)) : [];
  return `usage (as ${pulsoCommand('<command>')}):\n${(chosen.length ? chosen : entries).join('\n')}`;
}

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

const commands: Record<string, Command> = {
  workspace: workspaceCommand,
  key: keyCommand,
  demo: demoCommand,
  import: importCommand,
  db: dbCommand,
  scores: scoresCommand,
  evaluate: (args, { env }) => evaluateCommand(args, env),
};

/** Runs `pulso <argv>`; resolves with the exit code. */
export async function runPulso(argv: string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === 'version') {
    context.io.out(pulsoVersion());
    return 0;
  }
  if (name === 'help' && rest[0] && Object.hasOwn(commands, rest[0])) {
    // `pulso help import`: as `pulso import --help`.
    const [command, action] = rest;
    return runPulso([command!, ...(action && !action.startsWith('-') ? [action] : []), '--help'], context);
  }
  if (!name || isHelp(name) || name === 'help' || !Object.hasOwn(commands, name)) {
    const help = !!name && (isHelp(name) || name === 'help');
    if (help) context.io.out(USAGE);
    else context.io.note(name ? `pulso: unknown command "${name}"\n\n${USAGE}` : USAGE);
    return help ? 0 : 2;
  }
  // --help or -h anywhere before a `--`: the command's (or subcommand's) usage. The importer says
  // its own, with every option.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (name !== 'import' && options.some(isHelp)) {
    const action = rest[0] && !rest[0].startsWith('-') ? rest[0] : undefined;
    context.io.out(usageOf(name, action));
    return 0;
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
