import { html, nothing } from 'lit/html.js';
import { I18nController } from '../controllers/i18n-controller.ts';
import { PulsoRatedEvent, type RatingValue } from '../events/pulso-rated.ts';
import { afterNextPaint } from '../shared/after-next-paint.ts';
import { defaultEndpoint, graphqlUrl } from '../shared/endpoint.ts';
import { hostCss } from '../shared/theme.ts';
import { keep, newIdempotencyKey, read, release, ratedBy, type RatingInput } from './outbox.ts';
import type { SendResult } from './delivery.ts';
import { RATING_MESSAGES, type RatingKey } from './rating-messages.ts';
import { ratingCss } from './pulso-rating.styles.ts';
import { type PropertyDeclaration, TemplateElement } from '../shared/template-element.ts';
import { DAY_MS } from '@pulso/scoring';

interface Option {
  value: RatingValue;
  label: RatingKey;
  icon: string;
}

const VARIANTS: Record<'like-dislike' | 'three-levels', Option[]> = {
  'like-dislike': [
    { value: 'LIKED', label: 'like', icon: '👍' },
    { value: 'DISLIKED', label: 'dislike', icon: '👎' },
  ],
  'three-levels': [
    { value: 'LIKED', label: 'liked', icon: '😀' },
    { value: 'INDIFFERENT', label: 'indifferent', icon: '😐' },
    { value: 'WASTED_TIME', label: 'wasted', icon: '😩' },
  ],
};

type Phase = 'ask' | 'comment' | 'sending' | 'thanks' | 'queued' | 'rejected' | 'snoozed';

/**
 * The sender (delivery.ts), fetched the first time there is something to send: a product page
 * whose visitor does not rate never downloads it.
 */
const sender = () => import('./delivery.ts');

let waitingForSender = false;
/**
 * Fetches the sender and has it send the kept ratings now and retry them later. When it cannot be
 * fetched (offline, Pulso down), the ratings stay kept (outbox.ts) and the sender is fetched again
 * when the browser is back online or in 30 s, as a failed send is retried.
 */
function sendKept(): void {
  if (waitingForSender) return;
  sender().then(
    (delivery) => delivery.startRetrying(),
    () => {
      if (waitingForSender) return;
      waitingForSender = true;
      const attempt = () => {
        removeEventListener('online', attempt);
        clearTimeout(timer);
        waitingForSender = false;
        sendKept();
      };
      addEventListener('online', attempt);
      const timer = setTimeout(attempt, 30_000);
    },
  );
}

/**
 * A one-click micro-rating that sits inline in a product page: like / dislike, or "I liked it" /
 * "indifferent" / "I wasted my time", then an optional comment and a thank-you. The rating goes to
 * Pulso with the workspace's publishable key and a customer token signed by your backend; made
 * offline or during a server error, it is kept in the browser and sent later, counting once.
 * After a rating the same customer is not asked again for `ask-again-days` days.
 *
 * @summary A one-click micro-rating for product pages.
 *
 * @fires {PulsoRatedEvent} pulso-rated - The customer rated (detail: customer, rating, stage, comment, idempotencyKey, delivery).
 * @fires {PulsoCustomerTokenExpiredEvent} pulso-customer-token-expired - Pulso refused a rating's customer token as expired; the rating waits for a new one (detail: customer, token, respondWith).
 *
 * @attr {string} endpoint - Pulso's GraphQL endpoint or server origin (default: the server the script came from).
 * @attr {string} api-key - The workspace's publishable key (pulso_pk_...).
 * @attr {string} customer - The customer's external id.
 * @attr {string} customer-token - The customer token your backend signed.
 * @attr {"like-dislike" | "three-levels"} variant - The buttons (default like-dislike).
 * @attr {string} stage - Journey stage: PURCHASE, USAGE, SUPPORT, CANCELLATION, LEARNING or DEEPENING.
 * @attr {boolean} comment - Offer an optional comment after the click.
 * @attr {number} ask-again-days - Don't ask a customer who rated again for this many days (default 30; 0: always ask).
 * @attr {string} question - Replaces "Was this helpful?" (shown as text).
 * @attr {boolean} compact - Emojis only; the words stay as accessible names.
 * @attr {string} locale - en, pt-BR or es (default: the page's language, the `lang` of the element or its nearest ancestor, else the browser's).
 * @attr {"light" | "dark" | "auto"} theme - Colours: auto (default) follows the page's color-scheme; light or dark paints the widget's own background.
 *
 * @csspart group - The radio group of choices.
 * @csspart question - The question text.
 * @csspart option - Each choice button.
 * @csspart option-icon - The emoji of a choice.
 * @csspart option-label - The words of a choice.
 * @csspart comment-form - The optional comment form.
 * @csspart comment - The comment text area.
 * @csspart submit - The comment's send button.
 * @csspart skip - The comment's skip button.
 * @csspart message - The thank-you, "saved for later" or error message.
 *
 * @cssprop [--pulso-accent-color=#0969da] - Hover and selected border, send button.
 * @cssprop [--pulso-accent-text-color=#ffffff] - Text on the send button.
 * @cssprop [--pulso-option-background=transparent] - Background of a choice.
 * @cssprop [--pulso-option-selected-background] - Background of the chosen choice.
 * @cssprop [--pulso-font-family=system-ui, sans-serif] - Font.
 * @cssprop [--pulso-font-size=14px] - Base font size.
 * @cssprop [--pulso-text-color=#1f2328] - Text colour.
 * @cssprop [--pulso-muted-color=#59636e] - Secondary text colour.
 * @cssprop [--pulso-background=#ffffff] - Background of the comment box.
 * @cssprop [--pulso-border-color=#d1d9e0] - Borders.
 * @cssprop [--pulso-focus-color=#0969da] - Focus ring.
 * @cssprop [--pulso-radius=8px] - Corner radius.
 * @cssprop [--pulso-transition-duration=400ms] - Hover transitions (0 when the user prefers reduced motion).
 */
