// The rating's words in Brazilian Portuguese: a chunk of its own, loaded only when a rating speaks it.
import type { RatingMessages } from './rating-messages.ts';

const messages: RatingMessages = {
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
};

export default messages;
