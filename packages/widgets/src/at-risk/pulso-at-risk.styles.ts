// Plain CSS, minified at build time by Vite (?inline: the text, not a <link>), adopted as it is
// (see shared/template-element.ts).
import atRiskCss from './pulso-at-risk.css?inline';

export { atRiskCss };
