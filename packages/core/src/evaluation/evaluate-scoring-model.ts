// Evaluates a scoring model against what actually happened: does its score rank the customers
// that churned below the ones that stayed, better than two trivial baselines (interactions in the
// last 30 days; days since the last interaction)? A model that loses to them says so plainly.
//
// An evaluation is a job (a ModelEvaluation row): requested with its parameters, run with
// progress, its result kept per model version. `evaluateScoringModel` is the same work without the
// row, for the command line and tests.
import { type Problem, ProblemsError } from '../validation/problems-error.ts';
import type { ModelEvaluation, Prisma, PrismaClient } from '@pulso/database';
import { workspaceKey } from '@pulso/database';
import { type Evaluation, evaluatePredictions } from '@pulso/evaluation';
import { type CompiledModel, DAY_MS } from '@pulso/scoring';
import type { ModelOperation } from '../model/model-operations.ts';
import { proposeModel } from '../model/propose-model.ts';
import { loadModelVersions } from '../model/model-versions.ts';
import { collectObservations, type ModelAt } from './collect-observations.ts';

export const MAX_INSTANTS = 120;
export const MAX_HORIZON_DAYS = 365;

export interface EvaluationRequest {
  /** The first observation instant. */
  from: Date;
  /** The last observation instant at the latest; `to` plus the horizon must be in the past. */
  to: Date;
  /** Days between instants (default 30: monthly). */
  stepDays?: number | null;
  /** Churn within this many days after an instant is what is predicted (default 30). */
  horizonDays?: number | null;
  /** A version to evaluate at every instant; by default the version in force at each instant. */
  modelVersion?: number | null;
  /** A proposed change to the current model, evaluated instead of a stored version. */
  proposal?: readonly ModelOperation[] | null;
}

export type EvaluationRequestErrorCode = 'INVALID' | 'OUT_OF_RANGE' | 'HORIZON_NOT_OVER' | 'NOT_FOUND';

/** One thing wrong with an evaluation request: the field and why. */
export type EvaluationRequestProblem = Problem<EvaluationRequestErrorCode>;

/**
 * The request cannot be evaluated as asked: nothing was run. `problems` lists every problem found
 * (as a refused model change does); `field` and `code` are the first's.
 */
export class EvaluationRequestError extends ProblemsError<EvaluationRequestErrorCode> {
  override readonly name = 'EvaluationRequestError';
}

export interface EvaluationReport extends Evaluation {
  instants: string[];
  horizonDays: number;
  /** The version evaluated, "in force" (each instant's own) or "proposal". */
  model: number | 'in force' | 'proposal';
  /** Milliseconds spent reading and scoring, and evaluating. */
  timings: { observeMs: number; evaluateMs: number };
}

/**
 * The observation grid (`from`, then every `stepDays`, up to `to`) and every problem of the
 * request's grid fields, in the order they were answered one at a time before: the step, the
 * horizon, the range, whether the horizon is over, how many instants.
 */
function observationGrid(
  request: EvaluationRequest,
  now: Date,
): { instants: Date[]; problems: EvaluationRequestProblem[] } {
  const step = request.stepDays ?? 30;
  const horizon = request.horizonDays ?? 30;
  const problems: EvaluationRequestProblem[] = [];
  const stepOk = Number.isInteger(step) && step >= 1 && step <= 366;
  if (!stepOk)
    problems.push({
      field: 'stepDays',
      code: 'OUT_OF_RANGE',
      message: `a whole number of days from 1 to 366, got ${step}`,
    });
  const horizonOk = Number.isInteger(horizon) && horizon >= 1 && horizon <= MAX_HORIZON_DAYS;
  if (!horizonOk)
    problems.push({
      field: 'horizonDays',
      code: 'OUT_OF_RANGE',
      message: `a whole number of days from 1 to ${MAX_HORIZON_DAYS}, got ${horizon}`,
    });
  if (Number.isNaN(request.from.getTime()) || Number.isNaN(request.to.getTime())) {
    problems.push({ field: 'from', code: 'INVALID', message: 'from and to must be valid instants' });
    return { instants: [], problems };
  }
  const ordered = request.from.getTime() <= request.to.getTime();
  if (!ordered) problems.push({ field: 'to', code: 'INVALID', message: 'must not be before from' });
  const labelsKnownUntil = new Date(now.getTime() - horizon * DAY_MS);
  if (horizonOk && request.to.getTime() > labelsKnownUntil.getTime())
    problems.push({
      field: 'to',
      code: 'HORIZON_NOT_OVER',
      message: `churn within ${horizon} days after ${request.to.toISOString()} is not known yet: end at ${labelsKnownUntil.toISOString()} at the latest`,
    });
  if (!stepOk || !ordered) return { instants: [], problems };
  const instants: Date[] = [];
  for (let t = request.from.getTime(); t <= request.to.getTime(); t += step * DAY_MS) instants.push(new Date(t));
  if (instants.length > MAX_INSTANTS)
    problems.push({
      field: 'stepDays',
      code: 'OUT_OF_RANGE',
      message: `${instants.length} instants; at most ${MAX_INSTANTS}: widen the step or narrow the range`,
    });
  return { instants, problems };
}

/** The observation grid: `from`, then every `stepDays`, up to `to`; refused with every problem of it. */
export function observationInstants(request: EvaluationRequest, now: Date): Date[] {
  const { instants, problems } = observationGrid(request, now);
  if (problems.length > 0) throw EvaluationRequestError.of(problems);
  return instants;
}

/**
 * The model to score with at each instant. The request's problems are refused together:
 * `problems` (the grid's), then a version and a proposal both given, then an unknown version. A
 * proposal is drafted only for a request without them (its own refusal is a ModelChangeError).
 */
