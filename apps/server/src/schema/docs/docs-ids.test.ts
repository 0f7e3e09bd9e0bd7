// Every operation in docs/api selects `id` wherever it selects an object that has one (issue 16):
// Apollo Client and urql's graphcache normalize their caches by `__typename` and `id`, so an
// object read without its id is not updated by a later answer (Apollo's cache did not update from
// the documented `recordInteraction`). Checked over the documents and the schema, so a document
// added later without ids fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../index.ts';

const folder = fileURLToPath(new URL('../../../../../docs/api/', import.meta.url));
const documents = [
  ...readdirSync(folder).filter((name) => name.endsWith('.graphql')),
  ...readdirSync(`${folder}write`)
    .filter((name) => name.endsWith('.graphql'))
    .map((name) => `write/${name}`),
];

type Fragments = Map<string, FragmentDefinitionNode>;

/** Whether a fragment with this type condition applies to `type` (the field's own type, or an interface or union it belongs to). */
function appliesTo(condition: string | undefined, type: GraphQLObjectType, fieldType: GraphQLNamedType): boolean {
  return (
    condition === undefined ||
    condition === type.name ||
    condition === fieldType.name ||
    type.getInterfaces().some((i) => i.name === condition)
  );
}

/** Whether a selection set, read for an object of `type`, selects `id` (directly or in a fragment that applies). */
function selectsId(set: SelectionSetNode, type: GraphQLObjectType, fieldType: GraphQLNamedType, fragments: Fragments) {
  return set.selections.some((selection): boolean => {
    if (selection.kind === Kind.FIELD) return selection.name.value === 'id';
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
    return (
      !!fragment &&
      appliesTo(fragment.typeCondition?.name.value, type, fieldType) &&
      selectsId(fragment.selectionSet, type, fieldType, fragments)
    );
  });
}

/** The type conditions of the fragments a selection set holds (nested ones included). */
function conditions(set: SelectionSetNode, fragments: Fragments, seen = new Set<string>()): Set<string> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) continue;
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
    if (!fragment) continue;
    if (fragment.typeCondition) seen.add(fragment.typeCondition.name.value);
    conditions(fragment.selectionSet, fragments, seen);
  }
  return seen;
}

/**
 * The fields that read an object with an `id` without selecting it. A field of an object type
 * must select it; a field of a union or interface must select it for each member type it names
 * in a fragment (`... on RescoreJob { id }`), and for all of them when it reads an interface's own
 * fields (`nodes(ids:) { id ... on Customer { name } }`).
 */
function missingIds(source: string): string[] {
  const document = parse(source);
  const fragments: Fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const typeInfo = new TypeInfo(schema);
  const missing: string[] = [];
  const path: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      FragmentDefinition: {
        enter: (node) => {
          path.push(`...${node.name.value}`);
        },
        leave: () => {
          path.pop();
        },
      },
      Field: {
        enter: (node) => {
          path.push(node.alias?.value ?? node.name.value);
          const fieldType = typeInfo.getType() && getNamedType(typeInfo.getType()!);
          if (!node.selectionSet || !fieldType) return;
          let objects: readonly GraphQLObjectType[] = [];
          if (isObjectType(fieldType)) objects = [fieldType];
          else if (isAbstractType(fieldType)) {
            const named = conditions(node.selectionSet, fragments);
            const readsOwnFields =
              isInterfaceType(fieldType) &&
              node.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value !== '__typename');
            objects = schema.getPossibleTypes(fieldType).filter((type) => readsOwnFields || named.has(type.name));
          }
          for (const type of objects) {
            if (!('id' in type.getFields())) continue;
            if (!selectsId(node.selectionSet, type, fieldType, fragments))
              missing.push(`${path.join('.')} (${type.name})`);
          }
        },
        leave: () => {
          path.pop();
        },
      },
    }),
  );
  return missing;
}

describe('docs/api operations', () => {
  it('are found', () => {
    expect(documents.length).toBeGreaterThanOrEqual(15);
    expect(documents.some((name) => name.startsWith('write/'))).toBe(true);
  });

  it.each(documents)('%s selects id on every object that has one', (file) => {
    expect(missingIds(readFileSync(folder + file, 'utf8'))).toEqual([]);
  });

  it('the check sees a missing id (in a field, an inline fragment and a named fragment)', () => {
    expect(
      missingIds(`mutation {
        recordInteraction(input: { customer: { externalId: "x" }, type: "t", idempotencyKey: "k" }) {
          ... on RecordedInteraction { interaction { id } customer { name } }
        }
      }`),
    ).toEqual(['recordInteraction.customer (Customer)']);
    expect(missingIds(`{ customers { nodes { ...C } } } fragment C on Customer { id name }`)).toEqual([]);
    expect(missingIds(`{ customers { nodes { ...C } } } fragment C on Customer { name }`)).toEqual([
      'customers.nodes (Customer)',
    ]);
    expect(missingIds(`mutation { rescoreAllCustomers { ... on RescoreJob { status } } }`)).toEqual([
      'rescoreAllCustomers (RescoreJob)',
    ]);
    expect(missingIds(`{ nodes(ids: ["x"]) { id ... on Customer { name } } }`)).toEqual([]);
  });
});
