import { html, nothing } from 'lit/html.js';
import { PortalI18nController } from '../controllers/portal-i18n-controller.ts';
import { LiveController } from '../controllers/live-controller.ts';
import { QueryController } from '../controllers/query-controller.ts';
import { TokenController } from '../controllers/token-controller.ts';
import type { Explained, NamedCategory } from '../shared/explain.ts';
import { defaultEndpoint, graphqlUrl } from '../shared/endpoint.ts';
import { GAUGE_QUERY } from '../shared/documents.ts';
import { portalCss, staleNotice } from '../shared/portal-theme.ts';
import { type PropertyDeclaration, TemplateElement } from '../shared/template-element.ts';
import { hostCss } from '../shared/theme.ts';
import { gaugeCss } from './pulso-gauge.styles.ts';

export interface GaugeScore {
  value: number;
  band: 'AT_RISK' | 'NEEDS_ATTENTION' | 'HEALTHY';
  trend: { change30d: number | null; direction: 'UP' | 'DOWN' | 'FLAT' };
  categories: (NamedCategory & { subScore: number | null; contribution: number; hasData: boolean })[];
  flags: Explained[];
}

interface GaugeData {
  customer: { id: string; name: string; health: GaugeScore | null } | null;
}

/**
 * A customer's health score on a gauge coloured by its band, with the band's name, the trend
 * and its 30-day change; hovering or focusing it shows the per-category breakdown and the flags.
 * It follows the score live. Assistive technology reads it as a meter with its value and band.
 *
 * @summary A customer's health score, live.
 *
 * @fires {PulsoTokenExpiringEvent} pulso-token-expiring - The view token expires soon or was refused: answer with detail.respondWith(newToken).
 *
 * @attr {string} endpoint - Pulso's GraphQL endpoint or server origin (default: the server the script came from).
 * @attr {string} token - A view token for this customer, signed by your portal backend.
 * @attr {string} customer - The customer's external id.
 * @attr {string} locale - en, pt-BR or es (default: the page's language, the `lang` of the element or its nearest ancestor, else the browser's).
 * @attr {"on" | "off"} live - Follow the score live (default on).
 * @attr {"light" | "dark" | "auto"} theme - Colours: auto (default) follows the page's color-scheme; light or dark paints the widget's own background.
 *
 * @csspart meter - The focusable meter (gauge, number, band, trend).
 * @csspart gauge - The SVG gauge.
 * @csspart value - The score number.
 * @csspart band - The band's name.
 * @csspart trend - The trend arrow and 30-day change.
 * @csspart details - The breakdown and flags shown on hover or focus.
 * @csspart status - The loading, error or "no score yet" message.
 *
 * @cssprop [--pulso-gauge-size=180px] - Width of the widget.
 * @cssprop [--pulso-gauge-thickness=12] - Stroke width of the arc, in SVG units (the gauge is 120 wide).
 * @cssprop [--pulso-gauge-track-color] - Colour of the empty part of the arc.
 * @cssprop [--pulso-band-at-risk-color=#cf222e] - Colour of the "at risk" band.
 * @cssprop [--pulso-band-needs-attention-color=#9a6700] - Colour of the "needs attention" band.
 * @cssprop [--pulso-band-healthy-color=#1a7f37] - Colour of the "healthy" band.
 * @cssprop [--pulso-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--pulso-font-size=14px] - Base font size.
 * @cssprop [--pulso-text-color=#1f2328] - Text colour.
 * @cssprop [--pulso-muted-color=#59636e] - Secondary text colour.
 * @cssprop [--pulso-background=#ffffff] - Background of the details panel.
 * @cssprop [--pulso-border-color=#d1d9e0] - Borders.
 * @cssprop [--pulso-focus-color=#0969da] - Focus ring.
 * @cssprop [--pulso-radius=8px] - Corner radius.
 * @cssprop [--pulso-transition-duration=400ms] - Arc animation (0 when the user prefers reduced motion).
 */
export class PulsoGauge extends TemplateElement {
  static override styles = [hostCss, portalCss, gaugeCss];

  static override properties: Record<string, PropertyDeclaration> = {
    endpoint: {},
    token: {},
    customer: {},
    locale: {},
    theme: { reflect: true },
    live: {},
  };

  /** Pulso's GraphQL endpoint (or the server's origin); defaults to the server the script came from. */
  declare endpoint: string;
  /** A view token for this customer, signed by your portal's backend. Never a secret key. */
  declare token: string;
  /** The customer's external id (your own id for it). */
  declare customer: string;
  /** `en`, `pt-BR` or `es`; defaults to the browser's language. */
  declare locale: string | undefined;
  /** `light` or `dark` whatever the page says (the widget paints its own background); unset or `auto`: the page's `color-scheme`. */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** `on` (default) follows the score live; `off` loads it once. */
  declare live: 'on' | 'off';

  constructor() {
    super();
    this.endpoint = defaultEndpoint();
    this.token = '';
    this.customer = '';
    this.live = 'on';
  }

  // First: the other controllers' requests depend on whether the token has expired.
  readonly #access = new TokenController(this);
  readonly #i18n = new PortalI18nController(this);

