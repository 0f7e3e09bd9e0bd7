// The portal widgets' words (the gauge's, the at-risk list's) in Spanish: a chunk of its own,
// loaded only when one of them speaks it.
import type { PortalTranslation } from './portal-messages.ts';

const messages: PortalTranslation = {
  loading: 'Cargando…',
  error: 'No se pudieron cargar los datos.',
  retry: 'Reintentar',
  noData: 'Todavía sin puntuación',
  band_AT_RISK: 'En riesgo',
  band_NEEDS_ATTENTION: 'Requiere atención',
  band_HEALTHY: 'Saludable',
  gaugeNameOf: 'Puntuación de salud de {name}',
  gaugeValue: '{value} de 100, {band}',
  notEnoughData: 'aún sin datos suficientes',
  change30d: '{change} en 30 días',
  trend_UP: 'subiendo',
  trend_DOWN: 'bajando',
  trend_FLAT: 'estable',
  breakdown: 'Por categoría',
  noCategoryData: 'sin datos',
  flags: 'Alertas',
  atRiskTitle: 'Clientes en riesgo',
  atRiskEmpty: 'Ningún cliente está en riesgo.',
  daysSince: 'Última interacción hace {days} días',
  daysSinceOne: 'Última interacción hace 1 día',
  daysSinceToday: 'Última interacción hoy',
  daysSinceNone: 'Ninguna interacción todavía',
  loadMore: 'Cargar más',
  score: 'Puntuación',
  stale: 'Conexión perdida: los datos pueden estar desactualizados.',
  expired: 'El acceso a estos datos ha caducado.',
  // Flags, at-risk reasons and the default categories' names (see explain.ts).
  category_engagement: 'Compromiso',
  category_product_usage: 'Uso del producto',
  category_support: 'Soporte',
  category_commercial: 'Comercial',
  category_satisfaction: 'Satisfacción',
  flag_NO_DATA: 'todavía sin interacciones: la puntuación es el neutro 50',
  flag_SILENCE: 'en silencio desde hace {days} días',
  flag_SILENCE_complaints: 'sin contacto real desde hace {days} días (solo quejas o indiferencia desde entonces)',
  flag_SILENCE_later: 'sin compromiso real desde hace {days} días (lo registrado desde entonces no rompe el silencio)',
  flag_SILENCE_never: 'ningún contacto real registrado',
  flag_UPSELL_DISCOUNTED:
    'renovaciones, ventas adicionales, buenas valoraciones y respuestas cuentan un {percent} %, pues el compromiso es solo {engagement} (crédito completo desde {engagementMin})',
  flag_UPSELL_DISCOUNTED_noData:
    'renovaciones, ventas adicionales, buenas valoraciones y respuestas cuentan un {percent} %: ninguna actividad registrada que las respalde',
  flag_UPSELL_DISCOUNTED_v1: 'ventas adicionales con descuento: compromiso {engagement} por debajo de {engagementMin}',
  flag_UPSELL_DISCOUNTED_v1_noData: 'ventas adicionales con descuento: sin datos de compromiso',
  flag_WASTED_TIME: '{count} interacciones marcadas como "perdí mi tiempo"',
  flag_WASTED_TIME_one: '1 interacción marcada como "perdí mi tiempo"',
  flag_WEIGHT_REDISTRIBUTED: 'sin datos de {categories}: peso repartido entre las demás categorías',
  flag_MANUAL_ASSESSMENT: 'evaluación manual {score} cuenta un {weightPercent} % hasta el {until}',
  flag_NOT_ENOUGH_DATA:
    'pocos datos (confianza {confidencePercent} %): las próximas interacciones pueden cambiar mucho la puntuación',
  flag_ACTIVITY_FALLING: '{category} bajó un {percent} % respecto de su propio nivel (aprox. los últimos {days} días)',
  flag_GRAVE_SIGNALS:
    'señales graves (tiempo perdido, cancelación, pérdidas comerciales) restan un {percent} % de la puntuación',
  reason_NO_DATA: 'ninguna interacción registrada',
  reason_SILENCE: '{silence}: {points} puntos',
  reason_SILENCE_complaints: 'sin contacto real desde hace {days} días',
  reason_SILENCE_later: 'sin compromiso real desde hace {days} días',
  reason_SCORE_DROP: 'bajó {points} puntos en 30 días',
  reason_NEGATIVE_INTERACTION: 'interacción negativa el {date}: {points} puntos',
  reason_WEAK_CATEGORY: '{category} en {subScore} de 100',
  reason_LOW_SCORE: 'puntuación {score} sin una causa única destacada',
};

export default messages;
// How flags, reasons and category names are worded from their codes: needed only by languages
// other than English, so it comes with them (portal-messages.ts, EXPLAINERS).
export { categoryName, flagText, reasonText } from './explain.ts';
