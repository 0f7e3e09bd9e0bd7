// The explanations' wording in Portuguese or Spanish, for tests that word flags and reasons as the
// portal widgets do. Not in helpers.ts: importing it there loaded both catalogues into every test
// file, where a test of a language chunk that cannot be fetched needs them absent.
import { fill } from '../src/controllers/i18n-controller.ts';
import type { Wording } from '../src/shared/explain.ts';
import { formatNumber } from '../src/shared/format-number.ts';
import es from '../src/shared/portal-messages-es.ts';
import ptBR from '../src/shared/portal-messages-pt-BR.ts';

/** How a language words flags and reasons, from its catalogue: what the portal widgets hand explain.ts. */
export function catalogueWording(locale: 'pt-BR' | 'es'): Wording {
  const table = (locale === 'es' ? es : ptBR) as unknown as Record<string, string>;
  return {
    locale,
    phrase: (key, params = {}) => (table[key] === undefined ? null : fill(table[key]!, params)),
    number: (value, style) => formatNumber(locale, value, style),
  };
}
