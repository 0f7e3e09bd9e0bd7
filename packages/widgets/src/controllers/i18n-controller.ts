// Words and numbers in the widget's language: the host's `locale` property when it names a
// supported language, else the page's language (the `lang` of the element or its nearest ancestor,
// across shadow roots, up to the document's), else the first supported one among the browser's
// languages, else English. A pt-BR page shows pt-BR widgets without a `locale` on each of them.
// Hosts re-render when the browser's languages change.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  type ExplanationKey,
  LOADERS,
  MESSAGES,
  matchLocale,
  type Locale,
  type MessageKey,
} from '../shared/messages.ts';
import { formatNumber, type NumberStyle } from '../shared/format-number.ts';

export interface LocalizedHost extends ReactiveControllerHost, Element {
  locale?: string | undefined;
}

/** The `lang` in force at an element: its own or its nearest ancestor's, through shadow hosts; null when none says. */
export function pageLanguage(element: Element): string | null {
  let node: Element | null = element;
  while (node) {
    const found: Element | null = node.closest('[lang]');
    if (found) return found.getAttribute('lang');
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return null;
}

function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
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
    const chosen = matchLocale(this.host.locale) ?? matchLocale(pageLanguage(this.host));
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

  /** The table of the widget's language; undefined while it is on its way (asked for on first use). */
  #table() {
    const locale = this.locale;
    const table = MESSAGES[locale];
    if (!table && this.#loading !== locale) {
      this.#loading = locale;
      void LOADERS[locale as Exclude<Locale, 'en'>]().then((m) => {
        MESSAGES[locale] = m.default;
        this.host.requestUpdate();
      });
    }
    return table;
  }

  /**
   * A message with its {placeholders} filled in. In a language not loaded yet, English until its
   * chunk arrives (the widgets reserve their layout, so the switch moves nothing around them).
   */
  readonly t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    fill((this.#table() ?? MESSAGES.en!)[key], params);

  /**
   * A flag's, reason's or category's words in the widget's language; null in English (the
   * server's words are shown) and while the language's messages are on their way.
   */
  readonly phrase = (key: ExplanationKey, params: Record<string, string | number> = {}): string | null => {
    const text = this.#table()?.[key];
    return text === undefined ? null : fill(text, params);
  };

  /** A score or change in the widget's language (see formatNumber for why not Intl). */
  readonly number = (value: number, style?: NumberStyle): string => formatNumber(this.locale, value, style);
}
