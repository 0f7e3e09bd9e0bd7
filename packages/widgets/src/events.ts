// The widgets' DOM events: each a typed class, bubbling and composed so that a listener on the
// page hears it through the shadow roots, and listed in the global event map for typed listeners.

export type RatingValue = 'LIKED' | 'INDIFFERENT' | 'DISLIKED' | 'WASTED_TIME';

export interface PulsoRatedDetail {
  /** The customer's external id (the `customer` attribute). */
  customer: string;
  rating: RatingValue;
  /** The journey stage the widget sits in, if set. */
  stage: string | null;
  /** The optional comment, when the customer wrote one. */
  comment: string | null;
  /** Sent again with every retry, so that the rating counts once. */
  idempotencyKey: string;
  /** `sent`: Pulso recorded it; `queued`: kept in this browser and retried later. */
  delivery: 'sent' | 'queued';
}

/** Fired by `<pulso-rating>` when the customer rates (and again when they add a comment). */
export class PulsoRatedEvent extends CustomEvent<PulsoRatedDetail> {
  static readonly type = 'pulso-rated';
  constructor(detail: PulsoRatedDetail) {
    super(PulsoRatedEvent.type, { detail, bubbles: true, composed: true });
  }
}

export interface PulsoSelectDetail {
  /** The customer's global id. */
  id: string;
  externalId: string;
  name: string;
}

/** Fired by `<pulso-at-risk>` when the user picks a customer in the list. */
export class PulsoSelectEvent extends CustomEvent<PulsoSelectDetail> {
  static readonly type = 'pulso-select';
  constructor(detail: PulsoSelectDetail) {
    super(PulsoSelectEvent.type, { detail, bubbles: true, composed: true });
  }
}

export interface PulsoTokenExpiringDetail {
  /** The view token that is about to expire (or that Pulso refused). */
  token: string;
  /** When it expires (its `exp`), or null when it has none or cannot be read. */
  expiresAt: Date | null;
  /**
   * Gives the widget its new token (or a promise of it); the same as setting its `token`. The
   * widget's requests and live connection move to it.
   */
  respondWith(token: string | Promise<string>): void;
}

/**
 * Fired by `<pulso-gauge>` and `<pulso-at-risk>` before their view token expires (a quarter of its
 * remaining life before, at most a minute), and at once when Pulso refuses it: the page answers
 * with `event.detail.respondWith(newToken)` or by setting the element's `token`.
 */
export class PulsoTokenExpiringEvent extends CustomEvent<PulsoTokenExpiringDetail> {
  static readonly type = 'pulso-token-expiring';
  constructor(detail: PulsoTokenExpiringDetail) {
    super(PulsoTokenExpiringEvent.type, { detail, bubbles: true, composed: true });
  }
}

interface PulsoEventMap {
  'pulso-rated': PulsoRatedEvent;
  'pulso-select': PulsoSelectEvent;
  'pulso-token-expiring': PulsoTokenExpiringEvent;
}

// They bubble and are composed: typed on elements, on the document and on the window.
declare global {
  interface HTMLElementEventMap extends PulsoEventMap {}
  interface DocumentEventMap extends PulsoEventMap {}
  interface WindowEventMap extends PulsoEventMap {}
}
