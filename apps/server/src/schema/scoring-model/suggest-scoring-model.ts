// `suggestScoringModel`: category weights fitted to the workspace's recorded outcomes, returned as
// an ordinary change (the `categoryWeights` of a ScoringModelChangeInput) with its figures before
// and after and its band movers. Nothing is applied here; the fitting is @pulso/core's
// (evaluation/suggest-scoring-model.ts) over @pulso/model-fitting.
import {
  EvaluationRequestError,
  MAX_HORIZON_DAYS,
  MAX_INSTANTS,
  type Suggestion,
  suggestScoringModel,
} from '@pulso/core';
import { builder } from '../../builder.ts';
import { WhatIf } from './what-if.ts';

type Fitted = Extract<Suggestion, { status: 'FITTED' | 'KEEP_CURRENT' }>;
type NotEnough = Extract<Suggestion, { status: 'NOT_ENOUGH_OUTCOMES' }>;
const fitted = (s: Suggestion): Fitted | null => (s.status === 'NOT_ENOUGH_OUTCOMES' ? null : s);
const notEnough = (s: Suggestion): NotEnough | null => (s.status === 'NOT_ENOUGH_OUTCOMES' ? s : null);
const weightList = (weights: Record<string, number>) =>
  Object.entries(weights).map(([categoryKey, weight]) => ({ categoryKey, weight }));

const SuggestionStatusEnum = builder.enumType('ScoringModelSuggestionStatus', {
  description: 'What the fit concluded.',
  values: {
    FITTED: {
      description:
        'The fitted weights rank the newer, unseen instants at least as well as the current ones: `categoryWeights` is the change to apply.',
    },
    KEEP_CURRENT: {
      description:
        'The fitted weights rank the newer instants worse, or nothing better was found: keep the current weights (no change).',
    },
    NOT_ENOUGH_OUTCOMES: {
      description:
        'Too few recorded outcomes to fit and judge weights: `needs` and `has` say how many; nothing is proposed.',
    },
  } as const,
});

const CategoryWeightRef = builder.objectRef<{ categoryKey: string; weight: number }>('CategoryWeight').implement({
  description: 'A category and its weight (the shape of CategoryWeightInput, so a suggestion can be applied as is).',
  fields: (t) => ({
    categoryKey: t.exposeString('categoryKey', { description: 'Key of the category.' }),
    weight: t.exposeFloat('weight', { description: 'Relative weight: only proportions matter.' }),
  }),
});

const AucPairRef = builder.objectRef<{ current: number; fitted: number }>('AucBeforeAfter').implement({
  description:
    'The AUC (0.5 chance, 1 perfect) of the current weights and of the fitted ones on the same customer-instants.',
  fields: (t) => ({
    current: t.exposeFloat('current', { description: 'AUC with the weights in force.' }),
    fitted: t.exposeFloat('fitted', { description: 'AUC with the fitted weights.' }),
  }),
});

const OutcomeCountsRef = builder
  .objectRef<{ instants: number; trainingChurners: number; heldOutChurners: number }>('OutcomeCounts')
  .implement({
    description:
      'Instants, and churn outcomes (churning customer-instants) in the older instants learned from and the newer ones judged by.',
    fields: (t) => ({
      instants: t.exposeInt('instants', { description: 'Distinct scoring instants.' }),
      trainingChurners: t.exposeInt('trainingChurners', { description: 'Churn outcomes in the older instants.' }),
      heldOutChurners: t.exposeInt('heldOutChurners', { description: 'Churn outcomes in the newer instants.' }),
    }),
  });

