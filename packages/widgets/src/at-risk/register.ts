// <pulso-at-risk> alone: the entry of dist/pulso-at-risk.js (and of the package's
// `@pulso/widgets/at-risk`). It defines this element only; what it shares with the others (Lit,
// the theme, the language, the live connection) is in chunks that a page loading several entries
// downloads once.
// The core first, by name: its chunk is then the entry pulso-core-*.js itself (core.ts).
import '../core.ts';
import { claimed } from '../shared/claim.ts';
import { PulsoAtRisk } from './pulso-at-risk.ts';

// Defined once, by the copy of the widgets that claimed the page (shared/claim.ts).
if (claimed) customElements.define('pulso-at-risk', PulsoAtRisk);

declare global {
  interface HTMLElementTagNameMap {
    'pulso-at-risk': PulsoAtRisk;
  }
}

export { PulsoAtRisk };
export type { AtRiskEntry } from './pulso-at-risk.ts';
export { PulsoSelectEvent, type PulsoSelectDetail } from '../events/pulso-select.ts';
export { PulsoTokenExpiringEvent, type PulsoTokenExpiringDetail } from '../events/pulso-token-expiring.ts';
export { LOCALES, type Locale } from '../shared/locale.ts';
