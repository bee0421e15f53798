import type { ExampleDeps, ListenOptions, RunningApi } from '@tokengate-examples/shared';
import type { FastifyServerOptions } from 'fastify';
import { buildApp } from './app.js';

/**
 * Start the Fastify example and resolve once it listens.
 *
 * @example
 * const api = await start(deps, { port: 0 }); // api.url, api.close()
 */
export async function start(
  deps: ExampleDeps,
  { port, host = '127.0.0.1' }: ListenOptions,
  options: FastifyServerOptions = {},
): Promise<RunningApi> {
  const app = await buildApp(deps, { forceCloseConnections: true, ...options });
  const url = await app.listen({ port, host });
  return { url, close: () => app.close() };
}
