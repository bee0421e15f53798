import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import {
  type ExampleDeps,
  type ListenOptions,
  listening,
  type RunningApi,
} from '@tokengate-examples/shared';
import { createApp } from './app.js';

/**
 * Start the Hono example on Node (`@hono/node-server`) and resolve once it listens.
 *
 * @example
 * const api = await start(deps, { port: 0 }); // api.url, api.close()
 */
export function start(
  deps: ExampleDeps,
  { port, host = '127.0.0.1' }: ListenOptions,
): Promise<RunningApi> {
  const server = serve({ fetch: createApp(deps).fetch, port, hostname: host }) as Server;
  return listening(server, host);
}
