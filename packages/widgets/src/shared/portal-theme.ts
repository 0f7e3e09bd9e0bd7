// The portal widgets' (gauge, at-risk list) styles: theme.css with what they add (the bands'
// colours, the live widgets' "may be out of date" line), adopted as they are (template-element.ts).
// A product page's rating carries none of it.
import { html } from 'lit/html.js';
import portalCss from './portal.css?inline';

export { portalCss };

/**
 * The live widgets' "may be out of date" line: a status region always in place (empty while live),
 * so that assistive technology announces the words when they appear, and again when they go.
 */
export function staleNotice(stale: boolean, t: (key: 'stale') => string) {
  return html`<p class="stale" part="stale" role="status">${stale ? t('stale') : ''}</p>`;
}
