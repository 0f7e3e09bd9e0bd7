// Rescoring jobs: every customer rescored "as of now" on demand (the schedule does the same every
// day), and history recomputed under the model in force. A job reports its progress while it runs.
import { enqueueRescore, type FieldProblem, MAX_GRID_INSTANTS } from '@pulso/core';
import { DAY_MS } from '@pulso/scoring';
import { builder } from '../../builder.ts';
import { totalCountField } from '../common/connection-options.ts';
import { ValidationError } from '../common/write-errors.ts';
import { workspaceKey } from '@pulso/database';

export const RescoreJobStatusEnum = builder.enumType('RescoreJobStatus', {
  description: 'Where a rescoring job stands.',
  values: {
    PENDING: { description: 'Queued, not started yet.' },
    RUNNING: { description: 'Rescoring now: follow `done` and `progress`.' },
    SUCCEEDED: { description: 'Finished: every customer was rescored.' },
    FAILED: { description: 'Stopped on an error, given in `error`.' },
  } as const,
});

export const RescoreJob = builder.prismaObject('RescoreRun', {
  name: 'RescoreJob',
  description: 'A rescoring of customers in batches; survives a restart (it resumes where it was).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Job id: pass it to `rescoreJob` to follow the job.' }),
    reason: t.exposeString('reason', {
      description: '`schedule`, `on demand`, `model version N`, `recompute history`...',
    }),
    status: t.expose('status', { type: RescoreJobStatusEnum, description: 'Pending, running, succeeded or failed.' }),
    asOf: t.expose('asOf', { type: 'DateTime', description: 'The instant scores are computed for.' }),
    recomputeHistory: t.exposeBoolean('recomputeHistory', {
      description: 'True when the stored score history is recomputed too, not only current scores.',
    }),
    historyFrom: t.expose('gridFrom', {
      type: 'DateTime',
      nullable: true,
      description:
        'History grid jobs (backfills, `recomputeScoreHistory(from:)`): the first grid instant; null otherwise.',
    }),
    everyDays: t.exposeInt('gridEveryDays', {
      nullable: true,
      description: 'History grid jobs: days between grid instants; null otherwise.',
    }),
    total: t.exposeInt('total', { description: 'Customers to rescore.' }),
    done: t.exposeInt('done', { description: 'Customers rescored so far.' }),
    progress: t.float({
      description: 'done / total, 0–1.',
      select: { done: true, total: true },
      resolve: (run) => (run.total > 0 ? Math.min(1, run.done / run.total) : 1),
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why the job failed; null unless FAILED.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the job was queued.' }),
    startedAt: t.expose('startedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it started; null while pending.',
    }),
    finishedAt: t.expose('finishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it ended; null until it succeeds or fails.',
    }),
  }),
});

