// `<pulso-rating>`'s one document, apart from documents.ts (which re-exports it) so that it is
// bundled with the rating's sender, fetched after a click, rather than with the portal widgets'
// documents in pulso.js.

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
