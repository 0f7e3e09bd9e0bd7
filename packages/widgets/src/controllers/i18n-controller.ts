// Words in the widget's language: the host's `locale` property when it names a supported
// language, else the page's language (the `lang` of the element or its nearest ancestor, across
// shadow roots, up to the document's), else the first supported one among the browser's
// languages, else English. A pt-BR page shows pt-BR widgets without a `locale` on each of them.
// Hosts re-render when the page's language changes (a `lang` set anywhere in the document: an app
// switching languages without a reload) and when the browser's languages change. Each element
// brings its own catalogue (the rating's words, the portal widgets' words): a page pays only for
// the words it shows.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { matchLocale, type Locale } from '../shared/locale.ts';

export interface LocalizedHost extends ReactiveControllerHost, Element {
  locale?: string | undefined;
}

/**
 * An element's words: English in its script (a page in English makes no second request), the
 * other languages in chunks of their own, fetched beside the script the first time a widget
 * speaks them. `K`: the messages every language has; `X`: words only the other languages have
 * (the portal widgets' flags and reasons: in English the server's own words are shown).
 */
export interface Catalogue<K extends string, X extends string = never> {
  /** The tables at hand: English from the start, the others as they arrive. */
  tables: Partial<Record<Locale, Record<K, string> & Partial<Record<X, string>>>>;
  load: Record<Exclude<Locale, 'en'>, () => Promise<{ default: Record<K | X, string> }>>;
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

/** The widgets with words on the page: each renders again when the page's language may have changed. */
export const SPEAKING = new Set<ReactiveControllerHost>();
const speakAgain = () => {
  for (const host of SPEAKING) host.requestUpdate();
};
// One listener and one observer for the page, from the script's start (a page without widgets yet
// gets one later). The observer sees the document's own tree: a `lang` changed inside an app's
// shadow root is seen at the widget's next render.
addEventListener('languagechange', speakAgain);
new MutationObserver(speakAgain).observe(document, { subtree: true, attributeFilter: ['lang'] });

export function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export class I18nController<K extends string, X extends string = never> implements ReactiveController {
  readonly #host: LocalizedHost;
  readonly #catalogue: Catalogue<K, X>;

  constructor(host: LocalizedHost, catalogue: Catalogue<K, X>) {
    this.#host = host;
    this.#catalogue = catalogue;
    host.addController(this);
  }

  hostConnected(): void {
    SPEAKING.add(this.#host);
  }

  hostDisconnected(): void {
    SPEAKING.delete(this.#host);
  }

  /** The locale found for the current update (found again at each: see hostUpdate). */
  #found?: Locale;

  /** An update may follow a change of language (the `locale` property, a `lang`, the browser's). */
  hostUpdate(): void {
    this.#found = undefined;
  }

  // Found once per update rather than at each message (a render asks for it five to ten times, each
  // walking up the DOM for a `lang`).
  get locale(): Locale {
    return (this.#found ??= this.#find());
  }

  #find(): Locale {
    const chosen = matchLocale(this.#host.locale) ?? matchLocale(pageLanguage(this.#host));
    if (chosen) return chosen;
    for (const tag of navigator.languages) {
      const match = matchLocale(tag);
      if (match) return match;
    }
    return 'en';
  }

  #loading?: Locale;

  /** False while the messages of the widget's language are on their way. */
  get ready(): boolean {
    return !!this.#catalogue.tables[this.locale];
  }

  /**
   * The table of the widget's language; undefined while it is on its way (asked for on first use).
   * When its chunk cannot be fetched, English takes its place rather than the widget staying hidden.
   * This controller does not ask again (browsers keep a module that failed to load as failed for the
   * page, so the same import would fail too); a catalogue may, under a URL of its own
   * (portal-messages.ts).
   */
  protected table() {
    const locale = this.locale;
    const { tables, load } = this.#catalogue;
    const table = tables[locale];
    if (!table && this.#loading !== locale) {
      this.#loading = locale;
      void load[locale as Exclude<Locale, 'en'>]()
        .then(
          (m) => (tables[locale] = m.default),
          () => (tables[locale] = tables.en),
        )
        .then(() => this.#host.requestUpdate());
    }
    return table;
  }

  /**
   * A message with its {placeholders} filled in. In a language not loaded yet, English until its
   * chunk arrives (the widgets reserve their layout, so the switch moves nothing around them).
   */
  readonly t = (key: K, params: Record<string, string | number> = {}): string =>
    fill((this.table() ?? this.#catalogue.tables.en!)[key], params);
}