builder.queryFields((t) => ({
  rescoreJob: t.withAuth({ read: true }).prismaField({
    type: 'RescoreRun',
    nullable: true,
    description:
      'One rescoring job of the workspace (poll it for progress); null when there is none with this id. Secret and read-only keys.',
    args: {
      id: t.arg.id({ required: true, description: 'The job id, from a RescoreJob or ScoringModelChange.rescoreJob.' }),
    },
    resolve: (query, _root, args, ctx) =>
      /^[0-9a-f-]{36}$/i.test(args.id)
        ? ctx.prisma.rescoreRun.findFirst({ ...query, where: { id: args.id, workspaceId: ctx.caller.workspaceId } })
        : null,
  }),
  rescoreJobs: t.withAuth({ read: true }).prismaConnection(
    {
      type: 'RescoreRun',
      cursor: 'workspaceId_id',
      description: 'Rescoring jobs of the workspace, newest first. Secret and read-only keys.',
      totalCount: (_root, _args, ctx) =>
        ctx.prisma.rescoreRun.count({ where: { workspaceId: ctx.caller.workspaceId } }),
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.rescoreRun.findMany({
          ...query,
          where: { workspaceId: ctx.caller.workspaceId },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
    },
    {
      name: 'RescoreJobConnection',
      description: 'A page of rescoring jobs.',
      fields: (c) => ({ totalCount: c.int(totalCountField('rescoring jobs the workspace has')) }),
    },
    { name: 'RescoreJobEdge', description: 'A rescoring job in a page, with its cursor.' },
  ),
}));

builder.mutationFields((t) => ({
  rescoreAllCustomers: t.withAuth({ write: true }).prismaField({
    type: 'RescoreRun',
    // No argument to get wrong today; the union keeps every mutation's one channel for a caller's
    // mistakes (issue 16), so an argument added later is no breaking change.
    errors: jobErrors,
    description: 'Rescores every customer "as of now" in the background; returns the job to follow.',
    resolve: async (query, _root, _args, ctx) => {
      const run = await enqueueRescore(ctx.prisma, { workspaceId: ctx.caller.workspaceId, reason: 'on demand' });
      ctx.rescoreRunner.kick();
      return ctx.prisma.rescoreRun.findUniqueOrThrow({ ...query, where: workspaceKey(ctx.caller.workspaceId, run.id) });
    },
  }),
  recomputeScoreHistory: t.withAuth({ write: true }).prismaField({
    type: 'RescoreRun',
    errors: jobErrors,
    description:
      'Recomputes every stored score snapshot (history) of every customer under the model in force, and the current scores, in the background. ' +
      'With `from`, builds the history grid instead: a snapshot of every customer active then at `from` and every `everyDays` days up to `to`, ' +
      'plus one at each band change between them, each under the model version in force at its instant; current scores stay as they are. ' +
      'Rerunning it rewrites the same snapshots. A bad grid is a ValidationError listing every problem (OUT_OF_RANGE, FUTURE_DATE, MISSING_VALUE, TOO_MANY).',
    args: {
      from: t.arg({ type: 'DateTime', required: false, description: 'First grid instant; without it, no grid.' }),
      to: t.arg({
        type: 'DateTime',
        required: false,
        description: 'Last instant of the grid (default now; not in the future).',
      }),
      everyDays: t.arg.int({ required: false, description: `Days between grid instants (1–366, default 7).` }),
    },
    resolve: async (query, _root, args, ctx) => {
      const grid = historyGrid(args);
      const run = await enqueueRescore(ctx.prisma, {
        workspaceId: ctx.caller.workspaceId,
        reason: grid ? 'history grid' : 'recompute history',
        recomputeHistory: true,
        ...(grid ? { asOf: grid.to, grid: { from: grid.from, everyDays: grid.everyDays } } : {}),
      });
      ctx.rescoreRunner.kick();
      return ctx.prisma.rescoreRun.findUniqueOrThrow({ ...query, where: workspaceKey(ctx.caller.workspaceId, run.id) });
    },
  }),
}));

const jobErrors = {
  types: [ValidationError],
  directResult: true as const,
  union: { description: 'The queued job (RescoreJob), or a ValidationError naming the argument when none was queued.' },
};

/**
 * The grid a caller asked for (none without `from`), refused with every problem at once when it
 * lacks its start, is backwards, in the future or too dense: a missing `from` first, then
 * `everyDays`, `to` and `from`, the order they were answered one at a time before.
 */
function historyGrid(args: { from?: Date | null; to?: Date | null; everyDays?: number | null }) {
  const { from } = args;
  const to = args.to ?? new Date();
  const everyDays = args.everyDays ?? 7;
  const problems: FieldProblem[] = [];
  if (!from && (args.to || args.everyDays != null))
    problems.push({ field: 'from', code: 'MISSING_VALUE', message: 'to and everyDays need from' });
  const stepOk = Number.isInteger(everyDays) && everyDays >= 1 && everyDays <= 366;
  if (!stepOk) problems.push({ field: 'everyDays', code: 'OUT_OF_RANGE', message: '1 to 366' });
  if (to.getTime() > Date.now()) problems.push({ field: 'to', code: 'FUTURE_DATE', message: 'not in the future' });
  if (from && from.getTime() > to.getTime())
    problems.push({ field: 'from', code: 'OUT_OF_RANGE', message: 'at or before to' });
  else if (from && stepOk && (to.getTime() - from.getTime()) / (everyDays * DAY_MS) >= MAX_GRID_INSTANTS)
    problems.push({
      field: 'from',
      code: 'TOO_MANY',
      message: `from, to and everyDays make at most ${MAX_GRID_INSTANTS} grid instants`,
    });
  if (problems.length > 0) throw new ValidationError(problems);
  return from ? { from, to, everyDays } : undefined;
}
