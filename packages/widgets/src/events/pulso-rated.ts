// `pulso-rated`, fired by <pulso-rating> (see ../events.ts for what every widget event shares).

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

// Bubbling and composed: typed on elements, on the document and on the window.
declare global {
  interface HTMLElementEventMap {
    'pulso-rated': PulsoRatedEvent;
  }
  interface DocumentEventMap {
    'pulso-rated': PulsoRatedEvent;
  }
  interface WindowEventMap {
    'pulso-rated': PulsoRatedEvent;
  }
}
