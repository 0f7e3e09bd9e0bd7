// The portal widgets' words (<pulso-gauge>, <pulso-at-risk>): English here, the other languages in
// chunks of their own (see Catalogue). Plain strings with {placeholders}: they are rendered as text
// by Lit, never parsed as HTML. The rating has its own (rating/rating-messages.ts).
import { type Catalogue, SPEAKING } from '../controllers/i18n-controller.ts';
import type { Locale } from './locale.ts';
import { RETRY_MS } from './retry.ts';

const en = {
  loading: 'Loading…',
  error: 'Could not load the data.',
  retry: 'Try again',
  noData: 'No score yet',
  band_AT_RISK: 'At risk',
  band_NEEDS_ATTENTION: 'Needs attention',
  band_HEALTHY: 'Healthy',
  gaugeNameOf: 'Health score of {name}',
  gaugeValue: '{value} out of 100, {band}',
  notEnoughData: 'not enough data yet',
  change30d: '{change} in 30 days',
  trend_UP: 'rising',
  trend_DOWN: 'falling',
  trend_FLAT: 'steady',
  breakdown: 'By category',
  noCategoryData: 'no data',
  flags: 'Flags',
  atRiskTitle: 'Customers at risk',
  atRiskEmpty: 'No customer is at risk.',
  daysSince: 'Last interaction {days} days ago',
  daysSinceOne: 'Last interaction 1 day ago',
  daysSinceToday: 'Last interaction today',
  daysSinceNone: 'No interaction yet',
  loadMore: 'Load more',
  score: 'Score',
  stale: 'Connection lost: this may be out of date.',
  expired: 'Access to this data has expired.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

/**
 * The words of flags, at-risk reasons and the default categories' names, by code or key (see
 * explain.ts). Only the other languages have them: in English the server's own words are shown.
 */
export type ExplanationKey =
  | 'category_engagement'
  | 'category_product_usage'
  | 'category_support'
  | 'category_commercial'
  | 'category_satisfaction'
  | 'flag_NO_DATA'
  | 'flag_SILENCE'
  | 'flag_SILENCE_complaints'
  | 'flag_SILENCE_later'
  | 'flag_SILENCE_never'
  | 'flag_UPSELL_DISCOUNTED'
  | 'flag_UPSELL_DISCOUNTED_noData'
  | 'flag_UPSELL_DISCOUNTED_v1'
  | 'flag_UPSELL_DISCOUNTED_v1_noData'
  | 'flag_WASTED_TIME'
  | 'flag_WASTED_TIME_one'
  | 'flag_WEIGHT_REDISTRIBUTED'
  | 'flag_MANUAL_ASSESSMENT'
  | 'flag_NOT_ENOUGH_DATA'
  | 'flag_ACTIVITY_FALLING'
  | 'flag_GRAVE_SIGNALS'
  | 'reason_NO_DATA'
  | 'reason_SILENCE'
  | 'reason_SILENCE_complaints'
  | 'reason_SILENCE_later'
  | 'reason_SCORE_DROP'
  | 'reason_NEGATIVE_INTERACTION'
  | 'reason_WEAK_CATEGORY'
  | 'reason_LOW_SCORE';

/** A language's table: the widgets' words, and the explanations'. */
export type PortalTranslation = Messages & Record<ExplanationKey, string>;

/**
 * How a language words flags, reasons and category names from their codes (explain.ts), kept as
 * its chunk arrives. English has none (the server's own words are shown), so the code lives in the
 * other languages' chunks, not in the scripts: a page in English never downloads it.
 */
export type Explainer = Pick<typeof import('./explain.ts'), 'flagText' | 'reasonText' | 'categoryName'>;
export const EXPLAINERS: Partial<Record<Locale, Explainer>> = {};

/**
 * A language's chunk: its table, and its explainer kept once the chunk (and explain.ts) is in. When
 * the chunk cannot be fetched (the network, Pulso restarting), the widgets speak English (their
 * words, and the server's for flags and reasons) while it is asked for again in the background, as
 * the live connection's chunk is (after RETRY_MS, longer each time): a portal left open switches to
 * its language once the chunk is in, without a reload. A retry asks for the chunk under a URL of
 * its own (`?retry=N`, `source` relative to this module, the build writing the chunk's file name
 * there: vite.config.ts, finishChunks): browsers keep a module that failed to load as failed for the
 * page's life, so the same URL would fail at once.
 */
const language = <M extends { default: PortalTranslation } & Explainer>(
  locale: Locale,
  source: string,
  load: () => Promise<M>,
) => {
  const keep = (module: M) => {
    EXPLAINERS[locale] = module;
    return module;
  };
  const retry = (failed: number, pause: number): unknown =>
    setTimeout(
      () =>
        (import(/* @vite-ignore */ `${source}?retry=${failed}`) as Promise<M>).then(
          (module) => {
            PORTAL_MESSAGES.tables[locale] = keep(module).default;
            for (const host of SPEAKING) host.requestUpdate();
          },
          () => retry(failed + 1, Math.min(pause * 2, RETRY_MS.max)),
        ),
      pause,
    );
  // One fetch (and one round of retries) for all the widgets that ask.
  let fetched: Promise<{ default: PortalTranslation }> | undefined;
  return () =>
    (fetched ??= load().then(keep, () => {
      retry(1, RETRY_MS.first);
      // English in the meantime: it has no explanation keys, so flags and reasons keep the server's words.
      return { default: en as PortalTranslation };
    }));
};

export const PORTAL_MESSAGES: Catalogue<MessageKey, ExplanationKey> = {
  tables: { en },
  load: {
    'pt-BR': language('pt-BR', './portal-messages-pt-BR.ts', () => import('./portal-messages-pt-BR.ts')),
    es: language('es', './portal-messages-es.ts', () => import('./portal-messages-es.ts')),
  },
};
