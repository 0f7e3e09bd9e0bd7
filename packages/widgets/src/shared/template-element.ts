// The widgets' base class: a custom element that renders a Lit template (lit-html, Lit's template
// library) with what the widgets use of LitElement, and the same declarations: `static properties`
// kept in step with their attributes (strings, booleans, numbers; some reflected), one render a
// microtask after changes (`updateComplete`), reactive controllers (told of connection,
// disconnection and each update before it renders: no widget's controller needs `hostUpdated`, so it
// is not called), and stylesheets adopted by an open shadow root. Why not LitElement: its reactive base (ReactiveElement) weighs about 2.5 KB
// gzipped, a third of what a product page may load for the rating (8 KB, Lit included: issue
// #17), and the widgets use little of its generality (no decorators, converters, lifecycle hooks
// beyond render). First written for the rating; the gauge and the at-risk list render from it too,
// so a page with the three carries one base class and no ReactiveElement.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { render } from 'lit/html.js';

/** A property's declaration, as LitElement's. */
export interface PropertyDeclaration {
  /** Its attribute (default: the property's name in lower case). */
  attribute?: string;
  /** Boolean: present or not; Number: the attribute's text as a number; else the text itself. */
  type?: BooleanConstructor | NumberConstructor | StringConstructor;
  /** Written back to its attribute after each change (for `:host([...])` styles). */
  reflect?: boolean;
  /** Internal state: no attribute. */
  state?: boolean;
}

// The classes that declared their properties (accessors installed), and their attributes.
const finished = new WeakMap<object, Map<string, string>>();
const canAdopt = 'adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype;
/**
 * One stylesheet per text for the whole page: the theme is in every element's styles and the
 * portal's in two, and parsing a sheet (replaceSync) was the largest single cost of a first render
 * in a CPU profile of the demo page loading pulso.js (13-130 ms of 100-450 ms, 4x throttling).
 */
const parsed = new Map<string, CSSStyleSheet>();
function sheetOf(text: string): CSSStyleSheet {
  let sheet = parsed.get(text);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    parsed.set(text, sheet);
  }
  return sheet;
}

export abstract class TemplateElement extends HTMLElement implements ReactiveControllerHost {
  static properties: Record<string, PropertyDeclaration> = {};
  /** The stylesheets' text, adopted by every instance's shadow root. */
  static styles: string[] = [];

  /** Installs the properties' accessors and names the attributes (customElements.define asks once). */
  static get observedAttributes(): string[] {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class being defined, with its own properties.
    return [...TemplateElement.#declare(this).keys()];
  }

  /** A class's attributes (to their properties), its properties' accessors installed the first time. */
  static #declare(type: typeof TemplateElement): Map<string, string> {
    let attributes = finished.get(type);
    if (attributes) return attributes;
    attributes = new Map();
    for (const [name, declaration] of Object.entries(type.properties)) {
      if (!declaration.state) attributes.set(declaration.attribute ?? name.toLowerCase(), name);
      Object.defineProperty(type.prototype, name, {
        get(this: TemplateElement) {
          return this.#values.get(name);
        },
        set(this: TemplateElement, value: unknown) {
          if (Object.is(this.#values.get(name), value)) return;
          this.#values.set(name, value);
          if (declaration.reflect) this.#reflect.add(name);
          this.requestUpdate();
        },
        configurable: true,
      });
    }
    finished.set(type, attributes);
    return attributes;
  }

  readonly #values = new Map<string, unknown>();
  readonly #reflect = new Set<string>();
  readonly #controllers = new Set<ReactiveController>();
  /** Properties set on the element before its class was defined (a framework may): applied at the first update. */
  readonly #early = new Map<string, unknown>();
  /** The attribute this element is writing itself, not to be read back. */
  #writing = '';
  #pending = false;
  #lastStyle?: HTMLStyleElement;
  #open!: (value: boolean) => void;
  /** The last update: the first waits for the first connection. */
  #updated = new Promise<boolean>((resolve) => {
    this.#open = resolve;
  });
  readonly renderRoot: ShadowRoot;

  constructor() {
    super();
    const type = this.constructor as typeof TemplateElement;
    for (const name of Object.keys(type.properties)) {
      if (Object.hasOwn(this, name)) {
        this.#early.set(name, this[name as keyof this]);
        delete this[name as keyof this];
      }
    }
    this.renderRoot = this.attachShadow({ mode: 'open' });
    if (canAdopt) this.renderRoot.adoptedStyleSheets = type.styles.map(sheetOf);
    else for (const text of type.styles) this.adoptStyles(text);
    this.requestUpdate();
  }

  /** Adds a stylesheet to the shadow root (styles that come with a part fetched later). */
  protected adoptStyles(text: string): void {
    if (canAdopt) this.renderRoot.adoptedStyleSheets = [...this.renderRoot.adoptedStyleSheets, sheetOf(text)];
    else {
      // Browsers before constructable stylesheets (Safari 16.3 and older): <style> elements, in
      // order, before the content.
      const style = document.createElement('style');
      style.textContent = text;
      this.renderRoot.insertBefore(style, this.#lastStyle ? this.#lastStyle.nextSibling : this.renderRoot.firstChild);
      this.#lastStyle = style;
    }
  }

  addController(controller: ReactiveController): void {
    this.#controllers.add(controller);
    if (this.isConnected) controller.hostConnected?.();
  }

  removeController(controller: ReactiveController): void {
    this.#controllers.delete(controller);
  }

  connectedCallback(): void {
    this.#open(true);
    for (const controller of this.#controllers) controller.hostConnected?.();
  }

  disconnectedCallback(): void {
    for (const controller of this.#controllers) controller.hostDisconnected?.();
  }

  attributeChangedCallback(attribute: string, _old: string | null, text: string | null): void {
    if (attribute === this.#writing) return;
    const name = finished.get(this.constructor)!.get(attribute)!;
    const type = (this.constructor as typeof TemplateElement).properties[name]!.type;
    (this as Record<string, unknown>)[name] =
      type === Boolean ? text !== null : type === Number ? (text === null ? null : Number(text)) : text;
  }

  /** Renders again in a microtask (changes made meanwhile render once). */
  requestUpdate(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#updated = this.#enqueue(this.#updated);
  }

  async #enqueue(previous: Promise<boolean>): Promise<boolean> {
    await previous;
    this.#update();
    return !this.#pending;
  }

  /** Resolves once the element has rendered every change made so far. */
  get updateComplete(): Promise<boolean> {
    return this.#updated.then((done) => done || this.updateComplete);
  }

  #update(): void {
    for (const [name, value] of this.#early) (this as Record<string, unknown>)[name] = value;
    this.#early.clear();
    for (const controller of this.#controllers) controller.hostUpdate?.();
    for (const name of this.#reflect) {
      const declaration = (this.constructor as typeof TemplateElement).properties[name]!;
      const attribute = declaration.attribute ?? name.toLowerCase();
      const value = this.#values.get(name);
      this.#writing = attribute;
      if (value === false || value == null) this.removeAttribute(attribute);
      else this.setAttribute(attribute, value === true ? '' : String(value));
      this.#writing = '';
    }
    this.#reflect.clear();
    render(this.render(), this.renderRoot, { host: this });
    this.#pending = false;
  }

  /** The element's content: a Lit template (or `nothing`). */
  protected abstract render(): unknown;
}
