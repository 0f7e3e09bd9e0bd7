// The rating's words in Spanish: a chunk of its own, loaded only when a rating speaks it.
import type { RatingMessages } from './rating-messages.ts';

const messages: RatingMessages = {
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
};

export default messages;
