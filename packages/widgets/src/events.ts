// The widgets' DOM events: each a typed class, bubbling and composed so that a listener on the
// page hears it through the shadow roots, and listed in the global event maps for typed listeners
// (HTMLElementEventMap, DocumentEventMap, WindowEventMap). Each class is a module of its own
// (events/), with its map entries, so an element's script carries its own events only.
export { PulsoRatedEvent, type PulsoRatedDetail, type RatingValue } from './events/pulso-rated.ts';
export { PulsoSelectEvent, type PulsoSelectDetail } from './events/pulso-select.ts';
export { PulsoTokenExpiringEvent, type PulsoTokenExpiringDetail } from './events/pulso-token-expiring.ts';
// Types only: the event is fired by the rating's sender, a chunk fetched on demand, and a class
// exported here would weigh on every page loading pulso.js.
export type {
  PulsoCustomerTokenExpiredEvent,
  PulsoCustomerTokenExpiredDetail,
} from './events/pulso-customer-token-expired.ts';