  readonly #query = new QueryController<GaugeData>(this, {
    request: () =>
      this.token && !this.#access.expired && this.customer
        ? {
            endpoint: graphqlUrl(this.endpoint),
            credential: this.token,
            query: GAUGE_QUERY,
            variables: { externalId: this.customer },
          }
        : null,
    onError: this.#access.failed,
  });

  readonly #liveScore = new LiveController<GaugeData>(this, {
    request: () =>
      this.live !== 'off' && this.token && this.customer && !this.#access.expired
        ? { endpoint: graphqlUrl(this.endpoint), credential: this.token }
        : null,
    // Each change carries the customer in the query's selection: no reload.
    onData: (data) => this.#query.replace(data),
    // Scores that changed while the stream was down were never sent: read the score again.
    onReconnect: () => this.#query.reload(),
    onRefused: this.#access.refused,
  });

  /** The score on display, or null before it loads or when the customer has none. */
  get score(): GaugeScore | null {
    return this.#query.state.data?.customer?.health ?? null;
  }

  protected render() {
    const state = this.#query.state;
    const { data } = state;
    const { t } = this.#i18n;
    if (!data) {
      // Expired, the query has stopped (idle, no data): "Try again" asks the page for a token.
      const expired = this.#access.expired;
      if (expired || state.status === 'error') {
        return html`<div class="status" part="status" role="alert">
          ${t(expired ? 'expired' : 'error')}
          <button type="button" @click=${expired ? this.#access.ask : () => this.#query.reload()}>${t('retry')}</button>
        </div>`;
      }
      return html`<div class="status" part="status" role="status">${t('loading')}</div>`;
    }
    const customer = data.customer;
    const health = customer?.health;
    if (!customer || !health) {
      return html`<div class="status" part="status" role="status">${t('noData')}</div>`;
    }
    return html`${this.#renderScore(customer.name, health)}${staleNotice(this.#liveScore.stale, t)}`;
  }

  #renderScore(name: string, health: GaugeScore) {
    const i18n = this.#i18n;
    const value = health.value;
    // The number shown is the one the band was computed from (the score to one decimal, as the
    // API gives it): rounded to a whole number, 50.2 would read "50 · Needs attention" under
    // bands that put 50 at risk. See the README's "Number and band".
    const shown = i18n.number(value, { fractionDigits: 1 });
    // Model v2 says when it knows too little to judge: the gauge says so beside the band, to the
    // eye and to assistive technology, so a new customer's neutral score is not read as a verdict.
    const unsure = health.flags.some((flag) => flag.code === 'NOT_ENOUGH_DATA');
    const bandName = unsure
      ? `${i18n.t(`band_${health.band}`)} (${i18n.t('notEnoughData')})`
      : i18n.t(`band_${health.band}`);
    const change = health.trend.change30d;
    // The arrow goes with the 30-day change shown beside it (the API's direction may follow the
    // 7-day change); as in the API, a change within ±1 point reads as flat.
    const direction = change === null ? health.trend.direction : change > 1 ? 'UP' : change < -1 ? 'DOWN' : 'FLAT';
    const arrow = direction === 'UP' ? '▲' : direction === 'DOWN' ? '▼' : '▶';
    const changeText =
      change === null ? '' : i18n.t('change30d', { change: i18n.number(change, { fractionDigits: 1, signed: true }) });
    return html`
      <div
        class="meter"
        part="meter"
        role="meter"
        tabindex="0"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${value}
        aria-valuetext=${i18n.t('gaugeValue', { value: shown, band: bandName })}
        aria-label=${i18n.t('gaugeNameOf', { name })}
        aria-describedby="details"
      >
        <svg part="gauge" viewBox="0 0 120 66" aria-hidden="true">
          <path class="track" d="M 10 60 A 50 50 0 0 1 110 60" pathLength="100"></path>
          <path class="arc band-${health.band}" d="M 10 60 A 50 50 0 0 1 110 60" pathLength="100" stroke-dasharray="${Math.max(0.01, value)} 100"></path>
        </svg>
        <span class="value" part="value">${shown}</span>
        <span class="band band-${health.band}" part="band">${bandName}</span>
        <span class="trend" part="trend">
          <span class=${direction.toLowerCase()} aria-hidden="true">${arrow}</span>
          <span class="visually-hidden">${i18n.t(`trend_${direction}`)}</span>
          ${changeText}
        </span>
      </div>
      <div class="details" part="details" id="details">
        <p class="heading">${i18n.t('breakdown')}</p>
        <ul>
          ${health.categories.map(
            (category) => html`<li>
              <span>${i18n.category(category)}</span>
              <span>${category.hasData && category.subScore !== null ? i18n.number(category.subScore) : i18n.t('noCategoryData')}</span>
            </li>`,
          )}
        </ul>
        ${
          health.flags.length
            ? html`<p class="heading">${i18n.t('flags')}</p>
              <ul class="flags">
                ${health.flags.map((flag) => html`<li>${i18n.flag(flag, health.categories)}</li>`)}
              </ul>`
            : nothing
        }
      </div>
    `;
  }
}
