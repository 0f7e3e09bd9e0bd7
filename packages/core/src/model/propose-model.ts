// Proposing a model change: the operations applied to the current model in memory (model-draft.ts),
// then the whole model checked. The resulting model must compile: the engine's own validation is
// the last word, and its errors are translated to name the field by the keys the caller used
// rather than by array positions. Both the preview (what-if.ts) and the write
// (apply-model-change.ts) go through here, so they refuse the same changes.
import { compileModel, scoreCustomer, ScoringInputError, type CompiledModel, type ScoringModel } from '@pulso/scoring';
import { ModelChangeError, type ModelChangeProblem, translateEngineError } from './model-change-error.ts';
import { ModelDraft, type CustomerWeightChanges } from './model-draft.ts';
import type { ModelOperation } from './model-operations.ts';
import { settingsProblems } from './settings-problems.ts';

export interface ProposedModel {
  model: ScoringModel;
  compiled: CompiledModel;
  customerWeights: CustomerWeightChanges;
  /** Customers the change can affect: null for all; otherwise these segments and customers. */
  scope: { segments: string[]; customerIds: string[] } | null;
  /** Categories that no longer exist: their customer overrides go with them. */
  deletedCategories: string[];
}

/**
 * Applies operations to a model in memory; throws ModelChangeError naming the field, with every
 * bad value found (each operation's, and every setting's) when the change is refused for them.
 */
export function proposeModel(current: ScoringModel, operations: readonly ModelOperation[]): ProposedModel {
  if (operations.length === 0) throw new ModelChangeError('change', 'EMPTY_CHANGE', 'the change is empty');
  const draft = new ModelDraft(current);
  for (const op of operations) {
    try {
      draft.apply(op);
    } catch (error) {
      // A missing or taken key stops the draft: report it after the bad values found before it,
      // the operations' and those the model as drafted so far holds.
      if (!(error instanceof ModelChangeError)) throw error;
      const before = [...draft.problems, ...settingsProblems(draft.settings)];
      if (before.length === 0) throw error;
      throw ModelChangeError.of([...withEngineProblem(before, draft.model(), current), ...error.problems]);
    }
  }
  const problems = [...draft.problems, ...settingsProblems(draft.settings)];
  if (problems.length > 0) throw ModelChangeError.of(withEngineProblem(problems, draft.model(), current));
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

/**
 * `problems`, and the first one the engine finds in the rest of the drafted model (a type's base
 * points, say), which it checks only once the model compiles: without it, a change refused for its
 * settings did not say that its base points were out of range too. The model is compiled with the
 * settings in force, whose problems are already listed.
 */
function withEngineProblem(
  problems: ModelChangeProblem[],
  drafted: ScoringModel,
  current: ScoringModel,
): ModelChangeProblem[] {
  try {
    compileModel({ ...drafted, settings: current.settings });
    return problems;
  } catch (error) {
    const translated = translateEngineError(error, drafted);
    if (!(translated instanceof ModelChangeError)) return problems;
    const more = translated.problems.filter((p) => !problems.some((known) => known.field === p.field));
    return [...problems, ...more];
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
