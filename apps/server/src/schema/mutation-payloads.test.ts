// One channel for a caller's mistakes in mutations (issue 16, Shopify's userErrors): every mutation
// answers a union whose members include at least one UserError, so a client handles a refusal the
// same way everywhere (`... on UserError { field code message }`) instead of parsing top-level
// BAD_USER_INPUT errors. Generated from the schema: a mutation added later without it fails here.
import { getNamedType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from './index.ts';

describe('mutation payloads', () => {
  const mutations = Object.values(schema.getMutationType()!.getFields());

  it('every mutation answers a union with a UserError member and one success member', () => {
    expect(mutations.length).toBeGreaterThanOrEqual(40);
    const wrong: string[] = [];
    for (const field of mutations) {
      const type = getNamedType(field.type);
      if (!isUnionType(type)) {
        wrong.push(`${field.name}: ${type.name} is not a union`);
        continue;
      }
      const members = type.getTypes();
      const errors = members.filter((member) => member.getInterfaces().some((i) => i.name === 'UserError'));
      if (errors.length === 0) wrong.push(`${field.name}: ${type.name} has no UserError member`);
      if (members.length - errors.length !== 1)
        wrong.push(`${field.name}: ${type.name} needs exactly one success member`);
    }
    expect(wrong).toEqual([]);
  });

  it('no token mutation answers a bare string: a token comes with its expiry and scope', () => {
    const bare = mutations.filter((field) => getNamedType(field.type).name === 'String').map((field) => field.name);
    expect(bare).toEqual([]);
  });
});
