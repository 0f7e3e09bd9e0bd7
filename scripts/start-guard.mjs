// A second `npm start` on a checkout whose server is running is refused here, before install,
// generate or build can rewrite anything under that server (the server would refuse too, but only
// once it starts, after the preparation). Two checks, each the server's own refusal made early:
// the PGlite data folder's lock file names a live process on this machine
// (packages/database/src/data-folder-lock.ts), or the port is taken. Node built-ins only: this runs
// before anything is installed.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The process holding the PGlite data folder the server would open, if any (the server's rules: target-from-env.ts). */
function folderHolder(env, cwd) {
  if (env.DATABASE_URL?.trim()) return undefined;
  const setting = env.PULSO_DATA_DIR?.trim() || '.pulso/data';
  if (setting.startsWith('memory://')) return undefined;
  const dataDir = resolve(env.INIT_CWD ?? cwd, setting);
  try {
    const holder = JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8'));
    const pid = Number(holder.pid);
    if (holder.host === hostname() && Number.isInteger(pid) && pid !== process.pid && isAlive(pid))
      return { dataDir, pid };
  } catch {
    // No lock file, or one cut short by a crash: nobody holds the folder.
  }
  return undefined;
}

function portTaken(port, host) {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', (error) => done(error.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => done(false)));
  });
}

/** Why a start must not go on, in the server's words, or undefined. */
export async function whyBusy(env, cwd) {
  const held = folderHolder(env, cwd);
  if (held)
    return `the data folder ${held.dataDir} is in use by another Pulso process (pid ${held.pid}); stop it first or choose another PULSO_DATA_DIR`;
  const port = Number(env.PORT?.trim() || 4000);
  const host = env.HOST?.trim() || '127.0.0.1';
  // A malformed PORT is left to the server's configuration check, which names every problem.
  if (Number.isInteger(port) && port > 0 && port < 65536 && (await portTaken(port, host)))
    return `PORT: ${port} is already in use on ${host}`;
  return undefined;
}
