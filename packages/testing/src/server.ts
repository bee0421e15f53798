import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One request the test issuer's server received.
 *
 * @example
 * expect(issuer.requests.map((r) => r.path)).toContain('/.well-known/jwks.json');
 */
export interface IssuerRequest {
  readonly method: string;
  readonly path: string;
}

/**
 * Replace the JWKS response, to simulate an identity provider that is down, slow or broken.
 *
 * @example
 * issuer.setJwksResponse({ status: 500 });
 * issuer.setJwksResponse({ delayMs: 2000 }); // slower than the verifier's timeout
 * issuer.setJwksResponse(undefined); // back to normal
 */
export interface JwksResponseOverride {
  /** HTTP status. Default 200. */
  status?: number;
  /** Raw response body. Default: the real JWK Set as JSON. */
  body?: string;
  /** Extra response headers, e.g. `{ 'cache-control': 'max-age=60' }`. Default none. */
  headers?: Record<string, string>;
  /** Delay in ms before answering. Default 0. */
  delayMs?: number;
}

/** What the server serves; supplied by the issuer. */
export interface IssuerRoutes {
  jwks(): unknown;
  discovery(): unknown;
  jwksOverride(): JwksResponseOverride | undefined;
  record(request: IssuerRequest): void;
}

/** The well-known paths the server answers. */
export const JWKS_PATH = '/.well-known/jwks.json';
export const DISCOVERY_PATHS = [
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
] as const;

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

function handler(routes: IssuerRoutes, timers: Set<NodeJS.Timeout>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    routes.record({ method: req.method ?? 'GET', path });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, '{"error":"method_not_allowed"}', { allow: 'GET, HEAD' });
      return;
    }
    if ((DISCOVERY_PATHS as readonly string[]).includes(path)) {
      send(res, 200, JSON.stringify(routes.discovery()), {});
      return;
    }
    if (path !== JWKS_PATH) {
      send(res, 404, '{"error":"not_found"}', {});
      return;
    }
    const override = routes.jwksOverride();
    const answer = () =>
      send(
        res,
        override?.status ?? 200,
        override?.body ?? JSON.stringify(routes.jwks()),
        override?.headers ?? {},
      );
    if (!override?.delayMs) return answer();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) answer();
    }, override.delayMs);
    timers.add(timer);
  };
}

/** A started loopback server. */
export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Start the issuer's HTTP server on 127.0.0.1 (random port unless `port` is given).
 *
 * @example
 * const server = await startIssuerServer(routes);
 */
export async function startIssuerServer(routes: IssuerRoutes, port = 0): Promise<RunningServer> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer(handler(routes, timers));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
