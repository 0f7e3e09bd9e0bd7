// What a view token may read: exactly the fields its widget selects (packages/widgets/src/shared/
// documents.ts), as `Type.field`. A gauge's customer token once read the whole customer — its
// properties (revenue, account owner, seats), every interaction with its free-text comment, a
// manual assessment's reason and author, weights, the raw breakdown — and an at-risk token the
// same of every at-risk customer (issue 16). A field not listed here is refused to view tokens,
// so a field added to the schema stays closed to them until a widget needs it;
// test/view-token-scope.test.ts proves, field by field from the schema, that these lists and the
// widgets' documents agree. The widgets follow changes through `liveViews` only (one stream per
// page), so `scoreChanged` is closed to view tokens like any field no widget selects.
import type { ViewGrant } from './view-token-callers.ts';

/** `<pulso-gauge>`: one customer's health, by query and live (GAUGE_QUERY, LIVE_VIEWS_SUBSCRIPTION). */
const GAUGE_FIELDS = [
  'Query.customer',
  'Subscription.liveViews',
  'LiveViewEvent.views',
  'LiveViewEvent.change',
  'ScoreChange.customer',
  'Customer.id',
  'Customer.name',
  'Customer.health',
  'HealthScore.value',
  'HealthScore.band',
  'HealthScore.trend',
  'HealthScore.categories',
  'HealthScore.flags',
  'ScoreTrend.change30d',
  'ScoreTrend.direction',
  'ScoreCategory.key',
  'ScoreCategory.name',
  'ScoreCategory.names',
  'CategoryName.locale',
  'CategoryName.name',
  'ScoreCategory.subScore',
  'ScoreCategory.contribution',
  'ScoreCategory.hasData',
  'ScoreFlag.code',
  'ScoreFlag.message',
  'ScoreFlag.params',
  'MessageParam.name',
  'MessageParam.number',
  'MessageParam.text',
] as const;

/**
 * `<pulso-at-risk>`: the at-risk list, and which customer changed, not its details (AT_RISK_QUERY,
 * LIVE_VIEWS_AT_RISK_SUBSCRIPTION).
 */
const AT_RISK_FIELDS = [
  'Query.atRiskCustomers',
  'AtRiskCustomer.customer',
  'AtRiskCustomer.score',
  'AtRiskCustomer.scoreChange30d',
  'AtRiskCustomer.daysSinceLastInteraction',
  'AtRiskCustomer.mainReason',
  'AtRiskReason.code',
  'AtRiskReason.message',
  'AtRiskReason.params',
  'AtRiskReason.categoryNames',
  'CategoryName.locale',
  'CategoryName.name',
  'MessageParam.name',
  'MessageParam.number',
  'MessageParam.text',
  'Customer.id',
  'Customer.externalId',
  'Customer.name',
  'Subscription.liveViews',
  'LiveViewEvent.views',
  'LiveViewEvent.change',
  'ScoreChange.externalId',
] as const;

/** The fields each kind of view token may read. */
export const VIEW_TOKEN_FIELDS: Record<ViewGrant['kind'], ReadonlySet<string>> = {
  customer: new Set(GAUGE_FIELDS),
  at_risk: new Set(AT_RISK_FIELDS),
};

/** The widget each kind of view token is for, to say so in a refusal. */
export const VIEW_TOKEN_WIDGET: Record<ViewGrant['kind'], string> = {
  customer: '<pulso-gauge>',
  at_risk: '<pulso-at-risk>',
};
