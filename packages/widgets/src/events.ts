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

interface PulsoEventMap {
  'pulso-rated': PulsoRatedEvent;
  'pulso-select': PulsoSelectEvent;
}

// They bubble and are composed: typed on elements, on the document and on the window.
declare global {
  interface HTMLElementEventMap extends PulsoEventMap {}
  interface DocumentEventMap extends PulsoEventMap {}
  interface WindowEventMap extends PulsoEventMap {}
}
