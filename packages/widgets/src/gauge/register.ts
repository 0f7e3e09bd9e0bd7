import { PulsoGauge } from './pulso-gauge.ts';

if (!customElements.get('pulso-gauge')) customElements.define('pulso-gauge', PulsoGauge);

declare global {
  interface HTMLElementTagNameMap {
    'pulso-gauge': PulsoGauge;
  }
}
