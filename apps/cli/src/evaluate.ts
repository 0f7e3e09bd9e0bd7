// `pulso evaluate`: how well the workspace's scoring model predicts churn, measured against its
// recorded outcomes (recordOutcome) at past instants, beside two trivial baselines. Prints the
// tables the prediction benchmark prints (or the whole report as JSON), progress on stderr.
import { parseArgs } from 'node:util';
import { EvaluationRequestError, evaluateScoringModel } from '@pulso/core';
import { evaluationMarkdown } from '@pulso/evaluation';
import { DAY_MS } from '@pulso/scoring';
import { DataFolderInUseError } from '@pulso/database';
import { CommandError } from './command-error.ts';
import { instant } from './options.ts';
import { chooseWorkspace, openConfiguredDatabase } from './open-database.ts';

export const EVALUATE_USAGE = `  evaluate   how well the scoring model predicts churn, against recorded outcomes
             --workspace SLUG   (default: the only workspace)
             --from DATE --to DATE   observation instants (default: 12 monthly instants ending
                                     one horizon ago); a date alone is 00:00 UTC of that day
             --step DAYS (30) --horizon DAYS (30) --version N (default: the version in force)
             --json             print the whole report as JSON instead of tables`;

function wholeNumber(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new CommandError(`--${option} must be a whole number, got "${value}"`, 2);
  return Number(value);
}

export async function evaluateCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      workspace: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      step: { type: 'string' },
      horizon: { type: 'string' },
      version: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const stepDays = wholeNumber(values.step, 'step', 30);
  const horizonDays = wholeNumber(values.horizon, 'horizon', 30);
  const to = values.to ? instant(values.to, 'to') : new Date(Date.now() - horizonDays * DAY_MS);
  const from = values.from ? instant(values.from, 'from') : new Date(to.getTime() - 11 * stepDays * DAY_MS);
  const modelVersion = values.version === undefined ? null : wholeNumber(values.version, 'version', 0);

  const database = await openConfiguredDatabase(env).catch((error: unknown) => {
    // A running server holds the folder: it evaluates too, through its API.
    if (error instanceof CommandError && error.cause instanceof DataFolderInUseError)
      throw new CommandError(
        `${error.cause.holder}: stop it first, or ask that server for the evaluation (the evaluateScoringModel mutation, README "Does the score predict churn?")`,
      );
    throw error;
  });
  try {
    const workspace = await chooseWorkspace(database, values.workspace);
    const report = await evaluateScoringModel(
      database.prisma,
      workspace.id,
      { from, to, stepDays, horizonDays, modelVersion },
      {
        onProgress: (done, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\rscoring customers: ${done}/${total}`);
        },
      },
    ).catch((error: unknown) => {
      if (error instanceof EvaluationRequestError) throw new CommandError(error.message, 2);
      throw error;
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
      return 0;
    }
    const model = typeof report.model === 'number' ? `version ${report.model}` : `the ${report.model} model`;
    console.log(
      [
        `# Evaluation of ${workspace.slug}'s scoring model (${model})`,
        '',
        `${report.instants.length} instants from ${report.instants[0]} to ${report.instants.at(-1)}, every ${stepDays} days; ` +
          `churn within ${horizonDays} days predicted. ${report.customers} customers, ${report.observations} customer-instants, ` +
          `${report.churnObservations} followed by a churn (${(report.churnRate * 100).toFixed(1)} %). ` +
          `Scored in ${report.timings.observeMs} ms, evaluated in ${report.timings.evaluateMs} ms.`,
        '',
        evaluationMarkdown(report),
      ].join('\n'),
    );
    return 0;
  } finally {
    await database.close();
  }
}
