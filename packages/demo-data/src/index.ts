export { DEFAULT_CUSTOMERS, DEFAULT_DAYS, DEFAULT_SEED, generateDemoData } from './generate.ts';
export { CATEGORY_KEYS, DEMO_INTERACTION_TYPES, TYPE_KEYS, VALUE_SCALES } from './catalog.ts';
export type { DemoInteractionType, SentimentHandling, TypeKey, ValueScale } from './catalog.ts';
export { DEMO_SEGMENT_WEIGHTS } from './segments.ts';
export { PERSONA_KEYS } from './personas.ts';
export type {
  CategoryKey,
  DemoCustomer,
  DemoData,
  DemoInteraction,
  DemoOutcome,
  DemoSegmentWeight,
  GenerateDemoDataOptions,
  JourneyStage,
  PersonaKey,
  Segment,
  Sentiment,
} from './types.ts';
export {
  DEMO_WORKSPACE_SLUG,
  DEMO_SEEDING_SLUG,
  discardUnfinishedDemo,
  seedDemoWorkspace,
  type SeedDemoOptions,
  type SeededDemo,
} from './seed.ts';
