// `pulso-token-expiring`, fired by <pulso-gauge> and <pulso-at-risk> (see ../events.ts for what
// every widget event shares).

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

// Bubbling and composed: typed on elements, on the document and on the window.
declare global {
  interface HTMLElementEventMap {
    'pulso-token-expiring': PulsoTokenExpiringEvent;
  }
  interface DocumentEventMap {
    'pulso-token-expiring': PulsoTokenExpiringEvent;
  }
  interface WindowEventMap {
    'pulso-token-expiring': PulsoTokenExpiringEvent;
  }
}
