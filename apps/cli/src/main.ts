// The `pulso` command for operators (`npm run pulso -- <command>`): see cli.ts for the commands.
// Each opens the configured database itself (DATABASE_URL, else the embedded one in
// PULSO_DATA_DIR), or goes through the server holding that folder.
import { runPulso } from './cli.ts';
import { processIo } from './io.ts';

process.exit(await runPulso(process.argv.slice(2), { io: processIo, env: process.env }));
