export { createWorkspace, type CreateWorkspaceInput, type CreatedWorkspace } from './create-workspace.ts';
export { loadScoringModel, snapshotScoringModel } from './scoring-model.ts';
export { rescoreWorkspace, type RescoreOptions, type RescoreSummary } from './rescore.ts';
export { storeScores, scoresAtOrBefore, scoreJson, type ComputedScore, type Tx } from './store-scores.ts';
