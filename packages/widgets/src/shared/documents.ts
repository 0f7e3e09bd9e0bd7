// The GraphQL documents the widgets send, in one module with no side effects (importing an
// element module defines a custom element): Pulso's load script and tests send exactly these,
// and the server's operation-limit tests prove that every one of them is accepted.

/** A customer as the gauge shows it: the query and each live event carry the same selection. */
const CUSTOMER_FIELDS = /* GraphQL */ `
  id
  name
  health {
    value
    band
    trend { change30d direction }
    categories { key name subScore contribution hasData }
    flags { code message params { name number text } }
  }
`;

/** `<pulso-gauge>`: one customer's health. */
export const GAUGE_QUERY = /* GraphQL */ `
  query PulsoGauge($externalId: String!) {
    customer(externalId: $externalId) { ${CUSTOMER_FIELDS} }
  }
`;

/** `<pulso-at-risk>`: the at-risk customers, worst first. */
export const AT_RISK_QUERY = /* GraphQL */ `
  query PulsoAtRisk($first: Int!) {
    atRiskCustomers(first: $first) {
      customer { id externalId name }
      score
      scoreChange30d
      daysSinceLastInteraction
      mainReason { code message params { name number text } }
    }
  }
`;

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

// The rating's mutation sits in a module of its own, so that a build puts it beside its only user,
// the rating's sender (fetched after a click), and not in the script every page loads.
export { SUBMIT_MUTATION } from './submit-mutation.ts';
