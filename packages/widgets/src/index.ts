// The three elements at once: the entry of dist/pulso.js, `<script type="module"
// src=".../widgets/pulso.js">`, for pages written before the per-element entries. It imports those
// entries (pulso-gauge.js, pulso-rating.js, pulso-at-risk.js), so a page that also loads one of
// them downloads nothing twice.
export { PulsoGauge, type GaugeScore } from './gauge/register.ts';
export { PulsoRating } from './rating/register.ts';
export { PulsoAtRisk, type AtRiskEntry } from './at-risk/register.ts';
export {
  PulsoRatedEvent,
  PulsoSelectEvent,
  PulsoTokenExpiringEvent,
  type PulsoRatedDetail,
  type PulsoSelectDetail,
  type PulsoTokenExpiringDetail,
  type RatingValue,
} from './events.ts';
export { LOCALES, type Locale } from './shared/locale.ts';
