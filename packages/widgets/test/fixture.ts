// Before each test file (vitest.config.ts, setupFiles): the Pulso test server, started in Node by
// the first file to ask (test/global-setup.ts), so helpers.ts can hand it out synchronously.
import { loadPulso } from './helpers.ts';

await loadPulso();
