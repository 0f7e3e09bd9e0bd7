import { readFileSync } from 'node:fs';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from './index.ts';
import { printPulsoSchema, schemaFile } from './print.ts';

// Relay's own fields and arguments, the same in every Relay schema, described by its specification.
const RELAY_FIELDS = new Set(['edges', 'node', 'cursor', 'pageInfo']);
const RELAY_ARGS = new Set(['first', 'last', 'before', 'after']);

/** The read side's root fields. (`node` and `nodes` come from the Relay plugin's own options.) */
const READ_ROOTS = ['customers', 'customer', 'atRiskCustomers', 'scoringModel', 'statistics', 'workspace'];

/** The types the read side defines: each must be described, with its fields, arguments and values. */
const READ_TYPES = [
  ...[
    'Customer',
    'HealthScore',
    'ScoreTrend',
    'ScoreCategory',
    'ScoreDriver',
    'ScoreDrivers',
    'ScoreFlag',
    'ScoreAssessment',
  ],
  ...[
    'ScoreSnapshot',
    'WeightInForce',
    'Interaction',
    'InteractionFilter',
    'CustomerFilter',
    'CustomerOrder',
    'CustomerOrderField',
  ],
  ...['CustomerConnection', 'CustomerEdge', 'InteractionConnection', 'InteractionEdge'],
  ...['AtRiskCustomer', 'AtRiskReason', 'AtRiskReasonCode', 'WorkspaceStatistics', 'BandCount', 'ScoreMovement'],
  ...['ScoringModel', 'BandDefinition', 'Category', 'InteractionType', 'SegmentWeight', 'CustomerWeight', 'Workspace'],
  ...[
    'Band',
    'Sentiment',
    'JourneyStage',
    'SentimentHandling',
    'ValueScale',
    'ApiKeyKind',
    'OrderDirection',
    'WeightSource',
  ],
  ...['TrendDirection', 'ScoreFlagCode', 'DateTime', 'JSON'],
];

describe('the schema', () => {
  it('is committed as SDL in apps/server/schema.graphql (run `npm run schema:print` in apps/server after a change)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(printPulsoSchema());
  });

  it('describes every type, field, argument and enum value of the read API', () => {
    const missing: string[] = [];
    const describeArgs = (
      owner: string,
      args: readonly { name: string; description?: string | null | undefined }[],
    ) => {
      // first/last/before/after are Relay's connection arguments.
      for (const arg of args) if (!arg.description && !RELAY_ARGS.has(arg.name)) missing.push(`${owner}(${arg.name})`);
    };
    for (const name of READ_TYPES) {
      const type = schema.getType(name);
      expect(type, name).toBeDefined();
      if (!type!.description) missing.push(name);
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${name}.${value.name}`);
      }
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description && !RELAY_FIELDS.has(field.name)) missing.push(`${name}.${field.name}`);
          if ('args' in field) describeArgs(`${name}.${field.name}`, field.args);
        }
      }
    }
    const query = schema.getQueryType()!.getFields();
    for (const name of READ_ROOTS) {
      expect(query[name], name).toBeDefined();
      if (!query[name]!.description) missing.push(`Query.${name}`);
      describeArgs(`Query.${name}`, query[name]!.args);
    }
    expect(missing).toEqual([]);
  });

  it('describes every named type, field, argument and enum value of the whole schema', () => {
    // Everything a client can see, the Relay plugin's generated types included; only the
    // built-in scalars (String, Int, Float, Boolean, ID) and introspection types are exempt.
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      if (!type.description) missing.push(type.name);
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          if ('args' in field)
            for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
