// Read by the Prisma CLI (`prisma generate`). Migrations are applied by src/migrate.ts through
// Prisma's WebAssembly schema engine, because the CLI's native engine cannot be downloaded offline.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
