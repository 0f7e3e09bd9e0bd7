// Words and numbers in the widget's language: the host's `locale` property when it names a
// supported language, else the first supported one among the browser's languages, else English.
// Hosts re-render when the browser's languages change.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LOADERS, MESSAGES, matchLocale, type Locale, type MessageKey } from '../shared/messages.ts';
import { formatNumber, type NumberStyle } from '../shared/format-number.ts';

export interface LocalizedHost extends ReactiveControllerHost {
  locale?: string | undefined;
}

export class I18nController implements ReactiveController {
  constructor(private readonly host: LocalizedHost) {
    host.addController(this);
  }

  readonly #onLanguageChange = () => this.host.requestUpdate();

  hostConnected(): void {
    window.addEventListener('languagechange', this.#onLanguageChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('languagechange', this.#onLanguageChange);
  }

  get locale(): Locale {
    const chosen = matchLocale(this.host.locale);
    if (chosen) return chosen;
    for (const tag of navigator.languages ?? [navigator.language]) {
      const match = matchLocale(tag);
      if (match) return match;
    }
    return 'en';
  }

  #loading?: Locale;

  /** False while the messages of the widget's language are on their way. */
  get ready(): boolean {
    return !!MESSAGES[this.locale];
  }

  /**
   * A message with its {placeholders} filled in. In a language not loaded yet, English until its
   * chunk arrives (the widgets reserve their layout, so the switch moves nothing around them).
   */
  readonly t = (key: MessageKey, params: Record<string, string | number> = {}): string => {
    const locale = this.locale;
    const table = MESSAGES[locale];
    if (!table && this.#loading !== locale) {
      this.#loading = locale;
      void LOADERS[locale as Exclude<Locale, 'en'>]().then((m) => {
        MESSAGES[locale] = m.default;
        this.host.requestUpdate();
      });
    }
    return (table ?? MESSAGES.en!)[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  };

  /** A score or change in the widget's language (see formatNumber for why not Intl). */
  readonly number = (value: number, style?: NumberStyle): string => formatNumber(this.locale, value, style);
}
