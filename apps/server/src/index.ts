export { createPulsoServer, type PulsoServer, type PulsoServerOptions } from './server.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export { createLogger } from './logger.ts';
