// A category's names in other languages. A workspace names its categories once (`name`, in its own
// language); the widgets, shown in a page's language, use the name given for that language when
// there is one. Stored on the category as canonical BCP 47 tag → name; given and shown as a list.
// They change no score: a change of names is a model change (a new version, as a description's),
// never a rescoring (touches-scores.ts).
import type { ModelChangeProblem } from './model-change-error.ts';

export interface LocalizedName {
  /** A BCP 47 language tag: `pt-BR`, `es`. */
  locale: string;
  name: string;
}

/** More would be a catalogue, not a category's names. */
export const MAX_CATEGORY_NAMES = 20;

/** The tag as Intl writes it (`pt-br` → `pt-BR`), or null when it is no language tag. */
function canonicalTag(locale: string): string | null {
  try {
    return Intl.getCanonicalLocales(locale.trim())[0] ?? null;
  } catch {
    return null;
  }
}

/** What is wrong with these names, each at `field[i].locale` or `field[i].name`. */
export function categoryNamesProblems(field: string, names: readonly LocalizedName[]): ModelChangeProblem[] {
  if (names.length > MAX_CATEGORY_NAMES)
    return [{ field, code: 'OUT_OF_RANGE', message: `at most ${MAX_CATEGORY_NAMES} names, got ${names.length}` }];
  const problems: ModelChangeProblem[] = [];
  const seen = new Set<string>();
  names.forEach(({ locale, name }, index) => {
    const tag = canonicalTag(locale);
    if (tag === null)
      problems.push({
        field: `${field}[${index}].locale`,
        code: 'INVALID',
        message: `"${locale}" is not a language tag (BCP 47, such as pt-BR or es)`,
      });
    else if (seen.has(tag))
      problems.push({ field: `${field}[${index}].locale`, code: 'INVALID', message: `${tag} is named twice` });
    else seen.add(tag);
    if (name.trim() === '')
      problems.push({ field: `${field}[${index}].name`, code: 'INVALID', message: 'must not be empty' });
  });
  return problems;
}

/** The names as stored: canonical tag → name. Only for names without problems. */
export function categoryNamesRecord(names: readonly LocalizedName[]): Record<string, string> {
  return Object.fromEntries(names.map(({ locale, name }) => [canonicalTag(locale)!, name]));
}

/** The stored names as a list, by tag. */
export function categoryNamesList(stored: unknown): LocalizedName[] {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return [];
  return Object.entries(stored as Record<string, unknown>)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([locale, name]) => ({ locale, name }));
}
