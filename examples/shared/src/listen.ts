import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningApi } from './routes.js';

/**
 * Resolve once a Node HTTP server that was told to listen is listening, with its URL and a
 * `close()` that also drops kept-alive connections (so a demo or test shuts down at once).
 *
 * @example
 * const api = await listening(app.listen(0, '127.0.0.1'), '127.0.0.1');
 */
export function listening(server: Server, host: string): Promise<RunningApi> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      resolve({
        url: `http://${host}:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
