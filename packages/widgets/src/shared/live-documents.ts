// The live stream's documents (see documents.ts): only the live connection sends them, and it is a
// chunk fetched after the widgets' first paint, so they are not in the scripts a page loads first.
import { CUSTOMER_FIELDS } from './customer-fields.ts';

/**
 * Every live widget of a page on one stream: the view tokens of all of them, each event naming the
 * positions of those that see it, with the customer in the gauge's selection. Sent when a gauge is
 * on the stream; an event only the at-risk list sees then comes without its change (an at-risk
 * token reads which customer changed, not its details), and the list reads itself again anyway.
 */
export const LIVE_VIEWS_SUBSCRIPTION = /* GraphQL */ `
  subscription PulsoLive($views: [String!]!) {
    liveViews(views: $views) { views change { customer { ${CUSTOMER_FIELDS} } } }
  }
`;

/** The same stream with no gauge on it (at-risk lists only): which customer changed, no details. */
export const LIVE_VIEWS_AT_RISK_SUBSCRIPTION = /* GraphQL */ `
  subscription PulsoLiveAtRisk($views: [String!]!) {
    liveViews(views: $views) { views change { externalId } }
  }
`;
