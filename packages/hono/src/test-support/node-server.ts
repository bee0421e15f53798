import { createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** Serve a Hono app with @hono/node-server on 127.0.0.1, on a free port (HTTPS with `tls`). */
export function listen(
  app: Hono,
  tls?: ServerOptions,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const https = tls === undefined ? {} : { createServer, serverOptions: tls };
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', ...https },
      (info: AddressInfo) => {
        resolve({
          baseUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              if ('closeAllConnections' in server) server.closeAllConnections();
              server.close(() => done());
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
