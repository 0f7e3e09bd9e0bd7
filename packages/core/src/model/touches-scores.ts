// Which scoring-model edits can move a score, and so queue a rescoring. Everything can, except
// adding or deleting an interaction type (no recorded interaction is of a new type, and a type in
// use cannot be deleted) and renaming or redescribing a category: queueing a job for those would
// rescore every customer for nothing.
import type { ModelOperation } from './model-operations.ts';

function canMoveScores(operation: ModelOperation): boolean {
  switch (operation.kind) {
    case 'createInteractionType':
    case 'deleteInteractionType':
      return false;
    case 'updateCategory':
      return (
        operation.weight !== undefined ||
        operation.isEngagement !== undefined ||
        operation.measuresActivity !== undefined
      );
    default:
      return true;
  }
}

/** Whether a change made of these operations can move any customer's score (and needs a rescoring). */
export function touchesScores(operations: readonly ModelOperation[]): boolean {
  return operations.some(canMoveScores);
}
