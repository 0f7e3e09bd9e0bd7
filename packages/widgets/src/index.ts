// The three elements at once: the entry of dist/pulso.js, `<script type="module"
// src=".../widgets/pulso.js">`, for a page that shows the three. Built as one file with its own
// Lit (vite.config.ts, `--mode all`): gzip compresses each file on its own, and one file weighs
// less than the per-element scripts with their chunks, or than this code importing their core. A
// page that also loads a per-element script works (whichever runs first defines every element:
// shared/claim.ts) but downloads that element twice: load one or the other.
export { PulsoGauge, type GaugeScore } from './gauge/register.ts';
export { PulsoRating } from './rating/register.ts';
export { PulsoAtRisk, type AtRiskEntry } from './at-risk/register.ts';
export type { PulsoCustomerTokenExpiredEvent, PulsoCustomerTokenExpiredDetail } from './events.ts';
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
