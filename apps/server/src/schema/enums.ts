import { Band, JourneyStage, Sentiment, SentimentHandling, ValueScale, ApiKeyKind } from '@pulso/database';
import { builder } from '../builder.ts';

export const BandEnum = builder.enumType(Band, {
  name: 'Band',
  description: 'Health band: at risk (default 0–50), needs attention (51–70), healthy (71–100).',
});
export const SentimentEnum = builder.enumType(Sentiment, {
  name: 'Sentiment',
  description: 'How the customer felt: liked it, indifferent, disliked it, or wasted their time (the worst signal).',
});
export const JourneyStageEnum = builder.enumType(JourneyStage, { name: 'JourneyStage' });
export const SentimentHandlingEnum = builder.enumType(SentimentHandling, { name: 'SentimentHandling' });
export const ValueScaleEnum = builder.enumType(ValueScale, { name: 'ValueScale' });
export const ApiKeyKindEnum = builder.enumType(ApiKeyKind, { name: 'ApiKeyKind' });
