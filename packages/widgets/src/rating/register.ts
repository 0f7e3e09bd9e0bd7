// <pulso-rating> alone, for a product page: the entry of dist/pulso-rating.js (and of the package's
// `@pulso/widgets/rating`). It defines this element only; what it shares with the others (Lit, the
// theme, the language) is in chunks that a page loading several entries downloads once.
// The core first, by name: its chunk is then the entry pulso-core-*.js itself (core.ts).
import '../core.ts';
import { claimed } from '../shared/claim.ts';
import { PulsoRating } from './pulso-rating.ts';

// Defined once, by the copy of the widgets that claimed the page (shared/claim.ts).
if (claimed) customElements.define('pulso-rating', PulsoRating);

declare global {
  interface HTMLElementTagNameMap {
    'pulso-rating': PulsoRating;
  }
}

export { PulsoRating };
export { PulsoRatedEvent, type PulsoRatedDetail, type RatingValue } from '../events/pulso-rated.ts';
// Type only: the sender (a chunk fetched on demand) fires it.
export type {
  PulsoCustomerTokenExpiredEvent,
  PulsoCustomerTokenExpiredDetail,
} from '../events/pulso-customer-token-expired.ts';
export { LOCALES, type Locale } from '../shared/locale.ts';
