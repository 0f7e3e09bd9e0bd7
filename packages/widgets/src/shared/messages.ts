// The widgets' words in each supported language. Plain strings with {placeholders}: they are
// rendered as text by Lit, never parsed as HTML.

export const LOCALES = ['en', 'pt-BR', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

const en = {
  loading: 'Loading…',
  error: 'Could not load the data.',
  retry: 'Try again',
  noData: 'No score yet',
  band_AT_RISK: 'At risk',
  band_NEEDS_ATTENTION: 'Needs attention',
  band_HEALTHY: 'Healthy',
  gaugeName: 'Health score',
  gaugeNameOf: 'Health score of {name}',
  gaugeValue: '{value} out of 100, {band}',
  change30d: '{change} in 30 days',
  trend_UP: 'rising',
  trend_DOWN: 'falling',
  trend_FLAT: 'steady',
  breakdown: 'By category',
  noCategoryData: 'no data',
  flags: 'Flags',
  live: 'Live',
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
  atRiskTitle: 'Customers at risk',
  atRiskEmpty: 'No customer is at risk.',
  daysSince: '{days} days since the last interaction',
  daysSinceOne: '1 day since the last interaction',
  daysSinceNone: 'no interaction yet',
  loadMore: 'Load more',
  score: 'Score',
} as const;

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

const ptBR: Messages = {
  loading: 'Carregando…',
  error: 'Não foi possível carregar os dados.',
  retry: 'Tentar de novo',
  noData: 'Ainda sem pontuação',
  band_AT_RISK: 'Em risco',
  band_NEEDS_ATTENTION: 'Requer atenção',
  band_HEALTHY: 'Saudável',
  gaugeName: 'Pontuação de saúde',
  gaugeNameOf: 'Pontuação de saúde de {name}',
  gaugeValue: '{value} de 100, {band}',
  change30d: '{change} em 30 dias',
  trend_UP: 'subindo',
  trend_DOWN: 'caindo',
  trend_FLAT: 'estável',
  breakdown: 'Por categoria',
  noCategoryData: 'sem dados',
  flags: 'Alertas',
  live: 'Ao vivo',
  ratingQuestion: 'Isso foi útil?',
  like: 'Gostei',
  dislike: 'Não gostei',
  liked: 'Gostei',
  indifferent: 'Indiferente',
  wasted: 'Perdi meu tempo',
  commentLabel: 'Conte mais (opcional)',
  send: 'Enviar',
  skip: 'Não, obrigado',
  thanks: 'Obrigado pela sua opinião!',
  savedOffline: 'Salvo. Enviaremos assim que possível.',
  rejected: 'Não foi possível registrar sua avaliação.',
  atRiskTitle: 'Clientes em risco',
  atRiskEmpty: 'Nenhum cliente em risco.',
  daysSince: '{days} dias desde a última interação',
  daysSinceOne: '1 dia desde a última interação',
  daysSinceNone: 'nenhuma interação ainda',
  loadMore: 'Carregar mais',
  score: 'Pontuação',
};

const es: Messages = {
  loading: 'Cargando…',
  error: 'No se pudieron cargar los datos.',
  retry: 'Reintentar',
  noData: 'Todavía sin puntuación',
  band_AT_RISK: 'En riesgo',
  band_NEEDS_ATTENTION: 'Requiere atención',
  band_HEALTHY: 'Saludable',
  gaugeName: 'Puntuación de salud',
  gaugeNameOf: 'Puntuación de salud de {name}',
  gaugeValue: '{value} de 100, {band}',
  change30d: '{change} en 30 días',
  trend_UP: 'subiendo',
  trend_DOWN: 'bajando',
  trend_FLAT: 'estable',
  breakdown: 'Por categoría',
  noCategoryData: 'sin datos',
  flags: 'Alertas',
  live: 'En vivo',
  ratingQuestion: '¿Te resultó útil?',
  like: 'Me gustó',
  dislike: 'No me gustó',
  liked: 'Me gustó',
  indifferent: 'Indiferente',
  wasted: 'Perdí mi tiempo',
  commentLabel: 'Cuéntanos más (opcional)',
  send: 'Enviar',
  skip: 'No, gracias',
  thanks: '¡Gracias por tu opinión!',
  savedOffline: 'Guardado. Lo enviaremos en cuanto sea posible.',
  rejected: 'No se pudo registrar tu valoración.',
  atRiskTitle: 'Clientes en riesgo',
  atRiskEmpty: 'Ningún cliente está en riesgo.',
  daysSince: '{days} días desde la última interacción',
  daysSinceOne: '1 día desde la última interacción',
  daysSinceNone: 'ninguna interacción todavía',
  loadMore: 'Cargar más',
  score: 'Puntuación',
};

export const MESSAGES: Record<Locale, Messages> = { en, 'pt-BR': ptBR, es };

/** The supported locale closest to a BCP 47 tag: any Portuguese is pt-BR, any Spanish is es. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (language === 'pt') return 'pt-BR';
  if (language === 'es') return 'es';
  if (language === 'en') return 'en';
  return null;
}
