// Suggests category weights fitted to the workspace's recorded outcomes (issue 14, "learned
// weights a person can edit"). Every customer is scored at past instants with the model in force
// now, as the evaluation does; @pulso/model-fitting fits the weights on the older instants and
// judges them on the newer ones; the answer is an ordinary change (category weights) with its
// figures before and after and its band movers. Nothing is applied: a person previews, edits and
// applies it through the usual flow (previewScoringModelChange, applyScoringModelChange).
import type { PrismaClient } from '@pulso/database';
import {
  type AucPair,
  type FitOptions,
  fitCategoryWeights,
  type NotEnoughOutcomes,
  type OutcomeObservation,
} from '@pulso/model-fitting';
import { compileModel, scoreParts } from '@pulso/scoring';
import { loadScoringModel } from '../model/load-scoring-model.ts';
import type { ModelOperation } from '../model/model-operations.ts';
import { previewModelChange, type WhatIfResult } from '../model/what-if.ts';
import { collectObservations } from './collect-observations.ts';
import { type EvaluationRequest, EvaluationRequestError, observationInstants } from './evaluate-scoring-model.ts';

export interface SuggestionRequest extends Pick<EvaluationRequest, 'from' | 'to' | 'stepDays' | 'horizonDays'> {}

export interface SuggestOptions {
  now?: Date;
  /** How many band movers the preview lists (default 10). */
  movers?: number;
  /** The fit's options (minimums, penalty); the package's defaults otherwise. */
  fit?: FitOptions;
}

interface Common {
  /** The model version the weights were fitted for (the one in force now). */
  modelVersion: number;
  instants: string[];
  horizonDays: number;
}

export type Suggestion =
  | (Common & NotEnoughOutcomes)
  | (Common & {
      status: 'FITTED' | 'KEEP_CURRENT';
      message: string;
      /** The change to preview and apply: updateCategory weight operations, empty when KEEP_CURRENT. */
      operations: Extract<ModelOperation, { kind: 'updateCategory' }>[];
      current: Record<string, number>;
      fitted: Record<string, number>;
      auc: { training: AucPair; heldOut: AucPair };
      churnOutcomes: { training: number; heldOut: number };
      observations: { training: number; heldOut: number };
      trainingInstants: string[];
      heldOutInstants: string[];
      /** Every customer now, under the model in force and under the change; null without a change. */
      preview: WhatIfResult | null;
    });

export async function suggestScoringModel(
  prisma: PrismaClient,
  workspaceId: string,
  request: SuggestionRequest,
  options: SuggestOptions = {},
): Promise<Suggestion> {
  const now = options.now ?? new Date();
  const instants = observationInstants(request, now);
  const horizonDays = request.horizonDays ?? 30;
  const { version, ...model } = await loadScoringModel(prisma, workspaceId);
  if (model.settings.formula !== 2) {
    throw new EvaluationRequestError(
      'model',
      'INVALID',
      'weights are fitted for a formula-2 model only: switch the scoring model to formula 2 first (settings.formula)',
    );
  }
  const compiled = compileModel(model);
  const scored: OutcomeObservation[] = [];
  await collectObservations(prisma, {
    workspaceId,
    instants,
    horizonDays,
    // The weights in force now are the ones a change would replace: every instant is scored with them.
    modelAt: () => compiled,
    // Only the parts the fit reads are kept: a large workspace's results whole would not fit in memory.
    onScored: (observation, result) =>
      scored.push({ at: observation.at, churned: observation.churned, parts: scoreParts(result) }),
  });
  const current = Object.fromEntries(model.categories.map((category) => [category.key, category.weight]));
  const fit = fitCategoryWeights(scored, current, options.fit);
  const common: Common = { modelVersion: version, instants: instants.map((i) => i.toISOString()), horizonDays };
  if (fit.status === 'NOT_ENOUGH_OUTCOMES') return { ...common, ...fit };

  const operations =
    fit.status === 'FITTED'
      ? model.categories
          .filter((category) => fit.proposed[category.key] !== category.weight)
          .map((category) => ({
            kind: 'updateCategory' as const,
            key: category.key,
            weight: fit.proposed[category.key]!,
          }))
      : [];
  const preview =
    operations.length > 0
      ? await previewModelChange(prisma, workspaceId, operations, { asOf: now, movers: options.movers ?? 10 })
      : null;
  return {
    ...common,
    status: fit.status,
    message: fit.message,
    operations,
    current: fit.current,
    fitted: fit.fitted,
    auc: fit.auc,
    churnOutcomes: fit.churnOutcomes,
    observations: fit.observations,
    trainingInstants: fit.instants.training.map((i) => i.toISOString()),
    heldOutInstants: fit.instants.heldOut.map((i) => i.toISOString()),
    preview,
  };
}
