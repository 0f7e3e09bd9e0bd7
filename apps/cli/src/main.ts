// The `pulso` command for operators (`npm run pulso -- <command>`). Each command opens the
// configured database itself (DATABASE_URL, else the embedded one in PULSO_DATA_DIR), so on the
// embedded database it runs while no server holds the folder. Errors are one line on stderr and
// a non-zero exit code; usage mistakes exit 2.
import { evaluateCommand } from './evaluate.ts';
import { CommandError } from './command-error.ts';

const USAGE = `usage: npm run pulso -- <command> [options]

commands:
  evaluate   how well the scoring model predicts churn, against recorded outcomes
             --workspace SLUG   (default: the only workspace)
             --from DATE --to DATE   observation instants (default: 12 monthly instants ending
                                     one horizon ago)
             --step DAYS (30) --horizon DAYS (30) --version N (default: the version in force)
             --json             print the whole report as JSON instead of tables`;

const commands: Record<string, (args: string[]) => Promise<number>> = { evaluate: evaluateCommand };

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === 'help' || !Object.hasOwn(commands, name)) {
  console.error(name && name !== '--help' && name !== 'help' ? `pulso: unknown command "${name}"\n\n${USAGE}` : USAGE);
  process.exit(name === '--help' || name === 'help' ? 0 : 2);
}
try {
  process.exit(await commands[name]!(rest));
} catch (error) {
  if (
    error instanceof CommandError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    console.error(`pulso ${name}: ${error.message}`);
    process.exit(error instanceof CommandError ? error.exitCode : 2);
  }
  throw error;
}
