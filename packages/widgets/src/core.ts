// What every element needs (Lit's template library, the widgets' base class, their language,
// endpoint and theme): an entry of its own, dist/pulso-core-<hash>.js, which the per-element
// scripts and pulso.js all import, so a page that loads pulso.js and a per-element script as well
// runs Lit once. Twice, its second copy would ask Trusted Types for a second `pulso` policy (the
// widgets' Lit's, renamed at build: vite.config.ts), which the recommended CSP refuses
// (`trusted-types pulso`), and the second script would fail.
// Not a file pages name: pulso.js imports these short names (vite.config.ts, `--mode all`), and an
// entry's export names stay as written in every file that imports them. One line per module, each
// value it exports listed: the build of pulso.js refuses an import of a name missing here.
export { html as h, nothing as n, render as r } from 'lit/html.js';
export { I18nController as I, fill as f, pageLanguage as p } from './controllers/i18n-controller.ts';
export { afterNextPaint as A } from './shared/after-next-paint.ts';
export { defaultEndpoint as d, graphqlUrl as g } from './shared/endpoint.ts';
export { LOCALES as L, matchLocale as m } from './shared/locale.ts';
export { TemplateElement as T } from './shared/template-element.ts';
export { hostCss as c } from './shared/theme.ts';
