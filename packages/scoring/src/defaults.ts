// The catalogues: model v2 (formula 2) is what new workspaces get; model v1 (formula 1) is kept
// for the model versions created under it and for comparisons (the prediction benchmark).
export { DEFAULT_CATEGORIES_V1, DEFAULT_INTERACTION_TYPES_V1, DEFAULT_SETTINGS_V1 } from './defaults-v1.ts';
export {
  DEFAULT_CATEGORIES_V2 as DEFAULT_CATEGORIES,
  DEFAULT_INTERACTION_TYPES_V2 as DEFAULT_INTERACTION_TYPES,
  DEFAULT_SETTINGS_V2 as DEFAULT_SETTINGS,
} from './v2/defaults.ts';
