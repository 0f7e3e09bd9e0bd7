// Proposing a model change: the operations applied to the current model in memory (model-draft.ts),
// then the whole model checked. The resulting model must compile: the engine's own validation is
// the last word, and its errors are translated to name the field by the keys the caller used
// rather than by array positions. Both the preview (what-if.ts) and the write
// (apply-model-change.ts) go through here, so they refuse the same changes.
import {
  compileModel,
  scoreCustomer,
  ScoringInputError,
  type CompiledModel,
  type ScoringModel,
  type ScoringSettings,
} from '@pulso/scoring';
import { ModelChangeError, translateEngineError } from './model-change-error.ts';
import { ModelDraft, type CustomerWeightChanges } from './model-draft.ts';
import type { ModelOperation } from './model-operations.ts';

export interface ProposedModel {
  model: ScoringModel;
  compiled: CompiledModel;
  customerWeights: CustomerWeightChanges;
  /** Customers the change can affect: null for all; otherwise these segments and customers. */
  scope: { segments: string[]; customerIds: string[] } | null;
  /** Categories that no longer exist: their customer overrides go with them. */
  deletedCategories: string[];
}

/** Applies operations to a model in memory; throws ModelChangeError naming the field. */
export function proposeModel(current: ScoringModel, operations: readonly ModelOperation[]): ProposedModel {
  if (operations.length === 0) throw new ModelChangeError('change', 'EMPTY_CHANGE', 'the change is empty');
  const draft = new ModelDraft(current);
  for (const op of operations) draft.apply(op);
  checkSettings(draft.settings);
  const model = draft.model();
  let compiled: CompiledModel;
  try {
    compiled = compileModel(model);
  } catch (error) {
    throw translateEngineError(error, model);
  }
  return {
    model,
    compiled,
    customerWeights: draft.customerWeights,
    scope: draft.everyone ? null : { segments: [...draft.segments], customerIds: [...draft.customerIds] },
    deletedCategories: draft.deletedCategories,
  };
}

/** What Pulso asks of the settings beyond the engine: bands in order, whole numbers where shown as such. */
function checkSettings(settings: ScoringSettings): void {
  if (settings.bandAtRiskMax > settings.bandNeedsAttentionMax) {
    throw new ModelChangeError(
      'settings.bandNeedsAttentionMax',
      'THRESHOLDS_OUT_OF_ORDER',
      `the needs-attention threshold (${settings.bandNeedsAttentionMax}) must not be below the at-risk threshold (${settings.bandAtRiskMax})`,
    );
  }
  if (settings.silenceWindowDays !== Math.round(settings.silenceWindowDays)) {
    throw new ModelChangeError(
      'settings.silenceWindowDays',
      'INVALID_NUMBER',
      'the silence window is a whole number of days',
    );
  }
  for (const key of ['bandAtRiskMax', 'bandNeedsAttentionMax'] as const) {
    if (settings[key] !== Math.round(settings[key]))
      throw new ModelChangeError(`settings.${key}`, 'INVALID_NUMBER', 'a band threshold is a whole score');
  }
}

/** Checks that each changed customer's own weights still leave some weight. */
export function checkCustomerWeights(
  proposed: ProposedModel,
  customers: { id: string; externalId: string; segment: string | null; weights: Record<string, number> }[],
): void {
  for (const customer of customers) {
    const changes = proposed.customerWeights.get(customer.id) ?? {};
    const weights: Record<string, number> = { ...customer.weights };
    for (const key of proposed.deletedCategories) delete weights[key];
    for (const [key, weight] of Object.entries(changes)) {
      if (weight === null) delete weights[key];
      else weights[key] = weight;
    }
    try {
      scoreCustomer(proposed.compiled, { segment: customer.segment, weights }, [], new Date(0));
    } catch (error) {
      if (error instanceof ScoringInputError) {
        throw new ModelChangeError(
          `customerWeights.${customer.externalId}`,
          error.code,
          error.message.replace(/^customer\.weights: /, 'category weights: '),
        );
      }
      throw error;
    }
  }
}
