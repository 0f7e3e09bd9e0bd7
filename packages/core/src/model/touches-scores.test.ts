// Which model edits queue a rescoring: a pure rule, tested without a database.
import { describe, expect, it } from 'vitest';
import type { ModelOperation } from './model-operations.ts';
import { touchesScores } from './touches-scores.ts';

const createType: ModelOperation = {
  kind: 'createInteractionType',
  key: 'webinar',
  name: 'Webinar',
  categoryKey: 'engagement',
  basePoints: 4,
};
const rename: ModelOperation = { kind: 'updateCategory', key: 'support', name: 'Help desk', description: 'Tickets' };

describe('touchesScores', () => {
  it('leaves scores alone for new or deleted interaction types and renamed categories', () => {
    expect(touchesScores([createType])).toBe(false);
    expect(touchesScores([{ kind: 'deleteInteractionType', key: 'webinar' }])).toBe(false);
    expect(touchesScores([rename])).toBe(false);
    expect(touchesScores([createType, rename])).toBe(false);
    expect(touchesScores([])).toBe(false);
  });

  it("rescores for a category's weight or engagement flag", () => {
    expect(touchesScores([{ kind: 'updateCategory', key: 'support', weight: 2 }])).toBe(true);
    expect(touchesScores([{ kind: 'updateCategory', key: 'support', isEngagement: false }])).toBe(true);
  });

  it('rescores for every other edit, and for a change holding one among harmless ones', () => {
    const moving: ModelOperation[] = [
      { kind: 'createCategory', key: 'product', name: 'Product', weight: 1 },
      { kind: 'deleteCategory', key: 'product' },
      { kind: 'updateInteractionType', key: 'meeting', basePoints: 9 },
      { kind: 'setSegmentWeight', segment: 'smb', categoryKey: 'support', weight: null },
      { kind: 'setCustomerWeight', customerId: 'c', categoryKey: 'support', weight: 3 },
      { kind: 'updateSettings', settings: { silenceWindowDays: 30 } },
    ];
    for (const operation of moving) expect(touchesScores([operation]), operation.kind).toBe(true);
    expect(touchesScores([createType, rename, moving[2]!])).toBe(true);
  });
});
