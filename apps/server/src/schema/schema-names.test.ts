// The type names every client's generated code is built from (issue 16): designed names, never the
// builder's defaults (`QueryCustomersConnection`, `MutationRecordInteractionResult`). Generated from
// the schema itself, so a field added later with a default name fails here.
import {
  getNamedType,
  type GraphQLField,
  type GraphQLNamedType,
  isIntrospectionType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from './index.ts';

const types = Object.values(schema.getTypeMap()).filter((type) => !isIntrospectionType(type));
const capitalize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The connection types: objects with Relay's `edges` and `pageInfo`. */
function connections() {
  return types.filter(isObjectType).filter((type) => 'edges' in type.getFields() && 'pageInfo' in type.getFields());
}

function rootFields(): { root: string; field: GraphQLField<unknown, unknown> }[] {
  return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((root) =>
    root ? Object.values(root.getFields()).map((field) => ({ root: root.name, field })) : [],
  );
}

describe('type names', () => {
  it('no type is named for its root type and field (the builder default)', () => {
    const defaults = types.map((type) => type.name).filter((name) => /^(Query|Mutation|Subscription)[A-Z]/.test(name));
    expect(defaults).toEqual([]);
  });

  it('every connection is named for its node: <Node>Connection, its edges <Node>Edge', () => {
    const found = connections();
    expect(found.length).toBeGreaterThanOrEqual(7);
    const wrong: string[] = [];
    for (const connection of found) {
      const edge = getNamedType(connection.getFields().edges!.type) as GraphQLNamedType;
      if (!isObjectType(edge)) throw new Error(`${connection.name}.edges is not an object type`);
      const node = getNamedType(edge.getFields().node!.type).name;
      if (connection.name !== `${node}Connection`) wrong.push(`${connection.name} (node ${node})`);
      if (edge.name !== `${node}Edge`) wrong.push(`${edge.name} (node ${node})`);
    }
    expect(wrong).toEqual([]);
  });

  it('only connections and their edges end in Connection or Edge', () => {
    const names = new Set(connections().flatMap((c) => [c.name, getNamedType(c.getFields().edges!.type).name]));
    const stray = types.map((t) => t.name).filter((name) => /(Connection|Edge)$/.test(name) && !names.has(name));
    expect(stray).toEqual([]);
  });

  it("a mutation's result union is <Mutation>Payload, a query's <Field>Result", () => {
    const wrong: string[] = [];
    for (const { root, field } of rootFields()) {
      const type = getNamedType(field.type);
      if (!isUnionType(type)) continue;
      const expected = `${capitalize(field.name)}${root === 'Mutation' ? 'Payload' : 'Result'}`;
      if (type.name !== expected) wrong.push(`${root}.${field.name}: ${type.name}, expected ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it('every union is the result of one root field, named for it', () => {
    const named = new Set(rootFields().map(({ field }) => getNamedType(field.type).name));
    const orphans = types
      .filter(isUnionType)
      .map((u) => u.name)
      .filter((name) => !named.has(name));
    expect(orphans).toEqual([]);
  });
});
