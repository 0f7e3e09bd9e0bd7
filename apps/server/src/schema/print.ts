// Prints the schema as SDL into apps/server/schema.graphql, the contract frontend teams code
// against: `npm run schema:print` (in apps/server) after any schema change. schema.test.ts fails
// while the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from './index.ts';

export const schemaFile = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

export function printPulsoSchema(): string {
  return `${printSchema(schema)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaFile, printPulsoSchema());
  console.log(`wrote ${schemaFile}`);
}