export class PulsoRating extends TemplateElement {
  static override styles = [hostCss, ratingCss];

  static override properties: Record<string, PropertyDeclaration> = {
    endpoint: {},
    apiKey: { attribute: 'api-key' },
    customer: {},
    customerToken: { attribute: 'customer-token' },
    variant: {},
    stage: {},
    comment: { type: Boolean },
    askAgainDays: { attribute: 'ask-again-days', type: Number },
    question: {},
    compact: { type: Boolean, reflect: true },
    locale: {},
    theme: { reflect: true },
    phase: { state: true },
    chosen: { state: true },
    focusIndex: { state: true },
  };

  /** Pulso's GraphQL endpoint (or the server's origin); defaults to the server the script came from. */
  declare endpoint: string;
  /** The workspace's publishable key (`pulso_pk_...`). */
  declare apiKey: string;
  /** The customer's external id; must match the customer token. */
  declare customer: string;
  /** The customer token your backend signed for this customer. */
  declare customerToken: string;
  /** `like-dislike` (default) or `three-levels`. */
  declare variant: 'like-dislike' | 'three-levels';
  /** The journey stage the widget sits in: PURCHASE, USAGE, SUPPORT, CANCELLATION, LEARNING or DEEPENING. */
  declare stage: string | undefined;
  /** Offer an optional comment after the click. */
  declare comment: boolean;
  /** Days during which a customer who rated is not asked again (default 30; 0 asks every time). */
  declare askAgainDays: number;
  /** The question, replacing the default "Was this helpful?". Shown as text. */
  declare question: string | undefined;
  /** Show the emojis only (their words stay as accessible names). */
  declare compact: boolean;
  /** `en`, `pt-BR` or `es`; defaults to the browser's language. */
  declare locale: string | undefined;
  /** `light` or `dark` whatever the page says (the widget paints its own background); unset or `auto`: the page's `color-scheme`. */
  declare theme: 'light' | 'dark' | 'auto' | undefined;

  declare private phase: Phase;
  declare private chosen: RatingValue | null;
  declare private focusIndex: number;
  #idempotencyKey = '';
  #message = '';
  /** The comment form's module, once fetched (comment-form.ts). */
  #commentForm?: typeof import('./comment-form.ts');

  readonly #i18n = new I18nController(this, RATING_MESSAGES);

  constructor() {
    super();
    this.endpoint = defaultEndpoint();
    this.apiKey = '';
    this.customer = '';
    this.customerToken = '';
    this.variant = 'like-dislike';
    this.comment = false;
    this.askAgainDays = 30;
    this.compact = false;
    this.phase = 'ask';
    this.chosen = null;
    this.focusIndex = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.phase === 'ask' && this.#recentlyAsked()) this.phase = 'snoozed';
    // Ratings left waiting (an earlier page, another tab, a lost connection): sent once the first
    // frame is painted. The first read of localStorage in a page costs 7-60 ms under 4x CPU
    // throttling, and a rating that asks every time (`ask-again-days="0"`) needs none to render.
    afterNextPaint(() => {
      if (read().length) sendKept();
    });
  }

