// Schema evolution (issue 16): clients generated from the last release's schema must keep working.
// graphql-inspector's `diff` compares the schema of the last release (apps/server/schema.baseline.graphql)
// with today's; every BREAKING change must be declared, with its reason, in
// apps/server/schema-changes.json. The procedure is in docs/api/README.md ("Changing the schema").
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import {
  buildSchema,
  DEFAULT_DEPRECATION_REASON,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from './index.ts';
import { printPulsoSchema } from './print.ts';

const baselineFile = fileURLToPath(new URL('../../schema.baseline.graphql', import.meta.url));
const declarationsFile = fileURLToPath(new URL('../../schema-changes.json', import.meta.url));

interface DeclaredChange {
  /** The changed element, as graphql-inspector names it (`Query.apiKeys`, `MutationCreateApiKeyResult`). */
  path: string;
  /** graphql-inspector's message for the change, exactly. */
  message: string;
  /** Why the break is worth it, and what clients do about it. */
  reason: string;
  /** When it was declared (YYYY-MM-DD). */
  date: string;
}

const declared = JSON.parse(readFileSync(declarationsFile, 'utf8')) as DeclaredChange[];
const key = (change: { path?: string | undefined; message: string }) => `${change.path ?? ''}: ${change.message}`;

async function breakingChanges() {
  const baseline = buildSchema(readFileSync(baselineFile, 'utf8'));
  const current = buildSchema(printPulsoSchema());
  const changes = await diff(baseline, current);
  return changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
}

describe('schema evolution', () => {
  it('every breaking change since the last release is declared in schema-changes.json', async () => {
    const known = new Set(declared.map(key));
    const undeclared = (await breakingChanges()).map(key).filter((change) => !known.has(change));
    // Declare each with a reason (docs/api/README.md, "Changing the schema"), or keep the schema compatible.
    expect(undeclared).toEqual([]);
  });

  it('declares only changes that happen (a stale declaration would hide a later break of the same element)', async () => {
    const happening = new Set((await breakingChanges()).map(key));
    expect(declared.map(key).filter((change) => !happening.has(change))).toEqual([]);
  });

  it('each declaration has a path, a reason and a date', () => {
    const incomplete = declared.filter(
      (change) =>
        !change.path ||
        !change.message ||
        (change.reason ?? '').length < 20 ||
        !/^\d{4}-\d{2}-\d{2}$/.test(change.date),
    );
    expect(incomplete).toEqual([]);
  });

  it('every deprecation carries a reason naming what to use instead', () => {
    const silent: string[] = [];
    const check = (where: string, reason: string | null | undefined) => {
      if (reason === undefined || reason === null) return;
      if (reason.trim().length < 10 || reason === DEFAULT_DEPRECATION_REASON) silent.push(`${where}: ${reason}`);
    };
    let deprecations = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type)) continue;
      if (isEnumType(type))
        for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.deprecationReason);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (field.deprecationReason) deprecations++;
          check(`${type.name}.${field.name}`, field.deprecationReason);
          if ('args' in field)
            for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.deprecationReason);
        }
      }
    }
    // The schema has deprecations today (atRiskCustomers), so this check is not vacuous.
    expect(deprecations).toBeGreaterThan(0);
    expect(silent).toEqual([]);
  });
});
