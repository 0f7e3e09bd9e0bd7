export { createWorkspace, type CreateWorkspaceInput, type CreatedWorkspace } from './create-workspace.ts';
export { loadScoringModel, snapshotScoringModel } from './scoring-model.ts';
export { rescoreWorkspace, type RescoreOptions, type RescoreSummary } from './rescore.ts';
