export { createPulsoServer, type PulsoServer, type PulsoServerOptions } from './server.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export { createLogger } from './logger.ts';
// The executable schema, for checks generated from it (test/fuzz, test/publishable-scope.test.ts).
export { schema } from './schema/index.ts';
