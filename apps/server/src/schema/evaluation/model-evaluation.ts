// Model evaluation through the API: `evaluateScoringModel` checks a request and runs it as a job in
// the background of this process (progress in `done`/`total`); `modelEvaluation(s)` read jobs and
// their reports. The measuring is @pulso/core's (evaluation/) over @pulso/evaluation's figures.
import {
  EvaluationRequestError,
  MAX_HORIZON_DAYS,
  MAX_INSTANTS,
  ModelChangeError,
  requestModelEvaluation,
  runModelEvaluation,
} from '@pulso/core';
import type { EvaluationReport } from '@pulso/core';
import { isUuid, workspaceKey } from '@pulso/database';
import { builder } from '../../builder.ts';
import { totalCountField } from '../common/connection-options.ts';
import { FieldProblemRef, UserErrorInterface } from '../common/user-errors.ts';
import { operationsOf, ScoringModelChangeInput } from '../scoring-model/scoring-model-mutations.ts';

const ModelEvaluationStatusEnum = builder.enumType('ModelEvaluationStatus', {
  description: 'Where an evaluation stands.',
  values: {
    PENDING: { description: 'Requested, not started.' },
    RUNNING: { description: 'Scoring customers at each instant (see done/total).' },
    SUCCEEDED: { description: 'Done: `report` holds every figure.' },
    FAILED: { description: 'Stopped: `error` says why.' },
  } as const,
});

builder.objectType(EvaluationRequestError, {
  name: 'EvaluationRequestError',
  description:
    'The evaluation cannot be run as asked (code INVALID, OUT_OF_RANGE, HORIZON_NOT_OVER or NOT_FOUND): nothing was started. `problems` lists every problem of the request; `field` and `code` are the first.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof EvaluationRequestError,
  fields: (t) => ({
    problems: t.field({
      type: [FieldProblemRef],
      description: 'Every problem found, each with its field, code and message.',
      resolve: (error) => [...error.problems],
    }),
  }),
});

interface Figures {
  auc: number;
  aucInterval: { low: number; high: number };
  topDecileLift: number;
}

const RankerFiguresRef = builder.objectRef<Figures>('RankerFigures').implement({
  description: 'How well one ranking of customers predicted churn.',
  fields: (t) => ({
    auc: t.exposeFloat('auc', {
      description: 'Area under the ROC curve: 0.5 is chance, 1 ranks every churner as riskier than every stayer.',
    }),
    aucLow: t.float({
      description: "Low end of the AUC's 95 % bootstrap interval.",
      resolve: (f) => f.aucInterval.low,
    }),
    aucHigh: t.float({
      description: "High end of the AUC's 95 % bootstrap interval.",
      resolve: (f) => f.aucInterval.high,
    }),
    topDecileLift: t.exposeFloat('topDecileLift', {
      description: 'Churn rate among the riskiest tenth over the churn rate of all (1: no better than chance).',
    }),
  }),
});

const EvaluationSummaryRef = builder.objectRef<EvaluationReport>('ModelEvaluationSummary').implement({
  description: 'The headline figures of an evaluation; `ModelEvaluation.report` holds all of them.',
  fields: (t) => ({
    observations: t.exposeInt('observations', { description: 'Customer-instants scored.' }),
    customers: t.exposeInt('customers', { description: 'Customers observed at one instant at least.' }),
    churnRate: t.exposeFloat('churnRate', {
      description: 'Share of observations followed by a churn within the horizon.',
    }),
    model: t.field({ type: RankerFiguresRef, description: 'The score.', resolve: (r) => r.rankers.model }),
    recentInteractions: t.field({
      type: RankerFiguresRef,
      description: 'Baseline: fewer interactions in the last 30 days is riskier.',
      resolve: (r) => r.rankers.recentInteractions,
    }),
    daysSinceLastInteraction: t.field({
      type: RankerFiguresRef,
      description: 'Baseline: more days since the last interaction is riskier.',
      resolve: (r) => r.rankers.daysSinceLast,
    }),
    verdicts: t.stringList({
      description: 'One sentence for each baseline the score loses to; empty when it beats both.',
      resolve: (r) => r.verdicts,
    }),
  }),
});

builder.prismaObject('ModelEvaluation', {
  description:
    'How well a scoring model predicted churn over past instants, measured against recorded outcomes (recordOutcome).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id of the evaluation.' }),
    status: t.expose('status', { type: ModelEvaluationStatusEnum, description: 'Where it stands.' }),
    modelVersion: t.exposeInt('modelVersion', {
      nullable: true,
      description: 'The version evaluated; null for the version in force at each instant, or for a proposal.',
    }),
    proposal: t.expose('proposal', {
      type: 'JSON',
      nullable: true,
      description: 'The proposed change evaluated instead of a stored version, if any.',
    }),
    from: t.expose('fromAt', { type: 'DateTime', description: 'The first observation instant.' }),
    to: t.expose('toAt', { type: 'DateTime', description: 'The last observation instant at the latest.' }),
    stepDays: t.exposeInt('stepDays', { description: 'Days between observation instants.' }),
    horizonDays: t.exposeInt('horizonDays', {
      description: 'Churn within this many days after an instant is predicted.',
    }),
    done: t.exposeInt('done', { description: 'Customers scored at every instant so far.' }),
    total: t.exposeInt('total', { description: 'Customers to score.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed, when it did.' }),
    summary: t.field({
      type: EvaluationSummaryRef,
      nullable: true,
      description: 'The headline figures, once it succeeded.',
      select: { result: true },
      resolve: (e) => (e.result as EvaluationReport | null) ?? null,
    }),
    report: t.expose('result', {
      type: 'JSON',
      nullable: true,
      description:
        'Every figure, once it succeeded: AUC with interval, top-decile lift and lead time for the score and both baselines, churn per band, calibration by score decile, lead time through the at-risk band, the churned-while-green list.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was requested.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'When it started.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it ended.' }),
  }),
});

