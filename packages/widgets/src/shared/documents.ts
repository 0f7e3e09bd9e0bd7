// The GraphQL documents the widgets send, in one module with no side effects (importing an
// element module defines a custom element): Pulso's load script and tests send exactly these,
// and the server's operation-limit tests prove that every one of them is accepted.
import { CUSTOMER_FIELDS } from './customer-fields.ts';

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
      mainReason { code message params { name number text } categoryNames { locale name } }
    }
  }
`;

// The live documents sit in a module of their own too, beside their only user, the live connection
// (a chunk fetched after the first paint, see controllers/live-controller.ts).
export { LIVE_VIEWS_AT_RISK_SUBSCRIPTION, LIVE_VIEWS_SUBSCRIPTION } from './live-documents.ts';
// The rating's mutation sits in a module of its own, so that a build puts it beside its only user,
// the rating's sender (fetched after a click), and not in the script every page loads.
export { SUBMIT_MUTATION } from './submit-mutation.ts';
