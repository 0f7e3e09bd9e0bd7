import { html, nothing } from 'lit/html.js';
import { PortalI18nController } from '../controllers/portal-i18n-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { QueryController } from '../controllers/query-controller.ts';
import { TokenController } from '../controllers/token-controller.ts';
import { PulsoSelectEvent } from '../events/pulso-select.ts';
import type { Explained } from '../shared/explain.ts';
import { defaultEndpoint, graphqlUrl } from '../shared/endpoint.ts';
import { AT_RISK_QUERY } from '../shared/documents.ts';
import { portalCss, staleNotice } from '../shared/portal-theme.ts';
import { type PropertyDeclaration, TemplateElement } from '../shared/template-element.ts';
import { hostCss } from '../shared/theme.ts';
import { atRiskCss } from './pulso-at-risk.styles.ts';

export interface AtRiskEntry {
  customer: { id: string; externalId: string; name: string };
  score: number;
  scoreChange30d: number | null;
  daysSinceLastInteraction: number | null;
  mainReason: Explained;
}

interface AtRiskData {
  atRiskCustomers: AtRiskEntry[];
}

const MAX_ROWS = 100;

/**
 * The at-risk customers, worst first, each with its score, 30-day trend, days since the last
 * interaction and the main reason; updated live, with "load more". Choosing a customer fires
 * `pulso-select`.
 *
 * @summary The customers most in need of action.
 *
 * @fires {PulsoSelectEvent} pulso-select - A customer was chosen (detail: id, externalId, name).
 * @fires {PulsoTokenExpiringEvent} pulso-token-expiring - The view token expires soon or was refused: answer with detail.respondWith(newToken).
 *
 * @attr {string} endpoint - Pulso's GraphQL endpoint or server origin (default: the server the script came from).
 * @attr {string} token - An at-risk view token, signed by your portal backend.
 * @attr {number} page-size - Customers shown at first and added by "load more" (default 10, at most 100 in all).
 * @attr {string} heading - Replaces "Customers at risk"; empty hides it (shown as text).
 * @attr {string} locale - en, pt-BR or es (default: the page's language, the `lang` of the element or its nearest ancestor, else the browser's).
 * @attr {"on" | "off"} live - Follow the list live (default on).
 * @attr {"light" | "dark" | "auto"} theme - Colours: auto (default) follows the page's color-scheme; light or dark paints the widget's own background.
 *
 * @csspart heading - The list's title.
 * @csspart list - The list.
 * @csspart item - Each customer's button.
 * @csspart score - A customer's score.
 * @csspart name - A customer's name.
 * @csspart trend - A customer's 30-day change.
 * @csspart reason - A customer's main reason.
 * @csspart days - Days since a customer's last interaction.
 * @csspart load-more - The "load more" button.
 * @csspart status - The loading, error or empty message.
 *
 * @cssprop [--pulso-item-background=transparent] - Background of a customer.
 * @cssprop [--pulso-band-at-risk-color=#cf222e] - Colour of the scores and falling trends.
 * @cssprop [--pulso-accent-color=#0969da] - Hover border.
 * @cssprop [--pulso-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--pulso-font-size=14px] - Base font size.
 * @cssprop [--pulso-text-color=#1f2328] - Text colour.
 * @cssprop [--pulso-muted-color=#59636e] - Secondary text colour.
 * @cssprop [--pulso-border-color=#d1d9e0] - Borders.
 * @cssprop [--pulso-focus-color=#0969da] - Focus ring.
 * @cssprop [--pulso-radius=8px] - Corner radius.
 * @cssprop [--pulso-transition-duration=400ms] - Hover transitions (0 when the user prefers reduced motion).
 */
export class PulsoAtRisk extends TemplateElement {
  static override styles = [hostCss, portalCss, atRiskCss];

  static override properties: Record<string, PropertyDeclaration> = {
    endpoint: {},
    token: {},
    pageSize: { attribute: 'page-size', type: Number },
    heading: {},
    locale: {},
    theme: { reflect: true },
    live: {},
    shown: { state: true },
  };

  /** Pulso's GraphQL endpoint (or the server's origin); defaults to the server the script came from. */
  declare endpoint: string;
  /** An at-risk view token, signed by your portal's backend. Never a secret key. */
  declare token: string;
  /** Customers shown at first and added by "load more" (default 10). */
  declare pageSize: number;
  /** The title, replacing the default "Customers at risk"; an empty string hides it. Shown as text. */
  declare heading: string | undefined;
  /** `en`, `pt-BR` or `es`; defaults to the browser's language. */
  declare locale: string | undefined;
  /** `light` or `dark` whatever the page says (the widget paints its own background); unset or `auto`: the page's `color-scheme`. */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** `on` (default) follows the list live; `off` loads it once. */
  declare live: 'on' | 'off';
  declare private shown: number;

