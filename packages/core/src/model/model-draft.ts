// A scoring model being changed in memory, one operation at a time: a copy of the current model
// that each operation edits, noting which customers its change can affect (everyone, or some
// segments and customers) so that only those are rescored. Each operation checks what it can on
// its own (keys, weights, names, what exists); the whole model is checked once complete
// (propose-model.ts). A bad value (a weight, a blank name, a malformed new key) is noted in
// `problems` and the draft carries on, so one answer lists them all; a missing or taken key stops
// it (nothing after could be judged).
import type { CategoryDefinition, InteractionTypeDefinition, ScoringModel, ScoringSettings } from '@pulso/scoring';
import { categoryNamesProblems } from './category-names.ts';
import { dictionary } from './dictionary.ts';
import { ModelChangeError, type ModelChangeProblem } from './model-change-error.ts';
import type { ModelOperation, OperationOf } from './model-operations.ts';

/** customerId → categoryKey → weight (null: override removed). */
export type CustomerWeightChanges = Map<string, Record<string, number | null>>;

const KEY = /^[a-z][a-z0-9_]{0,62}$/;

/** A new key that is not 1–63 lowercase letters, digits or _: a bad value, not a stop. */
function keyProblem(field: string, key: string): ModelChangeProblem | null {
  if (KEY.test(key)) return null;
  return {
    field,
    code: 'INVALID_MODEL',
    message: 'a key is 1–63 lowercase letters, digits or _, starting with a letter',
  };
}

function weightProblem(field: string, value: number): ModelChangeProblem | null {
  if (!Number.isFinite(value) || value < 0)
    return { field, code: 'OUT_OF_RANGE', message: `a weight must be a finite number ≥ 0, got ${value}` };
  return null;
}

/** A display name: refused when blank, as customers' names are. */
function nameProblem(field: string, name: string): ModelChangeProblem | null {
  return name.trim() === '' ? { field, code: 'INVALID', message: 'must not be empty' } : null;
}

export class ModelDraft {
  readonly settings: ScoringSettings;
  readonly categories: CategoryDefinition[];
  readonly types: InteractionTypeDefinition[];
  // Keyed by segment names as callers write them: dictionaries (dictionary.ts), so "__proto__" is a segment.
  readonly segmentWeights: Record<string, Record<string, number>> = dictionary();
  readonly customerWeights: CustomerWeightChanges = new Map();
  /** Categories that no longer exist: their customer overrides go with them. */
  readonly deletedCategories: string[] = [];
  /** Who the change can affect, when not everyone. */
  readonly segments = new Set<string>();
  readonly customerIds = new Set<string>();
  everyone = false;
  /** Bad values found so far, in operation order: the change is refused with them all. */
  readonly problems: ModelChangeProblem[] = [];

  constructor(current: ScoringModel) {
    this.settings = { ...current.settings };
    this.categories = current.categories.map((c) => ({ ...c }));
    this.types = current.interactionTypes.map((t) => ({ ...t }));
    for (const [segment, weights] of Object.entries(current.segmentWeights ?? {}))
      this.segmentWeights[segment] = Object.assign(dictionary<number>(), weights);
  }

  apply(op: ModelOperation): void {
    switch (op.kind) {
      case 'createCategory':
        this.createCategory(op);
        break;
      case 'updateCategory':
        this.updateCategory(op);
        break;
      case 'deleteCategory':
        this.deleteCategory(op);
        break;
      case 'createInteractionType':
        this.createInteractionType(op);
        break;
      case 'updateInteractionType':
        this.updateInteractionType(op);
        break;
      case 'deleteInteractionType':
        this.deleteInteractionType(op);
        break;
      case 'setSegmentWeight':
        this.setSegmentWeight(op);
        break;
      case 'setCustomerWeight':
        this.setCustomerWeight(op);
        break;
      case 'updateSettings':
        this.updateSettings(op);
        break;
    }
  }

  /** The model as edited so far. */
  model(): ScoringModel {
    const { settings, categories, types, segmentWeights } = this;
    return { settings, categories, interactionTypes: types, segmentWeights };
  }

  category(key: string, field: string): CategoryDefinition {
    const found = this.categories.find((c) => c.key === key);
    if (!found) throw new ModelChangeError(field, 'UNKNOWN_KEY', `unknown category "${key}"`);
    return found;
  }

