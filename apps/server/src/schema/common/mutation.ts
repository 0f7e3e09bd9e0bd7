// The root Mutation type; each domain module adds its fields with builder.mutationField(s).
import { builder } from '../../builder.ts';

builder.mutationType({
  description: 'Writes: customers, interactions, the scoring model, assessments, rescoring and API keys.',
});
