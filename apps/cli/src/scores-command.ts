// `pulso scores verify`: every stored scoring tally checked against the history it stands for
// (@pulso/core verifyScoringStates). Exit 0 when all agree, 1 with the customers that do not.
import { parseArgs } from 'node:util';
import { STATE_TOLERANCE_POINTS, verifyScoringStates } from '@pulso/core';
import type { CommandContext } from './command-context.ts';
import { CommandError } from './command-error.ts';
import { chooseWorkspace, openConfiguredDatabase } from './open-database.ts';

export const SCORES_USAGE = `  scores verify   check every customer's stored scoring tally against its whole history
             --workspace SLUG   (default: the only workspace)`;

export async function scoresCommand(args: string[], { io, env }: CommandContext): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'verify') throw new CommandError(`unknown action "${action ?? ''}"\n\n${SCORES_USAGE}`, 2);
  const { values } = parseArgs({ args: rest, options: { workspace: { type: 'string' } }, strict: true });
  const database = await openConfiguredDatabase(env);
  try {
    const workspace = await chooseWorkspace(database, values.workspace);
    const report = await verifyScoringStates(database.prisma, workspace.id, {
      onProgress: (done) => {
        if (process.stderr.isTTY) process.stderr.write(`\rcustomers: ${done}`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    io.out(
      `${workspace.slug}: ${report.checked} tallies checked against their history (model version ${report.modelVersion}); ${report.withoutState} customers without one (their next write builds it)`,
    );
    if (report.mismatches.length === 0) {
      io.out(`all within ${STATE_TOLERANCE_POINTS} point of a recomputation`);
      return 0;
    }
    for (const m of report.mismatches)
      io.out(`  ${m.externalId}: ${m.fromState} from the tally, ${m.fromHistory} from the history`);
    io.out(
      `${report.mismatches.length} differ: something wrote interactions behind the tallies; rescoring rebuilds them (mutation rescoreAllCustomers)`,
    );
    return 1;
  } finally {
    await database.close();
  }
}
