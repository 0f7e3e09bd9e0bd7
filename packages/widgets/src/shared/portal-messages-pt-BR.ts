// The portal widgets' words (the gauge's, the at-risk list's) in Brazilian Portuguese: a chunk of its own,
// loaded only when one of them speaks it.
import type { PortalTranslation } from './portal-messages.ts';

const messages: PortalTranslation = {
  loading: 'Carregando…',
  error: 'Não foi possível carregar os dados.',
  retry: 'Tentar de novo',
  noData: 'Ainda sem pontuação',
  band_AT_RISK: 'Em risco',
  band_NEEDS_ATTENTION: 'Requer atenção',
  band_HEALTHY: 'Saudável',
  gaugeNameOf: 'Pontuação de saúde de {name}',
  gaugeValue: '{value} de 100, {band}',
  notEnoughData: 'ainda sem dados suficientes',
  change30d: '{change} em 30 dias',
  trend_UP: 'subindo',
  trend_DOWN: 'caindo',
  trend_FLAT: 'estável',
  breakdown: 'Por categoria',
  noCategoryData: 'sem dados',
  flags: 'Alertas',
  atRiskTitle: 'Clientes em risco',
  atRiskEmpty: 'Nenhum cliente em risco.',
  daysSince: 'Última interação há {days} dias',
  daysSinceOne: 'Última interação há 1 dia',
  daysSinceToday: 'Última interação hoje',
  daysSinceNone: 'Nenhuma interação ainda',
  loadMore: 'Carregar mais',
  score: 'Pontuação',
  stale: 'Conexão perdida: os dados podem estar desatualizados.',
  expired: 'O acesso a estes dados expirou.',
  // Flags, at-risk reasons and the default categories' names (see explain.ts).
  category_engagement: 'Engajamento',
  category_product_usage: 'Uso do produto',
  category_support: 'Suporte',
  category_commercial: 'Comercial',
  category_satisfaction: 'Satisfação',
  flag_NO_DATA: 'nenhuma interação ainda: a pontuação é o neutro 50',
  flag_SILENCE: 'em silêncio há {days} dias',
  flag_SILENCE_complaints: 'nenhum contato real há {days} dias (só reclamações ou indiferença desde então)',
  flag_SILENCE_later:
    'nenhum engajamento real há {days} dias (o que foi registrado desde então não encerra o silêncio)',
  flag_SILENCE_never: 'nenhum contato real registrado',
  flag_UPSELL_DISCOUNTED:
    'renovações, upsells, boas avaliações e respostas contam {percent} %, pois o engajamento é só {engagement} (crédito total a partir de {engagementMin})',
  flag_UPSELL_DISCOUNTED_noData:
    'renovações, upsells, boas avaliações e respostas contam {percent} %: nenhuma atividade registrada que as sustente',
  flag_UPSELL_DISCOUNTED_v1: 'upsell com desconto: engajamento {engagement} abaixo de {engagementMin}',
  flag_UPSELL_DISCOUNTED_v1_noData: 'upsell com desconto: sem dados de engajamento',
  flag_WASTED_TIME: '{count} interações marcadas como "perdi meu tempo"',
  flag_WASTED_TIME_one: '1 interação marcada como "perdi meu tempo"',
  flag_WEIGHT_REDISTRIBUTED: 'sem dados de {categories}: peso redistribuído às outras categorias',
  flag_MANUAL_ASSESSMENT: 'avaliação manual {score} vale {weightPercent} % até {until}',
  flag_NOT_ENOUGH_DATA:
    'poucos dados (confiança {confidencePercent} %): as próximas interações podem mudar muito a pontuação',
  flag_ACTIVITY_FALLING: '{category} caiu {percent} % do próprio nível (cerca dos últimos {days} dias)',
  flag_GRAVE_SIGNALS: 'sinais graves (tempo perdido, cancelamento, perdas comerciais) tiram {percent} % da pontuação',
  reason_NO_DATA: 'nenhuma interação registrada',
  reason_SILENCE: '{silence}: {points} pontos',
  reason_SILENCE_complaints: 'nenhum contato real há {days} dias',
  reason_SILENCE_later: 'nenhum engajamento real há {days} dias',
  reason_SCORE_DROP: 'caiu {points} pontos em 30 dias',
  reason_NEGATIVE_INTERACTION: 'interação negativa em {date}: {points} pontos',
  reason_WEAK_CATEGORY: '{category} em {subScore} de 100',
  reason_LOW_SCORE: 'pontuação {score} sem uma causa única que se destaque',
};

export default messages;
// How flags, reasons and category names are worded from their codes: needed only by languages
// other than English, so it comes with them (portal-messages.ts, EXPLAINERS).
export { categoryName, flagText, reasonText } from './explain.ts';
