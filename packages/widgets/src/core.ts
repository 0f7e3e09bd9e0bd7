// What every element needs (Lit's template library, the widgets' base class, their language,
// endpoint and theme): an entry of its own, dist/pulso-core-<hash>.js, which the per-element
// scripts and pulso.js all import, so a page that loads pulso.js and a per-element script as well
// runs Lit once. Twice, its second copy would ask Trusted Types for a second `lit-html` policy,
// which the recommended CSP refuses (`trusted-types lit-html`), and the second script would fail.
// Not a file pages name: its exports are the names pulso.js imports (vite.config.ts, `--mode all`).
export { html, nothing, render } from 'lit/html.js';
export * from './controllers/i18n-controller.ts';
export * from './shared/endpoint.ts';
export * from './shared/locale.ts';
export * from './shared/template-element.ts';
export * from './shared/theme.ts';
