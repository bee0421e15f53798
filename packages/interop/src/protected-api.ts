// A protected API for the interop tests: `@tokengate/node`'s `jwtAuth()` on node:http,
// 127.0.0.1, one route per verifier configuration under test.
import { createServer } from 'node:http';
import { type AuthInfo, jwtAuth, type VerifierOptions } from '@tokengate/node';
import { close, listen } from './net.js';

/** What the handler of a route saw: one entry per request that reached it. */
export interface Seen {
  readonly route: string;
  readonly auth: AuthInfo | undefined;
}

export interface ProtectedApi {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The handler calls so far. */
  readonly seen: Seen[];
  url(path: string): URL;
  close(): Promise<void>;
}

/** The verifier options of each route, from the API's origin. */
export type Routes = (origin: string) => Record<string, VerifierOptions>;

/**
 * Start the API on 127.0.0.1 (port 0). A route (`/name`, and every path under it) answers 200
 * with the token's subject and key thumbprint once `jwtAuth()` with its options let the request
 * through; other paths 404.
 */
export async function startProtectedApi(routes: Routes): Promise<ProtectedApi> {
  const seen: Seen[] = [];
  const listeners = new Map<string, ReturnType<ReturnType<typeof jwtAuth>>>();
  const server = createServer((req, res) => {
    const route = `/${new URL(req.url ?? '/', 'http://api').pathname.split('/')[1]}`;
    const listener = listeners.get(route);
    if (listener === undefined) return res.writeHead(404).end();
    listener(req, res);
  });
  const origin = `http://127.0.0.1:${await listen(server)}`;
  for (const [route, options] of Object.entries(routes(origin)))
    listeners.set(
      route,
      jwtAuth(options)((_req, res, auth) => {
        seen.push({ route, auth });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sub: auth?.claims.sub, jkt: auth?.binding?.jkt }));
      }),
    );
  return {
    origin,
    seen,
    url: (path) => new URL(path, origin),
    close: () => close(server),
  };
}
