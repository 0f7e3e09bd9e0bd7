// Relay global ids (`base64("Customer:<uuid>")`) as the builder's `node` and `nodes` decode them,
// kept outside schema/ because the builder needs the decoding
// before any type exists; schema/common/global-id.ts adds the tenant rule for loading by id.
import { decodeGlobalID } from '@pothos/plugin-relay';

/** Matches no row: ids are uuid(7), never the nil uuid. */
export const NO_ROW = '00000000-0000-0000-0000-000000000000';

/** The types `node` and `nodes` load (builder.prismaNode). */
const NODE_TYPENAMES = new Set(['Customer', 'Interaction']);

/**
 * Relay's decoding of the ids given to `node` and `nodes`. Anything that is not the global id of
 * a node type (garbage, `base64("ApiKey:1")`) names no record, so it answers null like an unknown
 * id: never an error that lists the schema's type names, and never before the caller's scopes
 * are checked (the arguments are decoded first).
 */
export function decodeNodeGlobalID(globalID: string): { typename: string; id: string } {
  try {
    const decoded = decodeGlobalID(globalID);
    if (NODE_TYPENAMES.has(decoded.typename)) return decoded;
  } catch {
    // Not base64, or no `Type:` prefix: no record has it.
  }
  return { typename: 'Customer', id: NO_ROW };
}
