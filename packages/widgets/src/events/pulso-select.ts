// `pulso-select`, fired by <pulso-at-risk> (see ../events.ts for what every widget event shares).

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

// Bubbling and composed: typed on elements, on the document and on the window.
declare global {
  interface HTMLElementEventMap {
    'pulso-select': PulsoSelectEvent;
  }
  interface DocumentEventMap {
    'pulso-select': PulsoSelectEvent;
  }
  interface WindowEventMap {
    'pulso-select': PulsoSelectEvent;
  }
}
