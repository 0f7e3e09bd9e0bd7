// What the portal widgets (gauge, at-risk list) share beyond theme.ts: the bands' colours and the
// live widgets' "may be out of date" line. A product page's rating carries none of it.
import { html, unsafeCSS } from 'lit';
import portalCss from './portal.css?inline';

export const portalStyles = unsafeCSS(portalCss);

/**
 * The live widgets' "may be out of date" line: a status region always in place (empty while live),
 * so that assistive technology announces the words when they appear, and again when they go.
 */
export function staleNotice(stale: boolean, t: (key: 'stale') => string) {
  return html`<p class="stale" part="stale" role="status">${stale ? t('stale') : ''}</p>`;
}
