// `pulso demo remove`: deletes the demo workspace (300 made-up customers) like any other workspace,
// after saying what goes.
import { parseArgs } from 'node:util';
import { pulsoCommand } from '@pulso/database';
import { CommandError } from './command-error.ts';
import type { Command } from './command-context.ts';
import { openOperator } from './open-operator.ts';
import { deleteWithConfirmation } from './workspace-command.ts';

export const DEMO_USAGE = '  demo remove [--yes]   deletes the demo workspace (says what it removes and asks)';

export const demoCommand: Command = async ([action, ...args], { io, env }) => {
  if (action !== 'remove')
    throw new CommandError(action ? `unknown demo action "${action}": remove` : 'demo what? remove', 2);
  const { values } = parseArgs({ args, options: { yes: { type: 'boolean', default: false } } });
  const operator = await openOperator(env);
  try {
    const all = await operator.listWorkspaces();
    if (!all.some((w) => w.slug === 'demo')) {
      io.note(`There is no demo workspace in ${operator.where}.`);
      return 0;
    }
    await deleteWithConfirmation(operator, io, 'demo', values.yes);
    if (all.length === 1)
      io.note(
        `No workspace is left: the next start seeds the demo again unless PULSO_SEED_DEMO=false (the default under NODE_ENV=production). Create yours with: ${pulsoCommand('workspace create --name "Acme"')}`,
      );
    return 0;
  } finally {
    await operator.close();
  }
};
