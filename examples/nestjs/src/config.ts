import { type ExampleConfig, type ExampleEnv, loadConfig } from '@tokengate-examples/shared';

/** The shared example configuration plus the Nest platform. */
export interface NestExampleConfig extends ExampleConfig {
  /** `PLATFORM`: `express` (default) or `fastify`. */
  platform: 'express' | 'fastify';
}

/**
 * Read the configuration from the environment (see the shared `loadConfig`); `PORT`
 * defaults to 3004. An unknown `PLATFORM` is a `TypeError`.
 *
 * @example
 * const config = loadNestConfig({ PLATFORM: 'fastify' });
 */
export function loadNestConfig(env: ExampleEnv = process.env): NestExampleConfig {
  const platform = env.PLATFORM || 'express';
  if (platform !== 'express' && platform !== 'fastify') {
    throw new TypeError(`PLATFORM must be express or fastify, got ${JSON.stringify(platform)}`);
  }
  return { ...loadConfig(env, { port: 3004 }), platform };
}
