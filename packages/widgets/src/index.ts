// One module that defines the three elements: `<script type="module" src=".../widgets/pulso.js">`.
import './gauge/register.ts';
import './rating/register.ts';
import './at-risk/register.ts';

export { PulsoGauge, type GaugeScore } from './gauge/pulso-gauge.ts';
export { PulsoRating } from './rating/pulso-rating.ts';
export { PulsoAtRisk, type AtRiskEntry } from './at-risk/pulso-at-risk.ts';
export {
  PulsoRatedEvent,
  PulsoSelectEvent,
  PulsoTokenExpiringEvent,
  type PulsoRatedDetail,
  type PulsoSelectDetail,
  type PulsoTokenExpiringDetail,
  type RatingValue,
} from './events.ts';
export { LOCALES, type Locale } from './shared/messages.ts';
