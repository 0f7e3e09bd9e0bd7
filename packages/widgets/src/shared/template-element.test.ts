// The widgets' base class does what the widgets relied on LitElement for: attributes and properties
// in step (converted, reflected), one render per batch of changes, properties a framework set
// before the element was defined, controllers, and styles adopted now or later.
import { html } from 'lit/html.js';
import type { ReactiveController } from 'lit';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers.ts';
import { type PropertyDeclaration, TemplateElement } from './template-element.ts';

let defined = 0;

/** A new element class (and tag) per test: a tag is defined once per page. */
function defineElement(calls: string[] = []) {
  class Sample extends TemplateElement {
    static override properties: Record<string, PropertyDeclaration> = {
      label: {},
      wide: { type: Boolean, reflect: true },
      count: { attribute: 'item-count', type: Number },
      mode: { reflect: true },
      secret: { state: true },
    };
    static override styles = ['p { margin: 3px; }'];
    declare label: string;
    declare wide: boolean;
    declare count: number | null;
    declare mode: string | undefined;
    declare secret: string;
    renders = 0;

    constructor() {
      super();
      this.label = 'none';
      this.wide = false;
      this.count = 0;
    }

    override adoptStyles(text: string): void {
      super.adoptStyles(text);
    }

    protected render() {
      this.renders += 1;
      calls.push('render');
      return html`<p>${this.label} ${this.count} ${this.wide ? 'wide' : 'narrow'} ${this.secret ?? ''}</p>`;
    }
  }
  const tag = `sample-template-${++defined}`;
  return { tag, define: () => customElements.define(tag, Sample), Sample };
}

const text = (el: HTMLElement) => el.shadowRoot!.textContent!.replace(/\s+/g, ' ').trim();

describe('TemplateElement', () => {
  it('keeps attributes and properties in step: text, booleans, numbers; reflects what it declares', async () => {
    const { tag, define } = defineElement();
    define();
    const el = await fixture(() => {
      const created = document.createElement(tag) as HTMLElement & Record<string, unknown>;
      created.setAttribute('label', 'hello');
      created.setAttribute('item-count', '7');
      created.setAttribute('wide', '');
      return created;
    });
    const sample = el as unknown as InstanceType<ReturnType<typeof defineElement>['Sample']>;
    expect([sample.label, sample.count, sample.wide]).toEqual(['hello', 7, true]);
    expect(text(el)).toBe('hello 7 wide');
    sample.wide = false;
    sample.mode = 'dark';
    sample.label = 'set';
    sample.secret = 'state';
    await sample.updateComplete;
    expect(el.hasAttribute('wide')).toBe(false);
    expect(el.getAttribute('mode')).toBe('dark');
    // Not reflected: the attribute keeps what the page wrote; state has no attribute at all.
    expect(el.getAttribute('label')).toBe('hello');
    expect(el.hasAttribute('secret')).toBe(false);
    expect(text(el)).toBe('set 7 narrow state');
    el.removeAttribute('item-count');
    await sample.updateComplete;
    expect(sample.count).toBeNull();
  });

  it('renders once for changes made together, after them', async () => {
    const { tag, define } = defineElement();
    define();
    const el = (await fixture(() => document.createElement(tag))) as unknown as InstanceType<
      ReturnType<typeof defineElement>['Sample']
    >;
    const before = el.renders;
    el.label = 'a';
    el.count = 1;
    el.setAttribute('wide', '');
    expect(el.renders).toBe(before);
    await el.updateComplete;
    expect(el.renders).toBe(before + 1);
    expect(text(el)).toBe('a 1 wide');
  });

  it('keeps a property set before its class was defined, as a framework may', async () => {
    const { tag, define } = defineElement();
    const el = document.createElement(tag) as HTMLElement & { label?: string; updateComplete?: Promise<unknown> };
    el.label = 'early';
    document.body.append(el);
    try {
      define();
      await el.updateComplete;
      expect(el.label).toBe('early');
      expect(text(el)).toBe('early 0 narrow');
    } finally {
      el.remove();
    }
  });

  it('tells its controllers of connection, each update before it renders, and disconnection; adopts styles given now or later', async () => {
    const calls: string[] = [];
    const { tag, define } = defineElement(calls);
    define();
    const el = document.createElement(tag) as unknown as InstanceType<ReturnType<typeof defineElement>['Sample']>;
    const controller: ReactiveController = {
      hostConnected: () => calls.push('connected'),
      hostDisconnected: () => calls.push('disconnected'),
      hostUpdate: () => calls.push('update'),
      // Not called: no widget's controller needs it (template-element.ts).
      hostUpdated: () => calls.push('updated'),
    };
    el.addController(controller);
    document.body.append(el);
    await el.updateComplete;
    expect(calls).toEqual(['connected', 'update', 'render']);
    const p = el.shadowRoot!.querySelector('p')!;
    expect(getComputedStyle(p).marginTop).toBe('3px');
    el.adoptStyles('p { margin-top: 9px; }');
    expect(getComputedStyle(p).marginTop).toBe('9px');
    el.remove();
    expect(calls.at(-1)).toBe('disconnected');
  });
});
