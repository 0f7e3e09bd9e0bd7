// The rating's words: English here, the other languages in chunks of their own (see Catalogue).
// Plain strings, rendered as text by Lit, never parsed as HTML.
import type { Catalogue } from '../controllers/i18n-controller.ts';

const en = {
  ratingQuestion: 'Was this helpful?',
  like: 'I liked it',
  dislike: "I didn't like it",
  liked: 'I liked it',
  indifferent: 'Indifferent',
  wasted: 'I wasted my time',
  commentLabel: 'Tell us more (optional)',
  send: 'Send',
  skip: 'No thanks',
  thanks: 'Thank you for your feedback!',
  savedOffline: "Saved. We'll send it as soon as we can.",
  rejected: 'Your rating could not be recorded.',
} as const;

export type RatingKey = keyof typeof en;
export type RatingMessages = Record<RatingKey, string>;

export const RATING_MESSAGES: Catalogue<RatingKey> = {
  tables: { en },
  load: {
    'pt-BR': () => import('./rating-messages-pt-BR.ts'),
    es: () => import('./rating-messages-es.ts'),
  },
};
