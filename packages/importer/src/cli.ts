#!/usr/bin/env -S node --import tsx
// pulso-import: loads customers, interactions and outcomes from a CRM, help-desk or billing CSV
// export (command.ts: options, exit codes). `npm run pulso -- import ...` runs the same command.
import { importCommand } from './command.ts';

importCommand(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  note: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  // `pnpm run` starts us in the package folder: paths are relative to where the command was typed.
  cwd: process.env.INIT_CWD ?? process.cwd(),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`import: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
