// Rescoring jobs: every customer rescored "as of now" on demand (the schedule does the same every
// day), and history recomputed under the model in force. A job reports its progress while it runs.
import { enqueueRescore, rescoreRunnerFor } from '@pulso/workspaces';
import { builder } from '../builder.ts';

export const RescoreJobStatusEnum = builder.enumType('RescoreJobStatus', {
  values: ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const,
});

export const RescoreJob = builder.prismaObject('RescoreRun', {
  name: 'RescoreJob',
  description: 'A rescoring of customers in batches; survives a restart (it resumes where it was).',
  fields: (t) => ({
    id: t.exposeID('id'),
    reason: t.exposeString('reason', { description: '`schedule`, `on demand`, `model version N`, `recompute history`...' }),
    status: t.expose('status', { type: RescoreJobStatusEnum }),
    asOf: t.expose('asOf', { type: 'DateTime', description: 'The instant scores are computed for.' }),
    recomputeHistory: t.exposeBoolean('recomputeHistory'),
    total: t.exposeInt('total', { description: 'Customers to rescore.' }),
    done: t.exposeInt('done', { description: 'Customers rescored so far.' }),
    progress: t.float({ description: 'done / total, 0–1.', select: { done: true, total: true }, resolve: (run) => (run.total > 0 ? Math.min(1, run.done / run.total) : 1) }),
    error: t.exposeString('error', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  rescoreJob: t.prismaField({
    type: 'RescoreRun',
    nullable: true,
    description: 'One rescoring job of the workspace (poll it for progress).',
    authScopes: { read: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      /^[0-9a-f-]{36}$/i.test(args.id) ? ctx.prisma.rescoreRun.findFirst({ ...query, where: { id: args.id, workspaceId: ctx.caller!.workspaceId } }) : null,
  }),
  rescoreJobs: t.prismaField({
    type: ['RescoreRun'],
    description: 'Recent rescoring jobs of the workspace, newest first.',
    authScopes: { read: true },
    args: { first: t.arg.int({ required: false, defaultValue: 10 }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.rescoreRun.findMany({
        ...query,
        where: { workspaceId: ctx.caller!.workspaceId },
        orderBy: { createdAt: 'desc' },
        take: Math.min(Math.max(args.first ?? 10, 1), 100),
      }),
  }),
}));

builder.mutationFields((t) => ({
  rescoreAllCustomers: t.prismaField({
    type: 'RescoreRun',
    description: 'Rescores every customer "as of now" in the background; returns the job to follow.',
    authScopes: { write: true },
    resolve: async (query, _root, _args, ctx) => {
      const run = await enqueueRescore(ctx.prisma, { workspaceId: ctx.caller!.workspaceId, reason: 'on demand' });
      rescoreRunnerFor(ctx.prisma).kick();
      return ctx.prisma.rescoreRun.findUniqueOrThrow({ ...query, where: { id: run.id } });
    },
  }),
  recomputeScoreHistory: t.prismaField({
    type: 'RescoreRun',
    description:
      'Recomputes every stored score snapshot (history) of every customer under the model in force, and the current scores, in the background.',
    authScopes: { write: true },
    resolve: async (query, _root, _args, ctx) => {
      const run = await enqueueRescore(ctx.prisma, { workspaceId: ctx.caller!.workspaceId, reason: 'recompute history', recomputeHistory: true });
      rescoreRunnerFor(ctx.prisma).kick();
      return ctx.prisma.rescoreRun.findUniqueOrThrow({ ...query, where: { id: run.id } });
    },
  }),
}));