  get #options(): Option[] {
    return VARIANTS[this.variant] ?? VARIANTS['like-dislike'];
  }

  get #askedKey(): string {
    return `pulso-widgets:asked:${this.apiKey}:${this.customer}`;
  }

  #recentlyAsked(): boolean {
    if (!(this.askAgainDays > 0)) return false;
    try {
      const at = Number(localStorage.getItem(this.#askedKey));
      return at > 0 && Date.now() - at < this.askAgainDays * DAY_MS;
    } catch {
      return false;
    }
  }

  #rememberAsked(): void {
    try {
      localStorage.setItem(this.#askedKey, String(Date.now()));
    } catch {
      // Without storage the customer may be asked again: harmless.
    }
  }

  /** Rates as if the customer had clicked; a second call while one is recorded is ignored. */
  choose(value: RatingValue): void {
    if (this.phase !== 'ask') return;
    this.chosen = value;
    this.#idempotencyKey = newIdempotencyKey();
    this.#rememberAsked();
    const input: RatingInput = {
      customerToken: this.customerToken,
      customer: this.customer,
      variant: this.variant === 'three-levels' ? 'THREE_LEVELS' : 'LIKE_DISLIKE',
      rating: value,
      journeyStage: this.stage?.toUpperCase() || null,
      idempotencyKey: this.#idempotencyKey,
    };
    // Kept before anything is sent, so that a closed tab or a lost connection loses nothing.
    keep({ endpoint: graphqlUrl(this.endpoint), apiKey: this.apiKey, input }, this.comment);
    if (this.comment) {
      // The form comes in a chunk of its own: the choice stays shown, busy, until it is here.
      this.phase = 'sending';
      import('./comment-form.ts').then(
        (form) => {
          if (!this.#commentForm) this.adoptStyles(form.commentCss);
          this.#commentForm = form;
          this.phase = 'comment';
          void this.updateComplete.then(() => this.renderRoot.querySelector('textarea')?.focus());
        },
        // It could not be fetched (offline): the rating goes without a comment, kept until it can.
        () => void this.#deliver(null),
      );
      // Fetched while the customer writes; its pagehide handler sends the rating, without the
      // comment, if the page is left first.
      sender().then((delivery) => delivery.retryLater(), sendKept);
    } else void this.#deliver(null);
  }

  async #deliver(comment: string | null): Promise<void> {
    this.phase = 'sending';
    if (this.comment) release(this.#idempotencyKey, comment);
    ratedBy.set(this.#idempotencyKey, this);
    let result: SendResult = { status: 'queued' };
    try {
      const delivery = await sender();
      result = await delivery.send(this.#idempotencyKey, this);
      if (result.status === 'queued') delivery.retryLater();
    } catch {
      // The sender could not be fetched: the rating is kept, and sent as soon as it can be.
      sendKept();
    }
    this.settled(result);
    if (result.status === 'rejected') return;
    this.dispatchEvent(
      new PulsoRatedEvent({
        customer: this.customer,
        rating: this.chosen!,
        stage: this.stage?.toUpperCase() || null,
        comment,
        idempotencyKey: this.#idempotencyKey,
        delivery: result.status,
      }),
    );
  }

  /**
   * Shows what became of the rating: at once, or later for one kept to be sent when it can (the
   * sender tells the element when it is sent or refused).
   * @internal
   */
  settled(result: SendResult): void {
    this.phase = result.status === 'sent' ? 'thanks' : result.status;
    if (result.status === 'rejected') this.#message = result.message;
  }

  #onKeyDown(event: KeyboardEvent): void {
    const last = this.#options.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: this.focusIndex + 1,
      ArrowDown: this.focusIndex + 1,
      ArrowLeft: this.focusIndex - 1,
      ArrowUp: this.focusIndex - 1,
      Home: 0,
      End: last,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    this.focusIndex = target < 0 ? last : target > last ? 0 : target;
    void this.updateComplete.then(() =>
      this.renderRoot.querySelectorAll<HTMLButtonElement>('[role=radio]')[this.focusIndex]?.focus(),
    );
  }

  protected render() {
    const { t } = this.#i18n;
    switch (this.phase) {
      case 'snoozed':
        return nothing;
      case 'ask':
      case 'sending':
        return this.#renderChoices();
      case 'comment':
        return this.#commentForm!.commentForm(t, (comment) => void this.#deliver(comment));
      case 'thanks':
        return html`<p class="message" part="message" role="status">${t('thanks')}</p>`;
      case 'queued':
        return html`<p class="message" part="message" role="status">${t('thanks')} ${t('savedOffline')}</p>`;
      case 'rejected':
        return html`<p class="message" part="message" role="alert" title=${this.#message}>${t('rejected')}</p>`;
    }
  }

  #renderChoices() {
    const { t } = this.#i18n;
    const question = this.question || t('ratingQuestion');
    const busy = this.phase === 'sending';
    // Hidden (its place kept) until its language's messages arrive: English words first would
    // move the choices when the question's width changes.
    return html`<div class="rating ${this.#i18n.ready ? '' : 'pending'}">
      <span class="question" part="question" id="question">${question}</span>
      <div class="options" part="group" role="radiogroup" aria-labelledby="question" aria-busy=${busy ? 'true' : 'false'} @keydown=${this.#onKeyDown}>
        ${this.#options.map(
          (option, index) => html`<button
            type="button"
            class="option"
            part="option"
            role="radio"
            aria-checked=${this.chosen === option.value ? 'true' : 'false'}
            tabindex=${index === this.focusIndex ? '0' : '-1'}
            @click=${() => {
              this.focusIndex = index;
              this.choose(option.value);
            }}
            @focus=${() => (this.focusIndex = index)}
          >
            <span class="icon" part="option-icon" aria-hidden="true">${option.icon}</span>
            <span class=${this.compact ? 'label visually-hidden' : 'label'} part="option-label">${t(option.label)}</span>
          </button>`,
        )}
      </div>
    </div>`;
  }
}
