// Words and numbers in the widget's language: the host's `locale` property when it names a
// supported language, else the first supported one among the browser's languages, else English.
// Hosts re-render when the browser's languages change.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MESSAGES, matchLocale, type Locale, type MessageKey } from '../shared/messages.ts';

export interface LocalizedHost extends ReactiveControllerHost {
  locale?: string | undefined;
}

export class I18nController implements ReactiveController {
  constructor(private readonly host: LocalizedHost) {
    host.addController(this);
  }

  private readonly onLanguageChange = () => this.host.requestUpdate();

  hostConnected(): void {
    window.addEventListener('languagechange', this.onLanguageChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('languagechange', this.onLanguageChange);
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

  /** A message with its {placeholders} filled in. */
  readonly t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    MESSAGES[this.locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

  readonly number = (value: number, options: Intl.NumberFormatOptions = { maximumFractionDigits: 0 }): string =>
    new Intl.NumberFormat(this.locale, options).format(value);
}
