// Runs before each test file of this project (vitest.config.ts, setupFiles): the files share their
// worker's modules, so what belongs to one file is reset here rather than when a module loads.
import { afterAll, beforeAll } from 'vitest';
import { allowServerStarts, killServersLeftRunning } from './server-process.ts';

beforeAll(allowServerStarts);
afterAll(killServersLeftRunning);
