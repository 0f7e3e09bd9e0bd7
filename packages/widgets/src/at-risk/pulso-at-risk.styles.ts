// Plain CSS, minified at build time by Vite (?inline: the text, not a <link>).
import { unsafeCSS } from 'lit';
import text from './pulso-at-risk.css?inline';

export const atRiskStyles = unsafeCSS(text);
