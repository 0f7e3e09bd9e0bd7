// Flags worded from their figures in the page's language, for each figure a flag may carry: formula
// 2's silence with records since that do not end it (`laterRecords`) has words of its own, where it
// fell back to the server's English.
import { describe, expect, it } from 'vitest';
import { catalogueWording } from '../../test/catalogue-wording.ts';
import { categoryName, flagText, reasonText } from './explain.ts';

const silence = (params: Record<string, number>) => ({
  code: 'SILENCE',
  message: 'no real engagement for 365 days (English, as the server words it)',
  params: Object.entries(params).map(([name, number]) => ({ name, number, text: null })),
});

describe('flags in the page language', () => {
  it('words each kind of silence, the records since that do not end it included', () => {
    const pt = catalogueWording('pt-BR');
    const spanish = catalogueWording('es');
    expect(flagText(pt, silence({ days: 365, laterRecords: 1 }))).toBe(
      'nenhum engajamento real há 365 dias (o que foi registrado desde então não encerra o silêncio)',
    );
    expect(flagText(spanish, silence({ days: 365, laterRecords: 1 }))).toBe(
      'sin compromiso real desde hace 365 días (lo registrado desde entonces no rompe el silencio)',
    );
    expect(flagText(pt, silence({ days: 40 }))).toBe('em silêncio há 40 dias');
    expect(flagText(pt, silence({ days: 40, onlyComplaints: 1 }))).toContain('só reclamações');
  });

  it('words a silence reason as a headline with its cost, what does not end silence left to the flag', () => {
    const pt = catalogueWording('pt-BR');
    const spanish = catalogueWording('es');
    // The server's `points` is what the silence took (positive): worded as a loss.
    expect(reasonText(spanish, silence({ days: 365, laterRecords: 1, points: 5.5 }))).toBe(
      'sin compromiso real desde hace 365 días: -5,5 puntos',
    );
    expect(reasonText(pt, silence({ days: 365, laterRecords: 1, points: 5.5 }))).toBe(
      'nenhum engajamento real há 365 dias: -5,5 pontos',
    );
    expect(reasonText(pt, silence({ days: 40, onlyComplaints: 1, points: 12 }))).toBe(
      'nenhum contato real há 40 dias: -12 pontos',
    );
    expect(reasonText(spanish, silence({ days: 40, points: 3.2 }))).toBe('en silencio desde hace 40 días: -3,2 puntos');
    expect(reasonText(pt, silence({ noContact: 1, points: 0 }))).toBe('nenhum contato real registrado: 0 pontos');
  });

  it('words a day as Portuguese and Spanish write it, day first', () => {
    const negative = {
      code: 'NEGATIVE_INTERACTION',
      message: 'support call on 2026-11-30: -20 points',
      params: [
        { name: 'interactionType', number: null, text: 'support_call' },
        { name: 'date', number: null, text: '2026-11-30' },
        { name: 'points', number: -20, text: null },
      ],
    };
    expect(reasonText(catalogueWording('pt-BR'), negative)).toBe('interação negativa em 30/11/2026: -20 pontos');
    expect(reasonText(catalogueWording('es'), negative)).toBe('interacción negativa el 30/11/2026: -20 puntos');
  });

  it("names a workspace's own category in the widget's language where it gave a name for it", () => {
    const spanish = catalogueWording('es');
    const pt = catalogueWording('pt-BR');
    const names = [
      { locale: 'es-MX', name: 'Capacitación' },
      { locale: 'pt', name: 'Treinamentos' },
    ];
    // The same language when the exact tag is not there (es-MX for es, pt for pt-BR).
    expect(categoryName(spanish, 'training', 'Training', names)).toBe('Capacitación');
    expect(categoryName(pt, 'training', 'Training', names)).toBe('Treinamentos');
    // None given: the default categories from the catalogue, a workspace's own as written.
    expect(categoryName(pt, 'support', 'Support', [])).toBe('Suporte');
    expect(categoryName(pt, 'training', 'Training')).toBe('Training');
    // A default category the workspace named itself in that language: its own name wins.
    expect(categoryName(pt, 'support', 'Support', [{ locale: 'pt-BR', name: 'Atendimento' }])).toBe('Atendimento');
    // In a reason naming a weak category, and in a flag naming one of the score's categories.
    const weak = {
      code: 'WEAK_CATEGORY',
      message: 'training at 31 out of 100',
      params: [
        { name: 'category', number: null, text: 'training' },
        { name: 'categoryName', number: null, text: 'Training' },
        { name: 'subScore', number: 31, text: null },
      ],
      categoryNames: names,
    };
    expect(reasonText(pt, weak)).toBe('Treinamentos em 31 de 100');
    const falling = {
      code: 'ACTIVITY_FALLING',
      message: 'training fell 40 % below its own level (about the last 30 days)',
      params: [
        { name: 'category', number: null, text: 'training' },
        { name: 'categoryName', number: null, text: 'Training' },
        { name: 'percent', number: 40, text: null },
        { name: 'days', number: 30, text: null },
      ],
    };
    expect(flagText(spanish, falling, [{ key: 'training', name: 'Training', names }])).toMatch(/^Capacitación /);
  });
});
