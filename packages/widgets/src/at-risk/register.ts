import { PulsoAtRisk } from './pulso-at-risk.ts';

if (!customElements.get('pulso-at-risk')) customElements.define('pulso-at-risk', PulsoAtRisk);

declare global {
  interface HTMLElementTagNameMap {
    'pulso-at-risk': PulsoAtRisk;
  }
}
