import { builder } from '../builder.ts';
import { JourneyStageEnum, SentimentEnum } from './enums.ts';

builder.prismaObject('Interaction', {
  description: 'One touchpoint with a customer.',
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.relation('type'),
    customer: t.relation('customer'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    intensity: t.exposeFloat('intensity', { description: '1 for a plain touch; more for a richer one.' }),
    sentiment: t.expose('sentiment', { type: SentimentEnum, nullable: true }),
    value: t.exposeFloat('value', { nullable: true, description: 'The survey answer: NPS 0–10, CSAT 1–5, CES 1–7.' }),
    comment: t.exposeString('comment', { nullable: true }),
    journeyStage: t.expose('journeyStage', { type: JourneyStageEnum, nullable: true }),
    source: t.exposeString('source', { nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
