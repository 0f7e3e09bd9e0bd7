// <pulso-gauge> alone: the entry of dist/pulso-gauge.js (and of the package's
// `@pulso/widgets/gauge`). It defines this element only; what it shares with the others (Lit, the
// theme, the language, the live connection) is in chunks that a page loading several entries
// downloads once.
// The core first, by name: its chunk is then the entry pulso-core-*.js itself (core.ts).
import '../core.ts';
import { claimed } from '../shared/claim.ts';
import { PulsoGauge } from './pulso-gauge.ts';

// Defined once, by the copy of the widgets that claimed the page (shared/claim.ts).
if (claimed) customElements.define('pulso-gauge', PulsoGauge);

declare global {
  interface HTMLElementTagNameMap {
    'pulso-gauge': PulsoGauge;
  }
}

export { PulsoGauge };
export type { GaugeScore } from './pulso-gauge.ts';
export {
  PulsoTokenExpiringEvent,
  type PulsoTokenExpiringDetail,
} from '../events/pulso-token-expiring.ts';
export { LOCALES, type Locale } from '../shared/locale.ts';
