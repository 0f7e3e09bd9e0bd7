// Database maintenance commands, for machines without Prisma's downloadable engine:
//   migrate                 apply pending migrations to the configured database
//   create-migration NAME   write prisma/migrations/<timestamp>_NAME from changes to schema.prisma
//   diff                    print what the configured database lacks compared with schema.prisma
//   resolve --applied|--rolled-back NAME   settle a migration a stopped process left unfinished
// The database is chosen like the server's: DATABASE_URL, else PGlite in PULSO_DATA_DIR.
import { describeTarget, openDatabase } from './database.ts';
import { createMigration, diffDatabaseToSchema, resolveMigration } from './migrations.ts';
import { databaseTargetFromEnv } from './target-from-env.ts';
import { postgresSchemaEngineAdapter } from './postgres-schema-adapter.ts';

const [command, ...args] = process.argv.slice(2);

async function main(): Promise<number> {
  switch (command) {
    case 'migrate': {
      const target = databaseTargetFromEnv();
      const db = await openDatabase(target);
      try {
        const applied = await db.migrate((migration, as) =>
          console.log(
            `${migration} was left unfinished by a stopped process: its changes were ${as === 'applied' ? 'in the database, marked applied' : 'not in the database, applied again'}`,
          ),
        );
        console.log(
          applied.length
            ? `applied ${applied.join(', ')} to ${describeTarget(target)}`
            : `${describeTarget(target)} is up to date`,
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'create-migration': {
      const name = args[0];
      if (!name) {
        console.error('usage: create-migration NAME (snake_case)');
        return 2;
      }
      const folder = await createMigration(name);
      console.log(
        folder
          ? `wrote ${folder}/migration.sql`
          : 'schema.prisma has no change since the last migration: nothing written',
      );
      return 0;
    }
    case 'diff': {
      const target = databaseTargetFromEnv();
      let sql: string;
      if (target.kind === 'postgres') {
        sql = await diffDatabaseToSchema(postgresSchemaEngineAdapter(target.url));
      } else {
        const { PGlite } = await import('@electric-sql/pglite');
        const { PGliteSchemaEngineAdapter } = await import('./pglite-schema-adapter.ts');
        const pglite = await PGlite.create(target.dataDir);
        try {
          sql = await diffDatabaseToSchema(new PGliteSchemaEngineAdapter(pglite));
        } finally {
          await pglite.close();
        }
      }
      console.log(sql || `${describeTarget(target)} matches schema.prisma`);
      return sql ? 1 : 0;
    }
    case 'resolve': {
      const [flag, name] = args;
      if ((flag !== '--applied' && flag !== '--rolled-back') || !name) {
        console.error('usage: resolve --applied NAME | --rolled-back NAME');
        return 2;
      }
      const target = databaseTargetFromEnv();
      const db = await openDatabase(target);
      try {
        const resolved = await resolveMigration(
          (sql) => db.prisma.$executeRawUnsafe(sql),
          name,
          flag === '--applied' ? 'applied' : 'rolled-back',
        );
        console.log(
          resolved
            ? `${name} is marked ${flag.slice(2)} in ${describeTarget(target)}`
            : `${describeTarget(target)} has no unfinished migration ${name}`,
        );
        return resolved ? 0 : 1;
      } finally {
        await db.close();
      }
    }
    default:
      console.error('usage: cli.ts migrate | create-migration NAME | diff | resolve --applied|--rolled-back NAME');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
