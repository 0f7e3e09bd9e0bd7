// Builds the schema from the domain modules. Each module registers its types and root fields.
import { builder } from '../builder.ts';
import './scalars.ts';
import './enums.ts';
import './workspace.ts';
import './scoring-model.ts';
import './customer.ts';
import './interaction.ts';
import './score.ts';
import './at-risk.ts';
import './statistics.ts';
import './mutation.ts';
import './rescoring.ts';
import './scoring-model-mutations.ts';
import './what-if.ts';
import './assessments.ts';
import './api-keys.ts';
import './customer-mutations.ts';
import './record-interaction.ts';
import './micro-rating.ts';
import './live.ts';
import './token-admin.ts';
import './webhooks.ts';

builder.queryType({
  description:
    'Reads: customers and their scores, the at-risk list, statistics, the scoring model, rescoring jobs, API keys and webhooks.',
});

export const schema = builder.toSchema({ sortSchema: false });
