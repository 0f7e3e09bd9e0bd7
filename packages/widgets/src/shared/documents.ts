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
    flags { code message }
  }
`;

/** `<pulso-gauge>`: one customer's health. */
export const GAUGE_QUERY = /* GraphQL */ `
  query PulsoGauge($externalId: String!) {
    customer(externalId: $externalId) { ${CUSTOMER_FIELDS} }
  }
`;

/** `<pulso-gauge>` live: each event carries the customer with the query's selection (no reload). */
export const GAUGE_LIVE_SUBSCRIPTION = /* GraphQL */ `
  subscription PulsoGaugeLive($externalId: String!) {
    scoreChanged(externalId: $externalId) { customer { ${CUSTOMER_FIELDS} } }
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
      mainReason { code message }
    }
  }
`;

/** `<pulso-at-risk>` live: any score change may reorder the list. */
export const AT_RISK_LIVE_SUBSCRIPTION = /* GraphQL */ `
  subscription PulsoAtRiskLive {
    scoreChanged { externalId }
  }
`;

/** `<pulso-rating>`: one micro-rating (sent again with the same idempotency key until answered). */
export const SUBMIT_MUTATION = /* GraphQL */ `
  mutation PulsoRate($input: SubmitMicroRatingInput!) {
    submitMicroRating(input: $input) {
      __typename
      ... on MicroRatingReceipt { id replayed }
      ... on UserError { code message }
    }
  }
`;
