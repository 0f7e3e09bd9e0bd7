import { describe, expect, it } from 'vitest';
import { CATEGORY_KEYS, DEMO_INTERACTION_TYPES, TYPE_KEYS, VALUE_SCALES, type TypeKey } from './catalog.ts';
import { generateDemoData } from './generate.ts';
import { PERSONA_KEYS } from './personas.ts';
import type { DemoData, DemoInteraction } from './types.ts';
import { DAY_MS } from '@pulso/scoring';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const data = generateDemoData({ now: NOW });

function categoryOf(interaction: DemoInteraction): string {
  return DEMO_INTERACTION_TYPES[interaction.typeKey as TypeKey].category;
}

function byCustomer(demo: DemoData): Map<string, DemoInteraction[]> {
  const map = new Map<string, DemoInteraction[]>();
  for (const interaction of demo.interactions) {
    const list = map.get(interaction.customerExternalId) ?? [];
    list.push(interaction);
    map.set(interaction.customerExternalId, list);
  }
  return map;
}

function customersOf(persona: string): string[] {
  return data.customers.filter((customer) => customer.persona === persona).map((customer) => customer.externalId);
}

const interactionsOf = byCustomer(data);

describe('generateDemoData', () => {
  it('gives the same data for the same seed and now', () => {
    expect(generateDemoData({ now: new Date(NOW), seed: 1729 })).toEqual(data);
  });

  it('gives different data for another seed', () => {
    const other = generateDemoData({ now: NOW, seed: 7 });
    expect(other.customers.map((customer) => customer.name)).not.toEqual(
      data.customers.map((customer) => customer.name),
    );
    expect(other.interactions.length).not.toBe(data.interactions.length);
  });

  it('does not mutate the now it is given', () => {
    const now = new Date(NOW);
    generateDemoData({ now, customers: 5 });
    expect(now.getTime()).toBe(NOW.getTime());
  });

  it('makes about 300 customers in the three segments with every persona', () => {
    expect(data.customers).toHaveLength(300);
    const segments = countBy(data.customers.map((customer) => customer.segment));
    expect(Object.keys(segments).sort()).toEqual(['enterprise', 'mid_market', 'smb']);
    expect(segments.smb).toBeGreaterThan(segments.mid_market ?? 0);
    expect(segments.mid_market).toBeGreaterThan(segments.enterprise ?? 0);
    expect(segments.enterprise).toBeGreaterThanOrEqual(30);
    const personas = countBy(data.customers.map((customer) => customer.persona));
    expect(Object.keys(personas).sort()).toEqual([...PERSONA_KEYS].sort());
    expect(personas.steady).toBe(102);
    expect(personas.silent).toBe(36);
  });

  it('makes 15,000 to 40,000 interactions using every type key and nothing else', () => {
    expect(data.interactions.length).toBeGreaterThanOrEqual(15_000);
    expect(data.interactions.length).toBeLessThanOrEqual(40_000);
    const types = countBy(data.interactions.map((interaction) => interaction.typeKey));
    expect(Object.keys(types).sort()).toEqual([...TYPE_KEYS].sort());
    for (const typeKey of TYPE_KEYS) expect(types[typeKey], typeKey).toBeGreaterThanOrEqual(15);
    const sessions = types.product_session ?? 0;
    for (const typeKey of TYPE_KEYS) expect(types[typeKey] ?? 0).toBeLessThanOrEqual(sessions);
  });

  it('scales activity with the segment: enterprise meets more, smb reads and likes more', () => {
    const perCustomer = (segment: string, typeKey: string): number => {
      const ids = new Set(
        data.customers.filter((customer) => customer.segment === segment).map((customer) => customer.externalId),
      );
      const count = data.interactions.filter((i) => i.typeKey === typeKey && ids.has(i.customerExternalId)).length;
      return count / ids.size;
    };
    expect(perCustomer('enterprise', 'meeting')).toBeGreaterThan(3 * perCustomer('smb', 'meeting'));
    expect(perCustomer('enterprise', 'support_ticket')).toBeGreaterThan(perCustomer('smb', 'support_ticket'));
    expect(perCustomer('smb', 'like')).toBeGreaterThan(2 * perCustomer('enterprise', 'like'));
    expect(perCustomer('smb', 'content')).toBeGreaterThan(perCustomer('enterprise', 'content'));
  });

  it('keeps values, sentiments, stages and intensities within their scales', () => {
    const sentiments = new Set([null, 'LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME']);
    const stages = new Set([null, 'PURCHASE', 'USAGE', 'SUPPORT', 'CANCELLATION', 'LEARNING', 'DEEPENING']);
    // Collected, then asserted once: an expect per interaction would make this test take seconds.
    const problems = data.interactions.flatMap((interaction) => {
      const type = DEMO_INTERACTION_TYPES[interaction.typeKey as TypeKey];
      const found: string[] = [];
      if (!(Number.isFinite(interaction.intensity) && interaction.intensity >= 0)) found.push('intensity');
      if (!sentiments.has(interaction.sentiment)) found.push('sentiment');
      if (!stages.has(interaction.journeyStage)) found.push('journeyStage');
      if (interaction.source !== type.source) found.push('source');
      if (type.valueScale !== null) {
        const { min, max } = VALUE_SCALES[type.valueScale];
        const value = interaction.value;
        if (value === null || !Number.isInteger(value) || value < min || value > max) found.push('value out of scale');
        if (interaction.sentiment !== null) found.push('survey with a sentiment');
      } else if (interaction.value !== null) {
        found.push('value without a scale');
      }
      if (type.sentimentHandling === 'POSITIVE' && interaction.sentiment !== null)
        found.push('commercial with a sentiment');
      if (interaction.typeKey === 'micro_rating' && interaction.sentiment === null)
        found.push('micro-rating without a sentiment');
      return found.map((problem) => `${interaction.idempotencyKey} ${interaction.typeKey}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it('uses every value of each survey scale and every sentiment', () => {
    const values = (typeKey: string): Set<number | null> =>
      new Set(data.interactions.filter((i) => i.typeKey === typeKey).map((i) => i.value));
    expect(values('nps').size).toBe(11);
    expect(values('csat').size).toBe(5);
    expect(values('ces').size).toBe(7);
    const ratings = new Set(data.interactions.filter((i) => i.typeKey === 'micro_rating').map((i) => i.sentiment));
    expect(ratings).toEqual(new Set(['LIKED', 'INDIFFERENT', 'DISLIKED', 'WASTED_TIME']));
  });

  it('gives intensities above 1 to long meetings and detailed likes', () => {
    const meetings = data.interactions.filter((i) => i.typeKey === 'meeting').map((i) => i.intensity);
    expect(Math.max(...meetings)).toBe(3);
    const detailedLikes = data.interactions.filter((i) => i.typeKey === 'like' && i.comment !== null);
    expect(detailedLikes.length).toBeGreaterThan(0);
    for (const like of detailedLikes) expect(like.intensity).toBeGreaterThanOrEqual(1.5);
  });

  it('dates every interaction within the last `days` days, never in the future', () => {
    for (const [days, demo] of [
      [180, data],
      [30, generateDemoData({ now: NOW, days: 30, customers: 40, seed: 3 })],
      [1, generateDemoData({ now: NOW, days: 1, customers: 20, seed: 4 })],
    ] as const) {
      expect(demo.interactions.length).toBeGreaterThan(0);
      const outside = demo.interactions.filter(
        (i) =>
          !(i.occurredAt instanceof Date) ||
          i.occurredAt > NOW ||
          i.occurredAt.getTime() < NOW.getTime() - days * DAY_MS,
      );
      expect(outside).toEqual([]);
    }
  });

  it('gives unique external ids, names and idempotency keys, and only known customers', () => {
    const ids = data.customers.map((customer) => customer.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('cus_0001');
    for (const id of ids) expect(id).toMatch(/^cus_\d{4}$/);
    expect(new Set(data.customers.map((customer) => customer.name)).size).toBe(ids.length);
    const keys = data.interactions.map((interaction) => interaction.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((key) => !/^demo-cus_\d{4}-\d{4}$/.test(key))).toEqual([]);
    const known = new Set(ids);
    expect(data.interactions.filter((i) => !known.has(i.customerExternalId))).toEqual([]);
  });

  it('gives customers CRM-like properties', () => {
    for (const customer of data.customers) {
      expect(customer.name.length).toBeGreaterThan(2);
      expect(customer.properties).toMatchObject({
        plan: expect.any(String),
        seats: expect.any(Number),
        mrr: expect.any(Number),
        country: expect.any(String),
        sso: expect.any(Boolean),
      });
      expect(String(customer.properties.customerSince)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('keeps silent customers silent for at least the last 20 days, after real activity', () => {
    const silent = customersOf('silent');
    expect(silent.length).toBeGreaterThan(0);
    for (const id of silent) {
      const touches = interactionsOf.get(id) ?? [];
      expect(touches.length).toBeGreaterThan(5);
      const last = Math.max(...touches.map((i) => i.occurredAt.getTime()));
      expect(NOW.getTime() - last).toBeGreaterThanOrEqual(20 * DAY_MS);
    }
  });

  it('gives upsell-without-engagement customers a deal and almost nothing else', () => {
    const engagementOf = (id: string): number =>
      (interactionsOf.get(id) ?? []).filter((i) => categoryOf(i) === 'engagement').length;
    const unengaged = customersOf('upsell_unengaged');
    expect(unengaged.length).toBeGreaterThan(0);
    for (const id of unengaged) {
      const touches = interactionsOf.get(id) ?? [];
      expect(touches.some((i) => i.typeKey === 'upsell' || i.typeKey === 'cross_sell')).toBe(true);
      expect(engagementOf(id)).toBeLessThanOrEqual(8);
      expect(touches.filter((i) => categoryOf(i) !== 'commercial').length).toBeLessThanOrEqual(20);
    }
    const engaged = customersOf('upsell_engaged');
    for (const id of engaged) {
      expect((interactionsOf.get(id) ?? []).some((i) => i.typeKey === 'upsell')).toBe(true);
      expect(engagementOf(id)).toBeGreaterThan(20);
    }
  });

  it('starts new customers in the last weeks, with a purchase first', () => {
    for (const id of customersOf('new')) {
      const touches = (interactionsOf.get(id) ?? []).toSorted(
        (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime(),
      );
      expect(touches[0]?.typeKey).toBe('purchase');
      for (const touch of touches) expect(NOW.getTime() - touch.occurredAt.getTime()).toBeLessThanOrEqual(35 * DAY_MS);
    }
  });

  it('gives churn-risk customers cancellation-stage interactions in their last weeks', () => {
    const churnRisk = customersOf('churn_risk');
    for (const id of churnRisk) {
      const cancellation = (interactionsOf.get(id) ?? []).filter((i) => i.journeyStage === 'CANCELLATION');
      expect(cancellation.length).toBeGreaterThan(0);
      for (const touch of cancellation)
        expect(NOW.getTime() - touch.occurredAt.getTime()).toBeLessThanOrEqual(40 * DAY_MS);
    }
    const others = data.interactions.filter(
      (i) => i.journeyStage === 'CANCELLATION' && !churnRisk.includes(i.customerExternalId),
    );
    expect(others).toEqual([]);
  });

  it('makes champions promoters and detractors detractors', () => {
    const npsOf = (persona: string): number[] => {
      const ids = new Set(customersOf(persona));
      return data.interactions
        .filter((i) => i.typeKey === 'nps' && ids.has(i.customerExternalId))
        .map((i) => i.value ?? 0);
    };
    const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean(npsOf('champion'))).toBeGreaterThanOrEqual(8.5);
    expect(mean(npsOf('detractor'))).toBeLessThanOrEqual(4);
    const detractors = new Set(customersOf('detractor'));
    const wasted = data.interactions.filter(
      (i) => detractors.has(i.customerExternalId) && i.sentiment === 'WASTED_TIME',
    );
    expect(wasted.some((i) => i.typeKey === 'micro_rating')).toBe(true);
    expect(wasted.some((i) => i.typeKey === 'support_ticket')).toBe(true);
  });

  it('writes comments that exercise escaping: markup characters, quotes and accents', () => {
    const comments = data.interactions.flatMap((i) => (i.comment === null ? [] : [i.comment]));
    expect(comments.length).toBeGreaterThan(500);
    expect(comments.some((c) => c.includes('<'))).toBe(true);
    expect(comments.some((c) => c.includes('&'))).toBe(true);
    expect(comments.some((c) => c.includes('"'))).toBe(true);
    expect(comments).toContain('Ótimo suporte!');
    expect(comments).toContain('Muy útil');
  });

  it('overrides category weights for enterprise and smb only, with every category', () => {
    expect(data.segmentWeights.length).toBeGreaterThan(0);
    for (const weight of data.segmentWeights) {
      expect(['enterprise', 'smb']).toContain(weight.segment);
      expect(CATEGORY_KEYS).toContain(weight.categoryKey);
      expect(weight.weight).toBeGreaterThan(0);
    }
    const weightOf = (segment: string, categoryKey: string): number =>
      data.segmentWeights.find((w) => w.segment === segment && w.categoryKey === categoryKey)?.weight ?? 0;
    expect(weightOf('enterprise', 'support')).toBeGreaterThan(weightOf('smb', 'support'));
    expect(weightOf('smb', 'product_usage')).toBeGreaterThan(weightOf('enterprise', 'product_usage'));
  });

  it('handles small demos and rejects invalid options', () => {
    expect(generateDemoData({ now: NOW, customers: 0 })).toMatchObject({ customers: [], interactions: [] });
    expect(generateDemoData({ now: NOW, customers: 8 }).customers).toHaveLength(8);
    expect(() => generateDemoData({ now: new Date('nope') })).toThrow(RangeError);
    expect(() => generateDemoData({ now: NOW, customers: -1 })).toThrow(RangeError);
    expect(() => generateDemoData({ now: NOW, days: 0 })).toThrow(RangeError);
  });
});

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
