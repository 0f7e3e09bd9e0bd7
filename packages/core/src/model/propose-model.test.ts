// Proposing a model change in memory: each kind of operation edits the model and says whom it can
// affect, and a change the model cannot take is refused naming the field by the caller's keys.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES, DEFAULT_INTERACTION_TYPES, DEFAULT_SETTINGS, type ScoringModel } from '@pulso/scoring';
import { ModelChangeError } from './model-change-error.ts';
import type { ModelOperation } from './model-operations.ts';
import { proposeModel } from './propose-model.ts';
import { MAX_SILENCE_WINDOW_DAYS } from './settings-problems.ts';

const current = (): ScoringModel => ({
  settings: { ...DEFAULT_SETTINGS },
  categories: DEFAULT_CATEGORIES.map((c) => ({ ...c })),
  interactionTypes: DEFAULT_INTERACTION_TYPES.map((t) => ({ ...t })),
  segmentWeights: { enterprise: { support: 40 } },
});

function refusal(operations: ModelOperation[], model = current()): Pick<ModelChangeError, 'field' | 'code'> {
  try {
    proposeModel(model, operations);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelChangeError);
    const { field, code } = error as ModelChangeError;
    return { field, code };
  }
  throw new Error('the change was accepted');
}

describe('proposing a model change', () => {
  it('applies each kind of operation to a copy of the model, leaving the current one as it was', () => {
    const model = current();
    const before = structuredClone(model);
    const proposed = proposeModel(model, [
      { kind: 'createCategory', key: 'community', name: 'Community', weight: 10 },
      { kind: 'updateCategory', key: 'support', weight: 20 },
      {
        kind: 'createInteractionType',
        key: 'forum_post',
        name: 'Forum post',
        categoryKey: 'community',
        basePoints: 2,
      },
      { kind: 'updateInteractionType', key: 'email', basePoints: 1 },
      { kind: 'deleteInteractionType', key: 'content' },
      { kind: 'setSegmentWeight', segment: 'smb', categoryKey: 'commercial', weight: 5 },
      { kind: 'setCustomerWeight', customerId: 'c1', categoryKey: 'support', weight: 0 },
      { kind: 'updateSettings', settings: { bandAtRiskMax: 40 } },
    ]);
    expect(model).toEqual(before);
    expect(proposed.model.categories.find((c) => c.key === 'community')).toMatchObject({ weight: 10 });
    expect(proposed.model.categories.find((c) => c.key === 'support')).toMatchObject({ weight: 20 });
    expect(proposed.model.interactionTypes.find((t) => t.key === 'forum_post')).toMatchObject({
      categoryKey: 'community',
      sentimentHandling: 'SIGNED',
      valueScale: null,
    });
    expect(proposed.model.interactionTypes.find((t) => t.key === 'email')).toMatchObject({ basePoints: 1 });
    expect(proposed.model.interactionTypes.some((t) => t.key === 'content')).toBe(false);
    expect(proposed.model.segmentWeights).toEqual({ enterprise: { support: 40 }, smb: { commercial: 5 } });
    expect(proposed.customerWeights).toEqual(new Map([['c1', { support: 0 }]]));
    expect(proposed.model.settings.bandAtRiskMax).toBe(40);
    expect(proposed.compiled).toBeDefined();
  });

  it('says whom a change can affect: no one, some segments and customers, or everyone', () => {
    const scope = (operations: ModelOperation[]) => proposeModel(current(), operations).scope;
    // A new type has no interactions and a name scores nothing: nobody is rescored.
    expect(
      scope([
        { kind: 'createInteractionType', key: 'webinar', name: 'Webinar', categoryKey: 'engagement', basePoints: 3 },
        { kind: 'updateCategory', key: 'support', name: 'Help desk' },
        { kind: 'updateInteractionType', key: 'email', name: 'E-mail' },
      ]),
    ).toEqual({ segments: [], customerIds: [] });
    expect(
      scope([
        { kind: 'setSegmentWeight', segment: 'enterprise', categoryKey: 'support', weight: null },
        { kind: 'setCustomerWeight', customerId: 'c9', categoryKey: 'support', weight: 50 },
      ]),
    ).toEqual({ segments: ['enterprise'], customerIds: ['c9'] });
    expect(scope([{ kind: 'updateCategory', key: 'support', weight: 1 }])).toBeNull();
    expect(scope([{ kind: 'updateInteractionType', key: 'email', basePoints: 9 }])).toBeNull();
    expect(scope([{ kind: 'updateSettings', settings: { decayHalfLifeDays: 10 } }])).toBeNull();
  });

  it('drops a deleted category from segment weights and reports it, so customer overrides go with it', () => {
    const model = current();
    model.interactionTypes = model.interactionTypes.filter((t) => t.categoryKey !== 'support');
    const proposed = proposeModel(model, [{ kind: 'deleteCategory', key: 'support' }]);
    expect(proposed.deletedCategories).toEqual(['support']);
    expect(proposed.model.segmentWeights?.enterprise).not.toHaveProperty('support');
    expect(proposed.scope).toBeNull();
  });

  it('refuses what no model can take, naming the field by key', () => {
    expect(refusal([])).toEqual({ field: 'change', code: 'EMPTY_CHANGE' });
    expect(refusal([{ kind: 'createCategory', key: 'Bad Key', name: 'x', weight: 1 }])).toEqual({
      field: 'categories.Bad Key.key',
      code: 'INVALID_MODEL',
    });
    expect(refusal([{ kind: 'createCategory', key: 'support', name: 'x', weight: 1 }])).toEqual({
      field: 'categories.support.key',
      code: 'ALREADY_EXISTS',
    });
    expect(refusal([{ kind: 'updateCategory', key: 'support', weight: -1 }])).toEqual({
      field: 'categories.support.weight',
      code: 'OUT_OF_RANGE',
    });
    expect(refusal([{ kind: 'deleteCategory', key: 'support' }])).toEqual({
      field: 'categories.support.key',
      code: 'IN_USE',
    });
    expect(refusal([{ kind: 'updateInteractionType', key: 'fax', basePoints: 1 }])).toEqual({
      field: 'interactionTypes.fax.key',
      code: 'UNKNOWN_KEY',
    });
    expect(refusal([{ kind: 'updateInteractionType', key: 'email', categoryKey: 'nowhere' }])).toEqual({
      field: 'interactionTypes.email.categoryKey',
      code: 'UNKNOWN_KEY',
    });
    expect(refusal([{ kind: 'setSegmentWeight', segment: '', categoryKey: 'support', weight: 1 }])).toEqual({
      field: 'segmentWeights.segment',
      code: 'MISSING_VALUE',
    });
    expect(refusal([{ kind: 'updateSettings', settings: { colour: 1 } as never }])).toEqual({
      field: 'settings.colour',
      code: 'UNKNOWN_KEY',
    });
  });

  it('checks the whole model once every operation is applied, so operations may pass through an invalid state', () => {
    // Thresholds crossing halfway through the change are fine if the end result is in order.
    const proposed = proposeModel(current(), [
      { kind: 'updateSettings', settings: { bandAtRiskMax: 80 } },
      { kind: 'updateSettings', settings: { bandNeedsAttentionMax: 90 } },
    ]);
    expect(proposed.model.settings).toMatchObject({ bandAtRiskMax: 80, bandNeedsAttentionMax: 90 });
    expect(refusal([{ kind: 'updateSettings', settings: { bandAtRiskMax: 80 } }])).toEqual({
      field: 'settings.bandNeedsAttentionMax',
      code: 'THRESHOLDS_OUT_OF_ORDER',
    });
    expect(refusal([{ kind: 'updateSettings', settings: { bandAtRiskMax: 40.5 } }])).toEqual({
      field: 'settings.bandAtRiskMax',
      code: 'INVALID_NUMBER',
    });
  });

  it('lists every invalid setting at once, and the bad values before a missing key', () => {
    const problems = (operations: ModelOperation[]) => {
      try {
        proposeModel(current(), operations);
      } catch (error) {
        expect(error).toBeInstanceOf(ModelChangeError);
        return (error as ModelChangeError).problems.map(({ field, code }) => [field, code]);
      }
      throw new Error('the change was accepted');
    };
    expect(
      problems([{ kind: 'updateSettings', settings: { silenceWindowDays: -1, upsellEngagementMin: 101 } }]),
    ).toEqual([
      ['settings.silenceWindowDays', 'OUT_OF_RANGE'],
      ['settings.upsellEngagementMin', 'OUT_OF_RANGE'],
    ]);
    expect(
      problems([
        {
          kind: 'updateSettings',
          settings: { bandAtRiskMax: 40.5, decayHalfLifeDays: 0, silenceWindowDays: 2.5, formula: 3 },
        },
      ]),
    ).toEqual([
      ['settings.bandAtRiskMax', 'INVALID_NUMBER'],
      ['settings.decayHalfLifeDays', 'OUT_OF_RANGE'],
      ['settings.silenceWindowDays', 'INVALID_NUMBER'],
      ['settings.formula', 'INVALID_MODEL'],
    ]);
    // The first problem is the error's field and code; its message names them all.
    expect(
      refusal([{ kind: 'updateSettings', settings: { silenceWindowDays: -1, upsellEngagementMin: 101 } }]),
    ).toEqual({
      field: 'settings.silenceWindowDays',
      code: 'OUT_OF_RANGE',
    });
    // Bad values of several operations, and the unknown key that stopped the change.
    expect(
      problems([
        { kind: 'updateCategory', key: 'support', weight: -1 },
        { kind: 'createCategory', key: 'community', name: ' ', weight: -2 },
        { kind: 'updateInteractionType', key: 'fax', basePoints: 1 },
      ]),
    ).toEqual([
      ['categories.support.weight', 'OUT_OF_RANGE'],
      ['categories.community.name', 'INVALID'],
      ['categories.community.weight', 'OUT_OF_RANGE'],
      ['interactionTypes.fax.key', 'UNKNOWN_KEY'],
    ]);
    // Values the engine checks (base points) beside settings, a bad weight and a missing segment,
    // and before an unknown key: all in one answer.
    expect(
      problems([
        { kind: 'updateCategory', key: 'support', weight: -1 },
        { kind: 'updateInteractionType', key: 'nps', basePoints: 5000 },
        { kind: 'updateSettings', settings: { bandAtRiskMax: -5 } },
        { kind: 'setSegmentWeight', segment: '', categoryKey: 'support', weight: -3 },
      ]),
    ).toEqual([
      ['categories.support.weight', 'OUT_OF_RANGE'],
      ['segmentWeights.segment', 'MISSING_VALUE'],
      ['settings.bandAtRiskMax', 'OUT_OF_RANGE'],
      ['interactionTypes.nps.basePoints', 'OUT_OF_RANGE'],
    ]);
    expect(
      problems([
        { kind: 'updateInteractionType', key: 'nps', basePoints: 5000 },
        { kind: 'updateSettings', settings: { bandAtRiskMax: -5 } },
        { kind: 'updateCategory', key: 'nope', weight: 1 },
      ]),
    ).toEqual([
      ['settings.bandAtRiskMax', 'OUT_OF_RANGE'],
      ['interactionTypes.nps.basePoints', 'OUT_OF_RANGE'],
      ['categories.nope.key', 'UNKNOWN_KEY'],
    ]);
  });

  it("lists a new category's or type's bad values before the key that is taken, or the category unknown", () => {
    const problems = (operations: ModelOperation[]) => {
      try {
        proposeModel(current(), operations);
      } catch (error) {
        return (error as ModelChangeError).problems.map(({ field, code }) => [field, code]);
      }
      throw new Error('the change was accepted');
    };
    expect(problems([{ kind: 'createCategory', key: 'support', name: ' ', weight: -1 }])).toEqual([
      ['categories.support.name', 'INVALID'],
      ['categories.support.weight', 'OUT_OF_RANGE'],
      ['categories.support.key', 'ALREADY_EXISTS'],
    ]);
    expect(
      problems([{ kind: 'createInteractionType', key: 'email', name: '', categoryKey: 'engagement', basePoints: 1 }]),
    ).toEqual([
      ['interactionTypes.email.name', 'INVALID'],
      ['interactionTypes.email.key', 'ALREADY_EXISTS'],
    ]);
    expect(
      problems([{ kind: 'createInteractionType', key: 'webinar', name: ' ', categoryKey: 'nowhere', basePoints: 1 }]),
    ).toEqual([
      ['interactionTypes.webinar.name', 'INVALID'],
      ['interactionTypes.webinar.categoryKey', 'UNKNOWN_KEY'],
    ]);
  });

  it('bounds the silence window at a century (36,500 days), as the half-life', () => {
    expect(refusal([{ kind: 'updateSettings', settings: { silenceWindowDays: 2_000_000_000 } }])).toEqual({
      field: 'settings.silenceWindowDays',
      code: 'OUT_OF_RANGE',
    });
    expect(refusal([{ kind: 'updateSettings', settings: { silenceWindowDays: MAX_SILENCE_WINDOW_DAYS + 1 } }])).toEqual(
      { field: 'settings.silenceWindowDays', code: 'OUT_OF_RANGE' },
    );
    const longest = proposeModel(current(), [
      { kind: 'updateSettings', settings: { silenceWindowDays: MAX_SILENCE_WINDOW_DAYS, decayHalfLifeDays: 36_500 } },
    ]);
    expect(longest.model.settings).toMatchObject({ silenceWindowDays: 36_500, decayHalfLifeDays: 36_500 });
  });

  it('refuses a blank category name, on creation and on update, as customer names are', () => {
    for (const name of ['', '   ']) {
      expect(refusal([{ kind: 'createCategory', key: 'community', name, weight: 1 }])).toEqual({
        field: 'categories.community.name',
        code: 'INVALID',
      });
      expect(refusal([{ kind: 'updateCategory', key: 'support', name }])).toEqual({
        field: 'categories.support.name',
        code: 'INVALID',
      });
    }
    expect(
      proposeModel(current(), [{ kind: 'updateCategory', key: 'support', name: ' Help ' }]).model.categories,
    ).toContainEqual(expect.objectContaining({ key: 'support', name: ' Help ' }));
  });

  it('refuses a blank interaction type name, on creation and on update', () => {
    for (const name of ['', '   ']) {
      expect(
        refusal([{ kind: 'createInteractionType', key: 'webinar', name, categoryKey: 'engagement', basePoints: 5 }]),
      ).toEqual({ field: 'interactionTypes.webinar.name', code: 'INVALID' });
      expect(refusal([{ kind: 'updateInteractionType', key: 'email', name }])).toEqual({
        field: 'interactionTypes.email.name',
        code: 'INVALID',
      });
    }
  });

  it("translates the engine's errors from array positions to keys", () => {
    const zero = DEFAULT_CATEGORIES.map((c): ModelOperation => ({ kind: 'updateCategory', key: c.key, weight: 0 }));
    expect(refusal(zero)).toMatchObject({ code: 'ZERO_WEIGHTS' });
    expect(refusal(zero).field).toMatch(/^categories(\.[a-z_]+)?\.weight$/);
    const answer = refusal([{ kind: 'updateInteractionType', key: 'email', sentimentHandling: 'FROM_VALUE' }]);
    expect(answer.field).toMatch(/^interactionTypes\.email\./);
  });

  it('takes "__proto__" and "constructor" as segment names like any other, leaving every object as it was', () => {
    // Found by the fuzz test: a segment named "__proto__" used to put the weight on Object.prototype,
    // a property of every object in the server.
    const proposed = proposeModel(current(), [
      { kind: 'setSegmentWeight', segment: '__proto__', categoryKey: 'support', weight: 0.5 },
      { kind: 'setSegmentWeight', segment: 'constructor', categoryKey: 'commercial', weight: 7 },
    ]);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('support');
    expect(({} as Record<string, unknown>).support).toBeUndefined();
    const weights = proposed.model.segmentWeights!;
    expect(Object.keys(weights).sort()).toEqual(['__proto__', 'constructor', 'enterprise']);
    expect(Object.getOwnPropertyDescriptor(weights, '__proto__')?.value).toEqual({ support: 0.5 });
    expect(weights.constructor).toEqual({ commercial: 7 });
  });
});
