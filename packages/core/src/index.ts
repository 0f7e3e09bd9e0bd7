// The public API of @pulso/core, Pulso's domain on the database, grouped by the folders it comes
// from. Callers (the server, the importer, demo data, benchmarks) import from here only.

// The transaction type domain functions take when they must commit with the caller's writes.
export type { Tx } from './transaction.ts';

// workspaces/
export { createWorkspace, type CreateWorkspaceInput, type CreatedWorkspace } from './workspaces/create-workspace.ts';
export { WorkspaceError } from './workspaces/workspace-error.ts';
export {
  addWorkspace,
  deleteWorkspace,
  describeWorkspace,
  findWorkspace,
  listWorkspaces,
  renameWorkspace,
  slugFromName,
  MAX_WORKSPACE_NAME,
  MAX_WORKSPACE_SLUG,
  type DeletedWorkspace,
  type WorkspaceSummary,
} from './workspaces/manage-workspaces.ts';

// customers/
export { upsertCustomer, insertMissingCustomers, type CustomerUpsert } from './customers/upsert-customer.ts';
export {
  checkCustomerFields,
  customerFieldProblems,
  CustomerValidationError,
  MAX_CUSTOMER_TEXT,
  type CustomerFields,
  type CustomerFieldsCheck,
} from './customers/customer-fields.ts';
export {
  createCustomer,
  externalIdTakenProblem,
  saveCustomer,
  updateCustomer,
  type CustomerPatch,
  type CustomerWriteOptions,
  type NewCustomer,
} from './customers/customer-writes.ts';
export {
  saveCustomers,
  type SaveCustomersOptions,
  type SaveCustomersResult,
  type SavedCustomer,
} from './customers/save-customers.ts';

// recording/
export { recordInteractions, type RecordOptions, type RecordResult } from './recording/record-interactions.ts';
export {
  interactionDetails,
  type CustomerRef,
  type InteractionDetails,
  type InteractionWrite,
  type RecordedInteraction,
} from './recording/interaction-write.ts';
export { InteractionValidationError, IdempotencyConflictError } from './recording/recording-errors.ts';
export { resolveCustomers } from './recording/resolve-customers.ts';

// validation/: the base of every refusal that lists problems field by field
export { ValidationError, type FieldProblem } from './validation/validation-error.ts';
export { MAX_BATCH, CLOCK_SKEW_MS } from './recording/validate-writes.ts';
export { GroupCommit, type GroupCommitOptions, type GroupedWriteResult } from './recording/group-commit.ts';
export { insertInteractions, insertSnapshots, type InteractionRow, type SnapshotRow } from './recording/bulk-insert.ts';

// scores/
export {
  storeScores,
  scoreJson,
  historyBreakdown,
  type ComputedScore,
} from './scores/store-scores.ts';
export {
  type ScoringStateMismatch,
  type ScoringStateReport,
  STATE_TOLERANCE_POINTS,
  verifyScoringStates,
} from './scores/verify-scoring-states.ts';
export { scoreCustomers, rescoreCustomersInTransaction } from './scores/score-customers.ts';
export type { ScoreChange } from './scores/score-change.ts';
export {
  loadCustomerInputs,
  assessmentAt,
  scoringInputAt,
  interactionsAt,
  type CustomerInputs,
  type StoredAssessment,
} from './scores/scoring-inputs.ts';

// model/
export { loadScoringModel, snapshotScoringModel } from './model/load-scoring-model.ts';
export type { ModelOperation } from './model/model-operations.ts';
export { categoryNamesList, type LocalizedName, MAX_CATEGORY_NAMES } from './model/category-names.ts';
export { ModelChangeError, type ModelChangeErrorCode, type ModelChangeProblem } from './model/model-change-error.ts';
export { proposeModel, type ProposedModel } from './model/propose-model.ts';
export { applyModelChange, type AppliedModelChange } from './model/apply-model-change.ts';
export {
  MODEL_V2_NOTE,
  modelV2Operations,
  upgradeToModelV2,
  upgradeWorkspacesToModelV2,
} from './model/upgrade-to-v2.ts';
export { previewModelChange, type WhatIfResult, type WhatIfMover, type WhatIfOptions } from './model/what-if.ts';
export { touchesScores } from './model/touches-scores.ts';

// rescoring/
export { rescoreWorkspace, type RescoreOptions, type RescoreSummary } from './rescoring/rescore-workspace.ts';
export {
  enqueueRescore,
  enqueueHistoryBackfill,
  BACKFILL_REASON,
  BACKFILL_EVERY_DAYS,
  type RescoreScope,
  type EnqueueRescoreInput,
} from './rescoring/rescore-queue.ts';
export { gridInstants, backfillGridStart, snapshotId, MAX_GRID_INSTANTS } from './rescoring/history-grid.ts';
export { rescoreChunk, RescoreRunTakenOverError } from './rescoring/rescore-chunk.ts';
export { RescoreRunner, type RescoreMetrics, type RescoreRunnerOptions } from './rescoring/rescore-runner.ts';
export {
  enqueueScheduledRescore,
  scheduleSlot,
  startRescoreSchedule,
  type RescoreScheduleOptions,
} from './rescoring/rescore-schedule.ts';

// assessments/
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

// keys/
export { ApiKeyError, type ApiKeyErrorCode, type ApiKeyProblem } from './keys/api-key-error.ts';
export {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  MAX_API_KEY_NAME,
  type ApiKeySummary,
  type NewApiKey,
} from './keys/api-keys.ts';
export { normaliseOrigin } from './keys/origins.ts';

// outbox/
export {
  customersBeforeScoring,
  writeWebhookEvents,
  type CustomerBeforeScore,
  type OutboxScoreChange,
} from './outbox/webhook-outbox.ts';

// outcomes/
export {
  recordOutcomes,
  checkOutcomes,
  settleChurnState,
  OUTCOME_KINDS,
  type OutcomeWrite,
  type RecordedOutcome,
  type OutcomeRecordResult,
} from './outcomes/record-outcomes.ts';

// scores at any instant, under the model versions in force
export {
  loadModelVersions,
  ModelVersionHistory,
  ModelVersionNotFoundError,
  type ModelVersion,
} from './model/model-versions.ts';
export {
  scoresAsOf,
  customersActiveAt,
  countCustomersActiveAt,
  MAX_AS_OF_PAGE,
  type ScoreAsOf,
  type ScoresAsOfOptions,
} from './scores/scores-as-of.ts';

// evaluation/
export {
  evaluateScoringModel,
  requestModelEvaluation,
  runModelEvaluation,
  failInterruptedEvaluations,
  observationInstants,
  EvaluationRequestError,
  MAX_INSTANTS,
  MAX_HORIZON_DAYS,
  INTERRUPTED_AFTER_MS,
  type EvaluationRequest,
  type EvaluationReport,
  type EvaluationRequestErrorCode,
  type EvaluationRequestProblem,
} from './evaluation/evaluate-scoring-model.ts';
export {
  suggestScoringModel,
  type Suggestion,
  type SuggestionRequest,
  type SuggestOptions,
} from './evaluation/suggest-scoring-model.ts';
