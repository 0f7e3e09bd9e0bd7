// Builds the schema from the type modules: each registers its types and root fields when imported.
import { builder } from '../builder.ts';
import './common/scalars.ts';
import './common/enums.ts';
import './workspace/workspace.ts';
import './scoring-model/scoring-model.ts';
import './customers/customer.ts';
import './interactions/interaction.ts';
import './customers/score.ts';
import './customers/at-risk.ts';
import './customers/statistics.ts';
import './common/mutation.ts';
import './scoring-model/rescoring.ts';
import './scoring-model/scoring-model-mutations.ts';
import './scoring-model/what-if.ts';
import './customers/assessments.ts';
import './keys/api-keys.ts';
import './customers/customer-mutations.ts';
import './interactions/record-interaction.ts';
import './interactions/micro-rating.ts';
import './live/live.ts';
import './live/views.ts';
import './keys/token-admin.ts';
import './webhooks/webhooks.ts';
import './outcomes/outcome.ts';
import './evaluation/scores-as-of.ts';
import './evaluation/model-evaluation.ts';
import './admin/admin.ts';
import './scoring-model/suggest-scoring-model.ts';
// Last, where the Query type has always been registered: the printed schema keeps its order.
import './common/query.ts';

export const schema = builder.toSchema({ sortSchema: false });
