// The three elements at once: the entry of dist/pulso.js, `<script type="module"
// src=".../widgets/pulso.js">`, for a page that shows the three. Built as one module that imports
// only the core the per-element scripts share (vite.config.ts, `--mode all`; src/core.ts): gzip
// compresses each file on its own, and the per-element scripts with their shared chunks weigh more
// together than these two files. A page that also loads a per-element script works (each
// registration checks that its element is not defined yet, and Lit runs once, from the core) but
// downloads that element twice: load one or the other.
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
