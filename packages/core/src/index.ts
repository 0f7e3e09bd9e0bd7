export { createWorkspace, type CreateWorkspaceInput, type CreatedWorkspace } from './workspaces/create-workspace.ts';
export { loadScoringModel, snapshotScoringModel } from './model/load-scoring-model.ts';
export { rescoreWorkspace, type RescoreOptions, type RescoreSummary } from './rescoring/rescore-workspace.ts';
export {
  storeScores,
  scoresAtOrBefore,
  scoreJson,
  historyBreakdown,
  type ComputedScore,
  type Tx,
} from './scores/store-scores.ts';
export {
  customersBeforeScoring,
  writeWebhookEvents,
  type CustomerBeforeScore,
  type OutboxScoreChange,
} from './outbox/webhook-outbox.ts';
export { insertInteractions, insertSnapshots, type InteractionRow, type SnapshotRow } from './recording/bulk-insert.ts';
export { ValidationError, type FieldProblem } from './validation/validation-error.ts';
export {
  checkCustomerFields,
  CustomerValidationError,
  MAX_CUSTOMER_TEXT,
  type CustomerFields,
  type CustomerFieldsCheck,
} from './customers/customer-fields.ts';
export {
  createCustomer,
  saveCustomer,
  updateCustomer,
  type CustomerPatch,
  type CustomerWriteOptions,
  type NewCustomer,
} from './customers/customer-writes.ts';
export {
  recordInteractions,
  resolveCustomers,
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
  type InteractionWrite,
  type RecordedInteraction,
  type RecordResult,
  type ScoreChange,
} from './recording/record-interactions.ts';
export {
  GroupCommit,
  groupCommitFor,
  type GroupCommitOptions,
  type GroupedWriteResult,
} from './recording/group-commit.ts';
export {
  ModelChangeError,
  proposeModel,
  applyModelChange,
  type ModelOperation,
  type ModelChangeErrorCode,
  type AppliedModelChange,
} from './model/model-change.ts';
export { touchesScores } from './model/touches-scores.ts';
export { previewModelChange, type WhatIfResult, type WhatIfMover, type WhatIfOptions } from './model/what-if.ts';
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
} from './rescoring/rescore-job.ts';
export {
  setManualAssessment,
  endManualAssessment,
  activeAssessmentOf,
  type SetAssessmentInput,
} from './assessments/assessments.ts';
export { AssessmentError } from './assessments/assessment-error.ts';
export {
  assessmentExpiry,
  inForceWhere,
  isInForce,
  DEFAULT_VALID_FOR_DAYS,
  MAX_VALID_FOR_DAYS,
  type AssessmentValidity,
} from './assessments/assessment-validity.ts';
export {
  loadCustomerInputs,
  assessmentAt,
  scoringInputAt,
  interactionsAt,
  type CustomerInputs,
  type StoredAssessment,
} from './scores/scoring-inputs.ts';
export { ApiKeyError } from './keys/api-key-error.ts';
export { createApiKey, revokeApiKey, MAX_API_KEY_NAME, type NewApiKey } from './keys/api-keys.ts';
export { normaliseOrigin } from './keys/origins.ts';
export {
  recordOutcomes,
  settleChurnState,
  OUTCOME_KINDS,
  type OutcomeWrite,
  type RecordedOutcome,
  type OutcomeRecordResult,
} from './outcomes/record-outcomes.ts';
export {
  loadModelVersions,
  ModelVersionHistory,
  ModelVersionNotFoundError,
  type ModelVersion,
} from './model/model-versions.ts';
export {
  scoresAsOf,
  customersActiveAt,
  MAX_AS_OF_PAGE,
  type ScoreAsOf,
  type ScoresAsOfOptions,
} from './scores/scores-as-of.ts';
