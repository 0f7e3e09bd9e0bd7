// The embedded database's folders are their owner's alone.
import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * Creates the data folder readable by its owner only, and makes an existing one so, as PostgreSQL
 * insists on for its own data directory. PGlite writes its files readable and writable by every
 * user (mode 0666, whatever the umask), and they hold every workspace's data and token signing
 * secrets: another account on the machine could read the secrets and forge tokens, or alter the
 * files. Closing the folder closes everything inside it, files written later included.
 */
export function keepPrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if ((statSync(dataDir).mode & 0o077) !== 0) chmodSync(dataDir, 0o700);
}
