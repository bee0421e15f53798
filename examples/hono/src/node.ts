import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { AppConfig } from './config.js';

/**
 * Start the example on 127.0.0.1 and resolve once it listens.
 *
 * @example
 * const { url, server } = await start(loadConfig({ PORT: '0' }));
 */
export function start(config: AppConfig): Promise<{ url: string; server: ServerType }> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: createApp(config).fetch, port: config.port, hostname: '127.0.0.1' },
      (info) => resolve({ url: `http://127.0.0.1:${info.port}`, server }),
    );
  });
}
