// View tokens are short-lived (ten minutes by default, an hour at most) and a portal stays open all
// day. Before the widget's token expires it asks the page for a new one (`pulso-token-expiring`),
// and asks again at once when Pulso refuses it; a new `token` moves the widget's requests to it
// (their key changes). Unanswered, from the moment it expires the widget sends nothing more (each
// request would be refused, and each refusal is a console error) and says so instead of freezing.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { PulsoTokenExpiringEvent } from '../events/pulso-token-expiring.ts';
import type { PulsoRequestError } from '../shared/graphql.ts';
import { RETRY_MS } from '../shared/retry.ts';

export interface TokenHost extends ReactiveControllerHost, HTMLElement {
  token: string;
}

/** A JWT's claims, read without checking anything (Pulso checks them); none when unreadable. */
function claimsOf(token: string): { iat?: unknown; exp?: unknown } {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {};
  }
}

/** A JWT's `exp` in milliseconds, or null. */
function expiryOf(token: string): number | null {
  const { exp } = claimsOf(token);
  return typeof exp === 'number' ? exp * 1000 : null;
}

export class TokenController implements ReactiveController {
  #token = '';
  #timers: ReturnType<typeof setTimeout>[] = [];
  /** The token's expiry passed and the page gave no other: the widget shows so and sends nothing. */
  expired = false;

  constructor(private readonly host: TokenHost) {
    host.addController(this);
  }

  hostUpdate(): void {
    const token = this.host.token;
    if (token === this.#token) return;
    this.#token = token;
    this.#clear();
    this.expired = this.#expiring = this.#refusedNow = false;
    const { iat, exp } = claimsOf(token);
    // The time left counted from now by the token's own clock, its lifetime since it was issued (a
    // page gets a token its backend just signed), not by the visitor's: a clock minutes fast had a
    // fresh token expired at once and the widget sending nothing. It errs late, never early: a
    // token older than it looks (a page restored from cache) is refused by Pulso first, and the
    // refusal asks for a new one (failed). Without `iat`, the visitor's clock is all there is.
    const remaining =
      typeof exp !== 'number' ? Number.NaN : (exp - (typeof iat === 'number' ? iat : Date.now() / 1000)) * 1000;
    // No expiry, or beyond what a timer can wait (24 days): nothing to plan.
    if (!(remaining < 2e9)) return;
    this.#plannedAsk = setTimeout(
      () => {
        this.#expiring = true;
        this.ask();
      },
      remaining - Math.min(60_000, remaining / 4),
    );
    this.#timers = [this.#plannedAsk, setTimeout(this.#expire, remaining)];
  }

  /** The ask planned before expiry: a refusal that comes first has asked already (see refused). */
  #plannedAsk?: ReturnType<typeof setTimeout>;

  /** The widget says its access expired and sends nothing more, until it gets another token. */
  readonly #expire = (): void => {
    this.expired = true;
    this.host.requestUpdate();
  };

  hostDisconnected(): void {
    this.#clear();
    // Connected again, the element plans afresh (the timers are gone).
    this.#token = '';
  }

  #clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
  }

  /** Asks the page for a new token (before expiry, after a refusal, from the "Try again" button). */
  readonly ask = (): void => {
    const exp = expiryOf(this.#token);
    this.host.dispatchEvent(
      new PulsoTokenExpiringEvent({
        token: this.#token,
        expiresAt: exp === null ? null : new Date(exp),
        // A promise the page's backend rejects (its refresh failed) leaves the token as it is: the
        // widget says so when it expires, and asks again. Anything but a token is the page's
        // mistake (a JSON body rather than its `token`, say), said plainly instead of sent to Pulso.
        respondWith: (next) =>
          void Promise.resolve(next).then(
            (token) => {
              if (typeof token !== 'string' || !token)
                console.error(`pulso-token-expiring: respondWith needs a token string, got ${typeof token}`);
              else if (token !== this.host.token) this.host.token = token;
              // The token Pulso refused, handed back (a backend answering an error page, the same
              // each time): refused again, so the widget shows it and asks after a pause.
              else if (this.#refusedNow) this.refused();
            },
            () => {},
          ),
      }),
    );
  };

  #refusals = 0;
  #lastRefusal = 0;
  /** Pulso refused the current token. */
  #refusedNow = false;
  /** The page was asked for a token to replace this one before it expires, and has not answered. */
  #expiring = false;

  /**
   * Pulso refused the token (a read, or the live connection): ask for another, at once the first
   * time. Refused again within a minute, the page is answering with tokens Pulso refuses too (its
   * backend signing with the wrong secret, say): asked at once each time, that was a loop of
   * hundreds of events and requests a second per widget. So the next asks wait as a chunk's retries
   * do (RETRY_MS: 2 s, doubling up to a minute), while the widget shows its error ("Try again" reads
   * again at once). A refused token not replaced within the first pause (2 s) is expired for the
   * widget: what it shows can no longer be refreshed, and it says so rather than show it as live
   * (a page whose refresh kept failing left the gauge on a score minutes old, with no word of it).
   */
  readonly refused = (): void => {
    this.#refusedNow = true;
    // Refused once the page was asked to replace the token before its expiry (Pulso ends a live
    // stream at the token's expiry, by its own clock a little before the widget's): that is the
    // expiry, already asked about. The widget says so now instead of asking the page a second time.
    if (this.#expiring) {
      this.#expire();
      return;
    }
    // A token older than it looks (signed late in a second: `iat` is in whole seconds) is refused
    // before the ask planned for it: the refusal asks now, and the page is not asked a second time
    // for the same token when the planned time comes.
    clearTimeout(this.#plannedAsk);
    const now = Date.now();
    this.#refusals = now - this.#lastRefusal < 60_000 ? this.#refusals + 1 : 0;
    this.#lastRefusal = now;
    const pause = this.#refusals && Math.min(RETRY_MS.first * 2 ** (this.#refusals - 1), RETRY_MS.max);
    this.#timers.push(setTimeout(this.ask, pause), setTimeout(this.#expire, RETRY_MS.first));
  };

  /** A request failed: when Pulso refused the token, see refused. */
  readonly failed = (error: PulsoRequestError): void => {
    if (error.code === 'UNAUTHENTICATED') this.refused();
  };
}
