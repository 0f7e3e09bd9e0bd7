// What every element needs (Lit's template library, the widgets' base class, their language,
// endpoint and theme): an entry of its own, dist/pulso-core-<hash>.js, which the per-element
// scripts all import, so a page that loads several of them runs Lit once. (pulso.js holds its own
// copy of all this: see shared/claim.ts for a page that loads it beside a per-element script.)
// Not a file pages name: an entry's export names stay as written in every file that imports them,
// so each is exported under a short name. One line per module, each value another script or chunk
// takes from it listed (a value only the core uses is not exported).
export { html as h, nothing as n } from 'lit/html.js';
export { I18nController as I, SPEAKING as S, fill as f } from './controllers/i18n-controller.ts';
export { afterNextPaint as A } from './shared/after-next-paint.ts';
export { defaultEndpoint as d, graphqlUrl as g } from './shared/endpoint.ts';
export { LOCALES as L } from './shared/locale.ts';
export { TemplateElement as T } from './shared/template-element.ts';
export { hostCss as c } from './shared/theme.ts';