const SuggestionRef = builder.objectRef<Suggestion>('ScoringModelSuggestion').implement({
  description:
    'Category weights fitted to recorded outcomes on the older instants and judged on the newer ones, as a change a person can preview, edit and apply (applyScoringModelChange with these categoryWeights). Method: packages/model-fitting/README.md.',
  fields: (t) => ({
    status: t.field({ type: SuggestionStatusEnum, description: 'What the fit concluded.', resolve: (s) => s.status }),
    message: t.exposeString('message', {
      description: 'The conclusion in one or two plain sentences, with the figures.',
    }),
    modelVersion: t.exposeInt('modelVersion', { description: 'The model version the weights were fitted for.' }),
    horizonDays: t.exposeInt('horizonDays', {
      description: 'Churn within this many days after an instant was predicted.',
    }),
    instants: t.field({
      type: ['DateTime'],
      description: 'Every scoring instant, oldest first.',
      resolve: (s) => s.instants.map((i) => new Date(i)),
    }),
    categoryWeights: t.field({
      type: [CategoryWeightRef],
      description: 'The proposed change: new weights of the categories that move. Empty unless FITTED.',
      resolve: (s) => fitted(s)?.operations.map((op) => ({ categoryKey: op.key, weight: op.weight! })) ?? [],
    }),
    currentWeights: t.field({
      type: [CategoryWeightRef],
      nullable: true,
      description: 'Every category weight in force; null when nothing was fitted.',
      resolve: (s) => {
        const f = fitted(s);
        return f ? weightList(f.current) : null;
      },
    }),
    fittedWeights: t.field({
      type: [CategoryWeightRef],
      nullable: true,
      description: 'Every category weight the fit found (even when it is not proposed); null when nothing was fitted.',
      resolve: (s) => {
        const f = fitted(s);
        return f ? weightList(f.fitted) : null;
      },
    }),
    trainingAuc: t.field({
      type: AucPairRef,
      nullable: true,
      description: 'AUC on the older instants the fit learned from; null when nothing was fitted.',
      resolve: (s) => fitted(s)?.auc.training ?? null,
    }),
    heldOutAuc: t.field({
      type: AucPairRef,
      nullable: true,
      description: 'AUC on the newer instants the fit never saw (the judgement); null when nothing was fitted.',
      resolve: (s) => fitted(s)?.auc.heldOut ?? null,
    }),
    heldOutFrom: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The first of the newer instants the fit was judged on; null when nothing was fitted.',
      resolve: (s) => {
        const first = fitted(s)?.heldOutInstants[0];
        return first ? new Date(first) : null;
      },
    }),
    churnOutcomes: t.field({
      type: OutcomeCountsRef,
      description: 'The outcomes the fit had (for NOT_ENOUGH_OUTCOMES, compare with `needs`).',
      resolve: (s) => {
        const short = notEnough(s);
        if (short) return short.has;
        const f = fitted(s)!;
        return {
          instants: f.instants.length,
          trainingChurners: f.churnOutcomes.training,
          heldOutChurners: f.churnOutcomes.heldOut,
        };
      },
    }),
    needs: t.field({
      type: OutcomeCountsRef,
      nullable: true,
      description: 'For NOT_ENOUGH_OUTCOMES: the outcomes a fit needs; null otherwise.',
      resolve: (s) => notEnough(s)?.needs ?? null,
    }),
    preview: t.field({
      type: WhatIf,
      nullable: true,
      description:
        'Every customer scored now under the weights in force and under the change: band movers. Null without a change.',
      resolve: (s) => fitted(s)?.preview ?? null,
    }),
  }),
});

const SuggestScoringModelInput = builder.inputType('SuggestScoringModelInput', {
  description: 'The past instants to learn from and judge on, and the churn horizon to predict.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true, description: 'The first scoring instant.' }),
    to: t.field({
      type: 'DateTime',
      required: true,
      description: 'The last scoring instant at the latest; it plus the horizon must be in the past.',
    }),
    stepDays: t.int({
      required: false,
      description: `Days between instants (default 30; at most ${MAX_INSTANTS} instants).`,
    }),
    horizonDays: t.int({
      required: false,
      description: `Predict churn within this many days after each instant (default 30; 1–${MAX_HORIZON_DAYS}).`,
    }),
  }),
});

builder.mutationField('suggestScoringModel', (t) =>
  t.withAuth({ write: true }).field({
    type: SuggestionRef,
    description:
      'Fits the category weights of the formula-2 model in force to recorded outcomes (secret keys only): learned on the older two thirds of the instants, judged on the newer third, regularized toward the current weights. Returns the change with its AUC before and after and its band movers, or how many outcomes it needs; applies nothing. Refused with an EvaluationRequestError.',
    errors: {
      types: [EvaluationRequestError],
      directResult: true,
      union: { description: 'The suggestion (ScoringModelSuggestion), or why none could be made.' },
    },
    args: {
      input: t.arg({ type: SuggestScoringModelInput, required: true, description: 'Which instants, which horizon.' }),
      movers: t.arg.int({
        required: false,
        defaultValue: 10,
        description: 'How many movers the preview lists (at most 100).',
      }),
    },
    resolve: (_root, { input, movers }, ctx) =>
      suggestScoringModel(
        ctx.prisma,
        ctx.caller.workspaceId,
        { from: input.from, to: input.to, stepDays: input.stepDays, horizonDays: input.horizonDays },
        { movers: Math.min(Math.max(movers ?? 10, 0), 100) },
      ),
  }),
);
