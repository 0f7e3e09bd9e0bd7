// Which copy of the widgets a page runs. pulso.js holds its own Lit and base class (one file: gzip
// compresses each file apart, so it weighs about 0.6 KB less than the same code importing the
// per-element scripts' core), and a page may load it beside a per-element script (pulso-rating.js
// site-wide, pulso.js on the portal), which imports that core: two copies. The first to run
// claims the page, defines the elements and creates the Trusted Types policy `pulso`; the other
// creates no policy (a second one of that name is refused under the README's CSP and its script
// threw) and defines nothing: a per-element script then finds its element defined, and pulso.js
// loads the per-element scripts (its build appends that: vite.config.ts). So each element is
// defined once, by one Lit.

const KEY = Symbol.for('pulso');
const page = globalThis as { [KEY]?: true };

/** Whether this copy runs the page's widgets: no other copy of them ran before it. */
export const claimed: boolean = !page[KEY] && (page[KEY] = true);