async function modelChooser(
  prisma: PrismaClient,
  workspaceId: string,
  request: EvaluationRequest,
  gridProblems: readonly EvaluationRequestProblem[] = [],
): Promise<{ modelAt: ModelAt; model: EvaluationReport['model'] }> {
  const versions = await loadModelVersions(prisma, workspaceId);
  const problems = [...gridProblems];
  if (request.proposal && request.modelVersion != null)
    problems.push({ field: 'proposal', code: 'INVALID', message: 'give a model version or a proposal, not both' });
  const chosen =
    request.modelVersion != null ? versions.versions.find((v) => v.version === request.modelVersion) : undefined;
  if (request.modelVersion != null && !chosen)
    problems.push({
      field: 'modelVersion',
      code: 'NOT_FOUND',
      message: `no scoring model version ${request.modelVersion} in this workspace`,
    });
  if (problems.length > 0) throw EvaluationRequestError.of(problems);
  if (request.proposal) {
    const current = versions.versions[versions.versions.length - 1]!;
    const compiled: CompiledModel = proposeModel(current.model, request.proposal).compiled;
    return { modelAt: () => compiled, model: 'proposal' };
  }
  if (chosen) return { modelAt: () => chosen.compiled, model: chosen.version };
  return { modelAt: (at) => versions.inForceAt(at).compiled, model: 'in force' };
}

export interface EvaluateOptions {
  now?: Date;
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** Runs an evaluation and returns its report (nothing is stored). */
export async function evaluateScoringModel(
  prisma: PrismaClient,
  workspaceId: string,
  request: EvaluationRequest,
  options: EvaluateOptions = {},
): Promise<EvaluationReport> {
  const { instants, problems } = observationGrid(request, options.now ?? new Date());
  const horizonDays = request.horizonDays ?? 30;
  const { modelAt, model } = await modelChooser(prisma, workspaceId, request, problems);
  const started = performance.now();
  const observations = await collectObservations(prisma, {
    workspaceId,
    instants,
    horizonDays,
    modelAt,
    onProgress: options.onProgress,
  });
  const observed = performance.now();
  if (observations.length === 0)
    throw new EvaluationRequestError('from', 'INVALID', 'no customer was active at any instant of the range');
  const evaluation = evaluatePredictions(observations);
  return {
    ...evaluation,
    instants: instants.map((i) => i.toISOString()),
    horizonDays,
    model,
    timings: { observeMs: Math.round(observed - started), evaluateMs: Math.round(performance.now() - observed) },
  };
}

/** Records an evaluation to run (checked first: a bad request stores nothing). */
export async function requestModelEvaluation(
  prisma: PrismaClient,
  workspaceId: string,
  request: EvaluationRequest,
  now = new Date(),
): Promise<ModelEvaluation> {
  await modelChooser(prisma, workspaceId, request, observationGrid(request, now).problems);
  return prisma.modelEvaluation.create({
    data: {
      workspaceId,
      modelVersion: request.modelVersion ?? null,
      proposal: (request.proposal ?? undefined) as Prisma.InputJsonValue | undefined,
      fromAt: request.from,
      toAt: request.to,
      stepDays: request.stepDays ?? 30,
      horizonDays: request.horizonDays ?? 30,
      total: await prisma.customer.count({ where: { workspaceId } }),
    },
  });
}

/** Runs a requested evaluation, recording progress, then its result or why it failed. */
export async function runModelEvaluation(
  prisma: PrismaClient,
  workspaceId: string,
  evaluationId: string,
): Promise<ModelEvaluation> {
  const key = workspaceKey(workspaceId, evaluationId);
  const job = await prisma.modelEvaluation.update({
    where: key,
    data: { status: 'RUNNING', startedAt: new Date() },
  });
  try {
    const report = await evaluateScoringModel(
      prisma,
      job.workspaceId,
      {
        from: job.fromAt,
        to: job.toAt,
        stepDays: job.stepDays,
        horizonDays: job.horizonDays,
        modelVersion: job.modelVersion,
        proposal: (job.proposal as ModelOperation[] | null) ?? null,
      },
      {
        // The request was checked against its own "now"; labels known then stay known.
        now: new Date(Math.max(Date.now(), job.toAt.getTime() + job.horizonDays * DAY_MS)),
        onProgress: async (done, total) => {
          await prisma.modelEvaluation.update({ where: key, data: { done, total } });
        },
      },
    );
    return await prisma.modelEvaluation.update({
      where: key,
      data: {
        status: 'SUCCEEDED',
        result: JSON.parse(JSON.stringify(report)) as Prisma.InputJsonValue,
        finishedAt: new Date(),
      },
    });
  } catch (error) {
    return prisma.modelEvaluation.update({
      where: key,
      data: { status: 'FAILED', error: error instanceof Error ? error.message : String(error), finishedAt: new Date() },
    });
  }
}

/** A running evaluation records progress every few seconds; silent this long, its process stopped. */
export const INTERRUPTED_AFTER_MS = 10 * 60_000;

/**
 * Evaluations left PENDING or RUNNING by a process that stopped are marked FAILED, so nobody
 * waits on them. Only those silent for INTERRUPTED_AFTER_MS: another instance's live run stays.
 */
export async function failInterruptedEvaluations(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.modelEvaluation.updateMany({
    where: {
      status: { in: ['PENDING', 'RUNNING'] },
      updatedAt: { lt: new Date(now.getTime() - INTERRUPTED_AFTER_MS) },
    },
    data: { status: 'FAILED', error: 'interrupted by a restart: request it again', finishedAt: new Date() },
  });
  return count;
}
