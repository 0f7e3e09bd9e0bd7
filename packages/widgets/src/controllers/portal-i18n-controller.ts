// The portal widgets' words (gauge, at-risk list) and numbers: their catalogue, with the flags'
// and reasons' words, and scores in the widget's language. The rating shows no number, so this
// stays out of a product page's script.
import { fill, I18nController, type LocalizedHost } from './i18n-controller.ts';
import type { Explained, Wording } from '../shared/explain.ts';
import { formatNumber, type NumberStyle } from '../shared/format-number.ts';
import {
  EXPLAINERS,
  type ExplanationKey,
  type MessageKey,
  PORTAL_MESSAGES,
  SPEAKERS,
} from '../shared/portal-messages.ts';

export class PortalI18nController extends I18nController<MessageKey, ExplanationKey> implements Wording {
  readonly #host: LocalizedHost;

  constructor(host: LocalizedHost) {
    super(host, PORTAL_MESSAGES);
    this.#host = host;
  }

  // On the page: told when a language's chunk arrives after a failed fetch (portal-messages.ts).
  // The controller registers, not its host: an element upgraded in place connects in its
  // constructor, inside super() here, before this class's fields exist.
  override hostConnected(): void {
    super.hostConnected();
    SPEAKERS.add(this);
  }

  override hostDisconnected(): void {
    super.hostDisconnected();
    SPEAKERS.delete(this);
  }

  /** Renders the host again, in the language whose chunk just arrived. */
  requestUpdate(): void {
    this.#host.requestUpdate();
  }

  /**
   * A flag's, reason's or category's words in the widget's language; null in English (the
   * server's words are shown) and while the language's messages are on their way.
   */
  readonly phrase = (key: ExplanationKey, params: Record<string, string | number> = {}): string | null => {
    const text = this.table()?.[key];
    return text === undefined ? null : fill(text, params);
  };

  /**
   * A flag in the widget's language (`categories`: the score's own, to name those a flag lists); the
   * server's words in English and while the language's chunk is on its way.
   */
  flag(flag: Explained, categories?: { key: string; name: string }[]): string {
    return this.#explainer()?.flagText(this, flag, categories) ?? flag.message;
  }

  /** An at-risk reason in the widget's language (the server's words as for flag). */
  reason(reason: Explained): string {
    return this.#explainer()?.reasonText(this, reason) ?? reason.message;
  }

  /** A category's name: a default category's in the widget's language, a workspace's own as written. */
  category(key: string, name: string): string {
    return this.#explainer()?.categoryName(this, key, name) ?? name;
  }

  /** The wording of the widget's language once its chunk is in; none in English (see EXPLAINERS). */
  #explainer() {
    return this.table() && EXPLAINERS[this.locale];
  }

  /** A score or change in the widget's language (see formatNumber for why not Intl). */
  readonly number = (value: number, style?: NumberStyle): string => formatNumber(this.locale, value, style);
}
