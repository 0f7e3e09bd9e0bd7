// The three elements at once: the entry of dist/pulso.js, `<script type="module"
// src=".../widgets/pulso.js">`, for a page that shows the three. Built into one module with
// everything it needs (vite.config.ts, `--mode all`): gzip compresses each file on its own, and the
// per-element scripts with their shared chunks weigh more together than this one file. A page that
// also loads a per-element script works (each registration checks that its element is not defined
// yet) but downloads that element twice: load one or the other.
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
