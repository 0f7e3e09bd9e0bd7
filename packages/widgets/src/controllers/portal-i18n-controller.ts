// The portal widgets' words (gauge, at-risk list) and numbers: their catalogue, with the flags'
// and reasons' words, and scores in the widget's language. The rating shows no number, so this
// stays out of a product page's script.
import { fill, I18nController, type LocalizedHost } from './i18n-controller.ts';
import type { Explained, NamedCategory, Wording } from '../shared/explain.ts';
import { ownName } from '../shared/own-name.ts';
import { formatNumber, type NumberStyle } from '../shared/format-number.ts';
import { EXPLAINERS, type ExplanationKey, type MessageKey, PORTAL_MESSAGES } from '../shared/portal-messages.ts';

export class PortalI18nController extends I18nController<MessageKey, ExplanationKey> implements Wording {
  constructor(host: LocalizedHost) {
    super(host, PORTAL_MESSAGES);
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
  flag(flag: Explained, categories?: NamedCategory[]): string {
    return this.#line(this.#explainer()?.flagText(this, flag, categories) ?? flag.message);
  }

  /** An at-risk reason in the widget's language (the server's words as for flag). */
  reason(reason: Explained): string {
    return this.#line(this.#explainer()?.reasonText(this, reason) ?? reason.message);
  }

  /**
   * A flag or reason shown as a line of its own starts with a capital. Their words, the server's and
   * the catalogues', start in lower case, as they are also parts of other sentences (a silence
   * flag inside its reason). And a figure keeps its "%" on its line ("31 %" wrapped between them).
   */
  #line(text: string): string {
    return (text.charAt(0).toLocaleUpperCase(this.locale) + text.slice(1)).replace(/ %/g, '\u00a0%');
  }

  /**
   * A category's name in the widget's language: the workspace's own for it where it gave one (in
   * English too), a default category's from the catalogue, else the name as written.
   */
  category({ key, name, names }: NamedCategory): string {
    return ownName(names, this.locale) ?? this.#explainer()?.categoryName(this, key, name) ?? name;
  }

  /** The wording of the widget's language once its chunk is in; none in English (see EXPLAINERS). */
  #explainer() {
    return this.table() && EXPLAINERS[this.locale];
  }

  /** A score or change in the widget's language (see formatNumber for why not Intl). */
  readonly number = (value: number, style?: NumberStyle): string => formatNumber(this.locale, value, style);
}
