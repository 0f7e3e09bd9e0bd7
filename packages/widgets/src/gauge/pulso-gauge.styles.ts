// Plain CSS, minified at build time by Vite (?inline: the text, not a <link>).
import { unsafeCSS } from 'lit';
import text from './pulso-gauge.css?inline';

export const gaugeStyles = unsafeCSS(text);
