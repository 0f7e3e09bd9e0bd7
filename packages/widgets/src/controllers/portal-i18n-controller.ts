// The portal widgets' words (gauge, at-risk list) and numbers: their catalogue, with the flags'
// and reasons' words, and scores in the widget's language. The rating shows no number, so this
// stays out of a product page's script.
import { fill, I18nController, type LocalizedHost } from './i18n-controller.ts';
import type { Wording } from '../shared/explain.ts';
import { formatNumber, type NumberStyle } from '../shared/format-number.ts';
import { type ExplanationKey, type MessageKey, PORTAL_MESSAGES } from '../shared/portal-messages.ts';

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

  /** A score or change in the widget's language (see formatNumber for why not Intl). */
  readonly number = (value: number, style?: NumberStyle): string => formatNumber(this.locale, value, style);
}
