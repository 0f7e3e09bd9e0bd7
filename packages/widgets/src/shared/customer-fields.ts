// The gauge's selection of a customer, shared by its query (documents.ts) and the live stream's
// events (live-documents.ts), which sit in different chunks.

/** A customer as the gauge shows it: the query and each live event carry the same selection. */
export const CUSTOMER_FIELDS = /* GraphQL */ `
  id
  name
  health {
    value
    band
    trend { change30d direction }
    categories { key name names { locale name } subScore contribution hasData }
    flags { code message params { name number text } }
  }
`;
