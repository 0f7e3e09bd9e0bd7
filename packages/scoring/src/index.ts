// The public API of the scoring engine. Everything is pure: the "as of" instant is an argument,
// and nothing here reads the clock, the network or the database.
export type {
  Band,
  BandKey,
  CategoryDefinition,
  CategoryScore,
  CustomerScoringInput,
  Driver,
  Flag,
  FlagCode,
  InteractionInput,
  InteractionTypeDefinition,
  ManualAssessmentInput,
  MessageParams,
  ScorePoint,
  ActivityReading,
  ScoreResult,
  ScoringModel,
  ScoringSettings,
  Sentiment,
  SentimentHandling,
  Trend,
  ValueScale,
  WeightSource,
} from './types.ts';
export type { CompiledModel } from './compile.ts';
export type { ScoringInputErrorCode } from './errors.ts';
export { ScoringInputError } from './errors.ts';
export {
  DEFAULT_CATEGORIES,
  DEFAULT_CATEGORIES_V1,
  DEFAULT_INTERACTION_TYPES,
  DEFAULT_INTERACTION_TYPES_V1,
  DEFAULT_SETTINGS,
  DEFAULT_SETTINGS_V1,
} from './defaults.ts';
export { DEFAULT_CATEGORIES_V2, DEFAULT_INTERACTION_TYPES_V2, DEFAULT_SETTINGS_V2 } from './v2/defaults.ts';
export { compileModel } from './compile.ts';
export { settingsProblems } from './settings.ts';
export { scoreCustomer, type ScoringContext } from './score.ts';
export {
  type CustomerTally,
  extendTally,
  finishScore,
  parseStoredTally,
  serializeTally,
  type StoredTally,
  type TallyOptions,
  tallyCustomer,
  tallyPeerRates,
} from './tally.ts';
export {
  buildPeerGroups,
  buildPeerReference,
  MIN_PEERS,
  type PeerGroups,
  type PeerRates,
  type PeerReference,
  peerRatesOf,
  peersFor,
} from './v2/activity.ts';
export { WASTED_TIME_POINTS } from './v2/signals.ts';
export { reweighScore, type ScoreParts, scoreFromParts, scoreParts } from './v2/reweigh.ts';
export { bandFor } from './band.ts';
export { computeTrend, FLAT_THRESHOLD } from './trend.ts';
export { DAY_MS } from './curves.ts';
export { weightsInForce, type WeightInForce } from './weights-in-force.ts';
export {
  atRiskReasons,
  isSteepDrop,
  STEEP_DROP,
  type AtRiskInput,
  type AtRiskReason,
  type AtRiskReasonCode,
} from './at-risk.ts';
export {
  DETAILED_COMMENT_LENGTH,
  MAX_MICRO_RATING_COMMENT_LENGTH,
  MICRO_RATING_CHOICES,
  microRatingIntensity,
  type MicroRatingVariant,
} from './micro-rating.ts';
export { VALUE_SCALES } from './signals.ts';
export {
  DATE_RANGE,
  inDateRange,
  interactionIntensity,
  sentimentRefusal,
  valueRefusal,
} from './write-rules.ts';
export { DEFAULT_ASSESSMENT_WEIGHT } from './assessment.ts';
export { MAX_HALF_LIFE_DAYS, MAX_WEIGHT } from './validate.ts';
