// The `pulso` command for operators (`npm run pulso -- <command>`): see cli.ts for the commands.
// Each opens the configured database itself (DATABASE_URL, else the embedded one in
// PULSO_DATA_DIR), or goes through the server holding that folder.
import { runPulso } from './cli.ts';
import { processIo } from './io.ts';

// A reader that stopped reading (`pulso key list --all | head -1`): the rest of the output is not
// wanted, so the command ends quietly instead of throwing EPIPE.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });

const code = await runPulso(process.argv.slice(2), { io: processIo, env: process.env });
// process.exit() does not wait for output still queued: stdout and stderr are asynchronous when
// they are pipes on some platforms, or when the reader is slow, and the last line (a version, a
// key) would lose its end. An empty write's callback runs once everything before it is written.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write('', done))));
process.exit(code);
