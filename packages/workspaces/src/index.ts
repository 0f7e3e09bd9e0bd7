export { createWorkspace, type CreateWorkspaceInput, type CreatedWorkspace } from './create-workspace.ts';
export { loadScoringModel, snapshotScoringModel } from './scoring-model.ts';
export { rescoreWorkspace, type RescoreOptions, type RescoreSummary } from './rescore.ts';
export {
  storeScores,
  scoresAtOrBefore,
  scoreJson,
  historyBreakdown,
  type ComputedScore,
  type Tx,
} from './store-scores.ts';
export {
  customersBeforeScoring,
  writeWebhookEvents,
  type CustomerBeforeScore,
  type OutboxScoreChange,
} from './webhook-outbox.ts';
export { insertInteractions, insertSnapshots, type InteractionRow, type SnapshotRow } from './bulk-insert.ts';
export {
  recordInteractions,
  rescoreCustomersInTransaction,
  scoreCustomers,
  upsertCustomer,
  insertMissingCustomers,
  InteractionValidationError,
  IdempotencyConflictError,
  MAX_BATCH,
  CLOCK_SKEW_MS,
  type CustomerRef,
  type CustomerUpsert,
  type FieldProblem,
  type InteractionWrite,
  type RecordedInteraction,
  type RecordResult,
  type ScoreChange,
} from './record-interactions.ts';
export { GroupCommit, groupCommitFor, type GroupCommitOptions, type GroupedWriteResult } from './group-commit.ts';
export {
  ModelChangeError,
  proposeModel,
  applyModelChange,
  type ModelOperation,
  type ModelChangeErrorCode,
  type AppliedModelChange,
} from './model-change.ts';
export { previewModelChange, type WhatIfResult, type WhatIfMover, type WhatIfOptions } from './what-if.ts';
export {
  enqueueRescore,
  enqueueScheduledRescore,
  scheduleSlot,
  rescoreChunk,
  RescoreRunTakenOverError,
  RescoreRunner,
  rescoreRunnerFor,
  stopRescoreRunner,
  startRescoreSchedule,
  type RescoreScope,
  type RescoreRunnerOptions,
  type EnqueueRescoreInput,
} from './rescore-job.ts';
export {
  setManualAssessment,
  endManualAssessment,
  activeAssessmentOf,
  AssessmentError,
  type SetAssessmentInput,
} from './assessments.ts';
export {
  loadCustomerInputs,
  assessmentAt,
  scoringInputAt,
  interactionsAt,
  type CustomerInputs,
  type StoredAssessment,
} from './scoring-inputs.ts';
