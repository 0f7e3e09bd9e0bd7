// The root Query type; each domain module adds its fields with builder.queryField(s).
import { builder } from '../../builder.ts';

builder.queryType({
  description:
    'Reads: customers and their scores, the at-risk list, statistics, the scoring model, rescoring jobs, API keys and webhooks.',
});