  // First: the other controllers' requests depend on whether the token has expired.
  readonly #access = new TokenController(this);
  readonly #i18n = new PortalI18nController(this);

  readonly #query = new QueryController<AtRiskData>(this, {
    request: () =>
      this.token && !this.#access.expired
        ? {
            endpoint: graphqlUrl(this.endpoint),
            credential: this.token,
            query: AT_RISK_QUERY,
            variables: { first: this.#rows },
          }
        : null,
    onError: this.#access.failed,
  });

  readonly #liveList = new LiveController(this, {
    request: () =>
      this.live !== 'off' && this.token && !this.#access.expired
        ? { endpoint: graphqlUrl(this.endpoint), credential: this.token }
        : null,
    onData: () => this.#query.reload(),
    // Changes made while the stream was down were never sent: read the list again.
    onReconnect: () => this.#query.reload(),
    onRefused: this.#access.refused,
  });

  constructor() {
    super();
    this.endpoint = defaultEndpoint();
    this.token = '';
    this.pageSize = 10;
    this.live = 'on';
    this.shown = 0;
  }

  get #rows(): number {
    return Math.min(MAX_ROWS, Math.max(1, this.shown || this.pageSize || 10));
  }

  /** The customers on display. */
  get customers(): AtRiskEntry[] {
    return this.#query.state.data?.atRiskCustomers ?? [];
  }

  #loadMore(): void {
    this.shown = Math.min(MAX_ROWS, this.#rows + (this.pageSize || 10));
  }

  #select(entry: AtRiskEntry): void {
    this.dispatchEvent(
      new PulsoSelectEvent({ id: entry.customer.id, externalId: entry.customer.externalId, name: entry.customer.name }),
    );
  }

  protected render() {
    const { t } = this.#i18n;
    const state = this.#query.state;
    const heading = this.heading ?? t('atRiskTitle');
    const hasData = state.data !== undefined;
    const customers = this.customers;
    let body: unknown;
    // Expired, the query has stopped (idle, no data): "Try again" asks the page for a token.
    const expired = this.#access.expired;
    if (!hasData) {
      body =
        expired || state.status === 'error'
          ? html`<p class="status" part="status" role="alert">
              ${t(expired ? 'expired' : 'error')}
              <button type="button" @click=${expired ? this.#access.ask : () => this.#query.reload()}>${t('retry')}</button>
            </p>`
          : html`<p class="status loading" part="status" role="status">${t('loading')}</p>
              <ol class="placeholder">
                ${Array.from({ length: this.#rows }, () => html`<li class="customer"></li>`)}
              </ol>
              ${this.#rows < MAX_ROWS ? html`<div class="more placeholder"></div>` : nothing}`;
    } else if (customers.length === 0) {
      body = html`<p class="status" part="status" role="status">${t('atRiskEmpty')}</p>${staleNotice(this.#liveList.stale, t)}`;
    } else {
      body = html`${staleNotice(this.#liveList.stale, t)}<ol part="list" aria-labelledby=${heading ? 'heading' : nothing} aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
          ${customers.map((entry) => this.#renderEntry(entry))}
        </ol>
        ${
          customers.length >= this.#rows && this.#rows < MAX_ROWS
            ? html`<button type="button" class="more" part="load-more" @click=${this.#loadMore}>${t('loadMore')}</button>`
            : nothing
        }`;
    }
    return html`${heading ? html`<h2 id="heading" part="heading">${heading}</h2>` : nothing}${body}`;
  }

  #renderEntry(entry: AtRiskEntry) {
    const { t, number } = this.#i18n;
    const change = entry.scoreChange30d;
    const direction = change === null || Math.abs(change) < 1 ? 'flat' : change > 0 ? 'up' : 'down';
    const days = entry.daysSinceLastInteraction;
    return html`<li>
      <button type="button" class="customer" part="item" @click=${() => this.#select(entry)}>
        <span class="score" part="score"><span class="visually-hidden">${t('score')} </span>${number(entry.score, { fractionDigits: 1 })}</span>
        <span class="name" part="name">${entry.customer.name}</span>
        <span class="trend ${direction}" part="trend">
          ${
            change === null
              ? nothing
              : html`<span aria-hidden="true">${direction === 'up' ? '▲' : direction === 'down' ? '▼' : '▶'}</span>
                ${t('change30d', { change: number(change, { fractionDigits: 1, signed: true }) })}`
          }
        </span>
        <span class="reason" part="reason">${this.#i18n.reason(entry.mainReason)}</span>
        <span class="days" part="days">${days === null ? t('daysSinceNone') : days === 0 ? t('daysSinceToday') : days === 1 ? t('daysSinceOne') : t('daysSince', { days })}</span>
      </button>
    </li>`;
  }
}
