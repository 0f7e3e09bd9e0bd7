import { PulsoRating } from './pulso-rating.ts';

if (!customElements.get('pulso-rating')) customElements.define('pulso-rating', PulsoRating);

declare global {
  interface HTMLElementTagNameMap {
    'pulso-rating': PulsoRating;
  }
}
