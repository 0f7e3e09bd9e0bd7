// A change to a scoring model is a list of operations, the same list whether it is previewed
// (what-if.ts), proposed in memory (propose-model.ts) or written (apply-model-change.ts).
import type { ScoringSettings, SentimentHandling, ValueScale } from '@pulso/scoring';
import type { LocalizedName } from './category-names.ts';

export interface CategoryFields {
  name?: string;
  description?: string | null;
  weight?: number;
  isEngagement?: boolean;
  /** Formula 2: the category's plain touches are activity (engagement, product usage). */
  measuresActivity?: boolean;
  /** Its names in other languages, all of them (an empty list removes them): category-names.ts. */
  names?: LocalizedName[];
}

/** Settings to change, as numbers: the draft checks each (`formula` must be 1 or 2). */
export type SettingsChange = { [K in keyof ScoringSettings]?: number | null };

export interface InteractionTypeFields {
  name?: string;
  categoryKey?: string;
  basePoints?: number;
  sentimentHandling?: SentimentHandling;
  valueScale?: ValueScale | null;
  requiresEngagement?: boolean;
}

export type ModelOperation =
  | ({ kind: 'createCategory'; key: string; name: string; weight: number } & CategoryFields)
  | ({ kind: 'updateCategory'; key: string } & CategoryFields)
  | { kind: 'deleteCategory'; key: string }
  | ({
      kind: 'createInteractionType';
      key: string;
      name: string;
      categoryKey: string;
      basePoints: number;
    } & InteractionTypeFields)
  | ({ kind: 'updateInteractionType'; key: string } & InteractionTypeFields)
  | { kind: 'deleteInteractionType'; key: string }
  /** A null weight removes the override. */
  | { kind: 'setSegmentWeight'; segment: string; categoryKey: string; weight: number | null }
  | { kind: 'setCustomerWeight'; customerId: string; categoryKey: string; weight: number | null }
  | { kind: 'updateSettings'; settings: SettingsChange };

/** One operation of a kind. */
export type OperationOf<K extends ModelOperation['kind']> = Extract<ModelOperation, { kind: K }>;

/** The note a model version gets when its author gave none: what each operation did, to what. */
export function describeOperations(operations: readonly ModelOperation[]): string {
  return operations
    .map((op) =>
      'key' in op
        ? `${op.kind} ${op.key}`
        : op.kind === 'updateSettings'
          ? 'updateSettings'
          : `${op.kind} ${op.categoryKey}`,
    )
    .join('; ');
}
