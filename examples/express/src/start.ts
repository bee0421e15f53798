import {
  type ExampleDeps,
  type ListenOptions,
  listening,
  type RunningApi,
} from '@tokengate-examples/shared';
import { createApp } from './app.js';

/**
 * Start the Express example and resolve once it listens.
 *
 * @example
 * const api = await start(deps, { port: 0 }); // api.url, api.close()
 */
export function start(
  deps: ExampleDeps,
  { port, host = '127.0.0.1' }: ListenOptions,
): Promise<RunningApi> {
  return listening(createApp(deps).listen(port, host), host);
}
