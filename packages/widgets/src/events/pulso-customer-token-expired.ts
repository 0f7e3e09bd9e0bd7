// `pulso-customer-token-expired`, fired by <pulso-rating> (see ../events.ts for what every widget
// event shares). An event of its own, not the portal widgets' `pulso-token-expiring`: the rating
// needs a customer token, which a page's handler for view tokens must not answer.

export interface PulsoCustomerTokenExpiredDetail {
  /** The customer's external id (the rating's `customer` attribute). */
  customer: string;
  /** The customer token Pulso refused as expired. */
  token: string;
  /**
   * Gives the rating a new customer token for that customer (or a promise of it); the same as
   * setting its `customerToken`. The ratings waiting for it are sent with it at once.
   */
  respondWith(token: string | Promise<string>): void;
}

/**
 * Fired by `<pulso-rating>` when Pulso refuses a rating's customer token as expired (a page left
 * open longer than its token lives, a rating kept offline): the rating stays kept in the browser,
 * and the page answers with `event.detail.respondWith(newToken)` or by setting the element's
 * `customerToken`. Once per refused token and page.
 */
export class PulsoCustomerTokenExpiredEvent extends CustomEvent<PulsoCustomerTokenExpiredDetail> {
  static readonly type = 'pulso-customer-token-expired';
  constructor(detail: PulsoCustomerTokenExpiredDetail) {
    super(PulsoCustomerTokenExpiredEvent.type, { detail, bubbles: true, composed: true });
  }
}

// Bubbling and composed: typed on elements, on the document and on the window.
declare global {
  interface HTMLElementEventMap {
    'pulso-customer-token-expired': PulsoCustomerTokenExpiredEvent;
  }
  interface DocumentEventMap {
    'pulso-customer-token-expired': PulsoCustomerTokenExpiredEvent;
  }
  interface WindowEventMap {
    'pulso-customer-token-expired': PulsoCustomerTokenExpiredEvent;
  }
}