const EvaluateScoringModelInput = builder.inputType('EvaluateScoringModelInput', {
  description: 'What to evaluate, over which instants, predicting churn within which horizon.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true, description: 'The first observation instant.' }),
    to: t.field({
      type: 'DateTime',
      required: true,
      description: 'The last observation instant at the latest; it plus the horizon must be in the past.',
    }),
    stepDays: t.int({
      required: false,
      description: `Days between instants (default 30; at most ${MAX_INSTANTS} instants).`,
    }),
    horizonDays: t.int({
      required: false,
      description: `Predict churn within this many days after each instant (default 30; 1–${MAX_HORIZON_DAYS}).`,
    }),
    modelVersion: t.int({
      required: false,
      description: 'A version to evaluate at every instant; by default the version in force at each instant.',
    }),
    proposal: t.field({
      type: ScoringModelChangeInput,
      required: false,
      description:
        'A proposed change to the current model, evaluated instead of a stored version (nothing is applied).',
    }),
  }),
});

builder.mutationFields((t) => ({
  evaluateScoringModel: t.withAuth({ write: true }).prismaField({
    type: 'ModelEvaluation',
    description:
      'Starts an evaluation of the scoring model against recorded outcomes (secret keys only); it runs in the background: read `modelEvaluation(id)` for progress and the report. Refused with an EvaluationRequestError listing every problem of the request, or a ScoringModelError for the proposal.',
    errors: {
      types: [EvaluationRequestError, ModelChangeError],
      directResult: true,
      union: {
        description: 'The started evaluation (ModelEvaluation), or why none was started.',
      },
    },
    args: { input: t.arg({ type: EvaluateScoringModelInput, required: true, description: 'What and when.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const job = await requestModelEvaluation(ctx.prisma, ctx.caller.workspaceId, {
        from: input.from,
        to: input.to,
        stepDays: input.stepDays,
        horizonDays: input.horizonDays,
        modelVersion: input.modelVersion,
        proposal: input.proposal ? await operationsOf(ctx, input.proposal) : null,
      });
      // Runs after this answer; its failures are recorded on the job itself.
      void runModelEvaluation(ctx.prisma, job.workspaceId, job.id).catch((err: unknown) =>
        ctx.logger.error({ err, evaluationId: job.id }, 'model evaluation failed'),
      );
      return ctx.prisma.modelEvaluation.findUniqueOrThrow({
        ...query,
        where: workspaceKey(ctx.caller.workspaceId, job.id),
      });
    },
  }),
}));

const evaluationsWhere = (workspaceId: string, modelVersion: number | null | undefined) => ({
  workspaceId,
  ...(modelVersion != null ? { modelVersion } : {}),
});

builder.queryFields((t) => ({
  modelEvaluation: t.withAuth({ read: true }).prismaField({
    type: 'ModelEvaluation',
    nullable: true,
    description: 'One evaluation by id; null when the workspace has none with it. Secret and read-only keys only.',
    args: { id: t.arg.id({ required: true, description: 'Id of the evaluation.' }) },
    resolve: (query, _root, { id }, ctx) =>
      isUuid(String(id))
        ? ctx.prisma.modelEvaluation.findFirst({
            ...query,
            where: { id: String(id), workspaceId: ctx.caller.workspaceId },
          })
        : null,
  }),
  modelEvaluations: t.withAuth({ read: true }).prismaConnection(
    {
      type: 'ModelEvaluation',
      cursor: 'workspaceId_id',
      description: "The workspace's evaluations, newest first, optionally of one model version.",
      args: { modelVersion: t.arg.int({ required: false, description: 'Only evaluations of this version.' }) },
      totalCount: (_root, args, ctx) =>
        ctx.prisma.modelEvaluation.count({ where: evaluationsWhere(ctx.caller.workspaceId, args.modelVersion) }),
      resolve: (query, _root, args, ctx) =>
        ctx.prisma.modelEvaluation.findMany({
          ...query,
          where: evaluationsWhere(ctx.caller.workspaceId, args.modelVersion),
          orderBy: { id: 'desc' },
        }),
    },
    {
      name: 'ModelEvaluationConnection',
      description: 'A page of model evaluations.',
      fields: (c) => ({ totalCount: c.int(totalCountField('evaluations match')) }),
    },
    { name: 'ModelEvaluationEdge', description: 'A model evaluation in a page, with its cursor.' },
  ),
}));