  /** Notes a problem, if any; true when there was none. */
  #ok(problem: ModelChangeProblem | null): boolean {
    if (problem) this.problems.push(problem);
    return problem === null;
  }

  type(key: string, field: string): InteractionTypeDefinition {
    const found = this.types.find((t) => t.key === key);
    if (!found) throw new ModelChangeError(field, 'UNKNOWN_KEY', `unknown interaction type "${key}"`);
    return found;
  }

  createCategory(op: OperationOf<'createCategory'>): void {
    const field = `categories.${op.key}`;
    // A malformed key is noted with the name's and weight's problems (it can be no existing key); a
    // key taken stops the change after them, as an unknown key does: bad values before the key.
    const wellFormed = this.#ok(keyProblem(`${field}.key`, op.key));
    this.#ok(nameProblem(`${field}.name`, op.name));
    this.#ok(weightProblem(`${field}.weight`, op.weight));
    if (op.names) this.problems.push(...categoryNamesProblems(`${field}.names`, op.names));
    if (wellFormed && this.categories.some((c) => c.key === op.key))
      throw new ModelChangeError(`${field}.key`, 'ALREADY_EXISTS', `category "${op.key}" already exists`);
    this.categories.push({
      key: op.key,
      name: op.name,
      weight: op.weight,
      isEngagement: op.isEngagement ?? false,
      measuresActivity: op.measuresActivity ?? false,
    });
    this.everyone = true;
  }

  updateCategory(op: OperationOf<'updateCategory'>): void {
    const field = `categories.${op.key}`;
    const found = this.category(op.key, `${field}.key`);
    if (op.name !== undefined && this.#ok(nameProblem(`${field}.name`, op.name))) found.name = op.name;
    if (op.weight !== undefined && this.#ok(weightProblem(`${field}.weight`, op.weight))) found.weight = op.weight;
    if (op.names) this.problems.push(...categoryNamesProblems(`${field}.names`, op.names));
    if (op.isEngagement !== undefined) found.isEngagement = op.isEngagement;
    if (op.measuresActivity !== undefined) found.measuresActivity = op.measuresActivity;
    if (op.weight !== undefined || op.isEngagement !== undefined || op.measuresActivity !== undefined)
      this.everyone = true;
  }

  deleteCategory(op: OperationOf<'deleteCategory'>): void {
    const field = `categories.${op.key}`;
    this.category(op.key, `${field}.key`);
    const inUse = this.types.filter((t) => t.categoryKey === op.key).map((t) => t.key);
    if (inUse.length) {
      throw new ModelChangeError(
        `${field}.key`,
        'IN_USE',
        `category "${op.key}" still has interaction types (${inUse.join(', ')}): move or delete them first`,
      );
    }
    this.categories.splice(
      this.categories.findIndex((c) => c.key === op.key),
      1,
    );
    for (const weights of Object.values(this.segmentWeights)) delete weights[op.key];
    this.deletedCategories.push(op.key);
    this.everyone = true;
  }

  createInteractionType(op: OperationOf<'createInteractionType'>): void {
    const field = `interactionTypes.${op.key}`;
    const wellFormed = this.#ok(keyProblem(`${field}.key`, op.key));
    this.#ok(nameProblem(`${field}.name`, op.name));
    if (wellFormed && this.types.some((t) => t.key === op.key))
      throw new ModelChangeError(`${field}.key`, 'ALREADY_EXISTS', `interaction type "${op.key}" already exists`);
    this.category(op.categoryKey, `${field}.categoryKey`);
    this.types.push({
      key: op.key,
      name: op.name,
      categoryKey: op.categoryKey,
      basePoints: op.basePoints,
      sentimentHandling: op.sentimentHandling ?? 'SIGNED',
      valueScale: op.valueScale ?? null,
      requiresEngagement: op.requiresEngagement ?? false,
    });
    // A new type has no interactions yet: no score moves.
  }

  updateInteractionType(op: OperationOf<'updateInteractionType'>): void {
    const field = `interactionTypes.${op.key}`;
    const found = this.type(op.key, `${field}.key`);
    if (op.categoryKey !== undefined) found.categoryKey = this.category(op.categoryKey, `${field}.categoryKey`).key;
    if (op.name !== undefined && this.#ok(nameProblem(`${field}.name`, op.name))) found.name = op.name;
    if (op.basePoints !== undefined) found.basePoints = op.basePoints;
    if (op.sentimentHandling !== undefined) found.sentimentHandling = op.sentimentHandling;
    if (op.valueScale !== undefined) found.valueScale = op.valueScale;
    if (op.requiresEngagement !== undefined) found.requiresEngagement = op.requiresEngagement;
    // Any field but the name changes how the type scores.
    const { kind: _kind, key: _key, name: _name, ...scoring } = op;
    if (Object.values(scoring).some((value) => value !== undefined)) this.everyone = true;
  }

  deleteInteractionType(op: OperationOf<'deleteInteractionType'>): void {
    this.type(op.key, `interactionTypes.${op.key}.key`);
    this.types.splice(
      this.types.findIndex((t) => t.key === op.key),
      1,
    );
    // Refused when written if interactions use it; otherwise no score moves.
  }

  setSegmentWeight(op: OperationOf<'setSegmentWeight'>): void {
    const field = `segmentWeights.${op.segment}.${op.categoryKey}`;
    // A bad value, not a missing key: noted, and the rest of the change checked too.
    if (!op.segment) {
      this.#ok({ field: 'segmentWeights.segment', code: 'MISSING_VALUE', message: 'a segment is needed' });
      return;
    }
    this.category(op.categoryKey, field);
    const weights = (this.segmentWeights[op.segment] ??= dictionary());
    if (op.weight === null) delete weights[op.categoryKey];
    else if (this.#ok(weightProblem(field, op.weight))) weights[op.categoryKey] = op.weight;
    if (Object.keys(weights).length === 0) delete this.segmentWeights[op.segment];
    this.segments.add(op.segment);
  }

  setCustomerWeight(op: OperationOf<'setCustomerWeight'>): void {
    const field = `customerWeights.${op.customerId}.${op.categoryKey}`;
    this.category(op.categoryKey, field);
    const changes = this.customerWeights.get(op.customerId) ?? {};
    if (op.weight !== null && !this.#ok(weightProblem(field, op.weight))) return;
    changes[op.categoryKey] = op.weight;
    this.customerWeights.set(op.customerId, changes);
    this.customerIds.add(op.customerId);
  }

  /** Values are checked with the whole settings, all at once (settings-problems.ts). */
  updateSettings(op: OperationOf<'updateSettings'>): void {
    for (const [key, value] of Object.entries(op.settings)) {
      if (value === undefined || value === null) continue;
      if (!(key in this.settings)) {
        this.problems.push({ field: `settings.${key}`, code: 'UNKNOWN_KEY', message: `unknown setting "${key}"` });
        continue;
      }
      (this.settings as unknown as Record<string, unknown>)[key] = value;
    }
    this.everyone = true;
  }
}
