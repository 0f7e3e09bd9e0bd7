// Flags, at-risk reasons and category names in the widget's language. The server words them in
// English; it also sends each one's code and the figures it is worded from (params), so the
// widgets word them from their own catalogue. What the catalogue does not know stays as the
// server sent it: a code newer than this script, a score stored before params existed (its
// figures missing), a workspace's own category names. English needs none of this (the server's
// words are English), so it comes with the pt-BR and es messages, in their chunks
// (portal-messages.ts, EXPLAINERS): a page in English never downloads it.
import type { ExplanationKey } from './portal-messages.ts';
import type { NumberStyle } from './format-number.ts';
import { type LocalizedName, ownName } from './own-name.ts';

/** One figure of a message, as the API sends it. */
export interface MessageParam {
  name: string;
  number: number | null;
  text: string | null;
}

/** A flag or a reason as the widgets select it. */
export interface Explained {
  code: string;
  message: string;
  params?: MessageParam[] | null;
  /** A reason naming a category: that category's names in other languages. */
  categoryNames?: LocalizedName[] | null;
}

/** A category as a score names it: its key, its name, and its names in other languages. */
export interface NamedCategory {
  key: string;
  name: string;
  names?: LocalizedName[] | null;
}

export interface Wording {
  /** The widget's language (en, pt-BR, es). */
  readonly locale: string;
  /** The words for a key in the widget's language; null when it has none (English: the server's words). */
  phrase(key: ExplanationKey, params?: Record<string, string | number>): string | null;
  number(value: number, style?: NumberStyle): string;
}

/** The default categories' English names: a category still named so is worded by its key. */
export const DEFAULT_CATEGORY_NAMES: Record<string, string> = {
  engagement: 'Engagement',
  product_usage: 'Product usage',
  support: 'Support',
  commercial: 'Commercial',
  satisfaction: 'Satisfaction',
};

/**
 * A category's name in the widget's language: the workspace's own for that language where it gave
 * one, else a default category's from the catalogue, else the name as written.
 */
export function categoryName(w: Wording, key: string, name: string, names?: LocalizedName[] | null): string {
  return (
    ownName(names, w.locale) ??
    ((DEFAULT_CATEGORY_NAMES[key] === name && w.phrase(`category_${key}` as ExplanationKey)) || name)
  );
}

type Figures = Record<string, number | string>;

/** The widget's words for a key, from the figures: null when it has none or a figure is missing. */
function worded(
  w: Wording,
  key: string,
  figures: Figures,
  nameOf: (key: string, name: string) => string,
): string | null {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(figures))
    values[name] =
      typeof value === 'number' ? w.number(value, { fractionDigits: Number.isInteger(value) ? 0 : 1 }) : value;
  // A day (an interaction's, as the server gives it: 2026-11-30) as Portuguese and Spanish write it,
  // day first: 30/11/2026. Not Intl's: its first formatter on a page loads the language's data.
  if (typeof figures.date === 'string') values.date = figures.date.replace(/^(\d{4})-(\d\d)-(\d\d)$/, '$3/$2/$1');
  if (typeof figures.category === 'string')
    values.category = nameOf(figures.category, String(figures.categoryName ?? figures.category));
  if (typeof figures.categories === 'string')
    values.categories = figures.categories
      .split(',')
      .map((category) => nameOf(category, category))
      .join(', ');
  const text = w.phrase(key as ExplanationKey, values);
  return text?.includes('{') ? null : text;
}

/** The key of a flag's words, where its figures choose between several. */
function flagKey(code: string, f: Figures): string {
  if (code === 'SILENCE')
    return f.noContact
      ? 'flag_SILENCE_never'
      : f.onlyComplaints
        ? 'flag_SILENCE_complaints'
        : f.laterRecords
          ? 'flag_SILENCE_later'
          : 'flag_SILENCE';
  if (code === 'UPSELL_DISCOUNTED')
    return `flag_UPSELL_DISCOUNTED${f.percent === undefined ? '_v1' : ''}${f.engagement === undefined ? '_noData' : ''}`;
  if (code === 'WASTED_TIME' && f.count === 1) return 'flag_WASTED_TIME_one';
  return `flag_${code}`;
}

/** The figures, or null when a stored score predates them (every code but NO_DATA has some). */
function figuresOf({ code, params }: Explained): Figures | null {
  if (!params?.length && code !== 'NO_DATA') return null;
  const out: Figures = {};
  for (const p of params ?? []) {
    const value = p.number ?? p.text;
    if (value !== null) out[p.name] = value;
  }
  return out;
}

/**
 * A flag in the widget's language; `categories` (the score's own) names the categories a flag
 * names by key.
 */
export function flagText(w: Wording, flag: Explained, categories: NamedCategory[] = []): string {
  const f = figuresOf(flag);
  const nameOf = (key: string, name: string) => {
    const found = categories.find((c) => c.key === key);
    return found ? categoryName(w, found.key, found.name, found.names) : categoryName(w, key, name);
  };
  return (f && worded(w, flagKey(flag.code, f), f, nameOf)) || flag.message;
}

/** An at-risk reason in the widget's language. */
export function reasonText(w: Wording, reason: Explained): string {
  const f = figuresOf(reason);
  if (!f) return reason.message;
  const { code } = reason;
  const nameOf = (key: string, name: string) => categoryName(w, key, name, reason.categoryNames);
  if (code === 'SILENCE') {
    // A headline, as the server's: what does not end silence (the records since, the complaints) is
    // the flag's to say, in the gauge's details. With it, a list cut the reason before its cost.
    const key = flagKey(code, f).replace(/^flag_(SILENCE_(complaints|later))$/, 'reason_$1');
    const silence = worded(w, key, f, nameOf);
    if (silence) f.silence = silence;
    // What it costs, worded as a loss, as a negative interaction's points are.
    if (typeof f.points === 'number') f.points = -f.points || 0;
  }
  const key = code === 'WASTED_TIME' ? flagKey(code, f) : `reason_${code}`;
  return worded(w, key, f, nameOf) || reason.message;
}
