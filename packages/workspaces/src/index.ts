export { createWorkspace, type CreateWorkspaceInput, type CreatedWorkspace } from './create-workspace.ts';
export { loadScoringModel, snapshotScoringModel } from './scoring-model.ts';
export { rescoreWorkspace, type RescoreOptions, type RescoreSummary } from './rescore.ts';
export { storeScores, scoresAtOrBefore, scoreJson, historyBreakdown, type ComputedScore, type Tx } from './store-scores.ts';
export { insertInteractions, insertSnapshots, type InteractionRow, type SnapshotRow } from './bulk-insert.ts';
