import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuthenticateOptions,
  type AuthInfo,
  checkClaims,
  checkScopes,
  createVerifier,
  isTokengateError,
  type TokenRequest,
  type Verifier,
} from '@tokengate/core';
import type { StartAdapter } from './contract.js';

/**
 * Core's framework-neutral request view over a Node request. Header values come from
 * `rawHeaders`, because `req.headers` folds two `Authorization` headers into one.
 *
 * @example
 * const auth = await verifier.authenticate(toTokenRequest(req, new URL(req.url!, 'http://x')));
 */
export function toTokenRequest(req: IncomingMessage, url: URL): TokenRequest {
  return {
    header(name) {
      const wanted = name.toLowerCase();
      const values: string[] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        if (req.rawHeaders[i]!.toLowerCase() === wanted) values.push(req.rawHeaders[i + 1]!);
      }
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    },
    query(name) {
      const values = url.searchParams.getAll(name);
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    },
  };
}

interface RouteSpec {
  verifier?: Verifier;
  authenticate?: AuthenticateOptions;
  guard?: (auth: AuthInfo) => void;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown) {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * The smallest adapter: node:http + `verifier.authenticate`. It is the suite's own test and
 * the pattern the framework adapters follow.
 *
 * @example
 * runConformance('node:http reference adapter', startReferenceAdapter);
 */
export const startReferenceAdapter: StartAdapter = async (app) => {
  const main = app.verifier;
  const routes: Record<string, RouteSpec> = {
    '/protected': { verifier: main },
    '/scoped': { verifier: main, guard: (a) => checkScopes(a, ['read:things']) },
    '/scoped-any': {
      verifier: main,
      guard: (a) => checkScopes(a, ['admin', 'write:things'], 'any'),
    },
    '/claims': { verifier: main, guard: (a) => checkClaims(a, { org: 'acme' }) },
    '/optional': { verifier: main, authenticate: { optional: 'allow-missing' } },
    '/lenient': { verifier: main, authenticate: { optional: 'allow-invalid' } },
    '/public': {},
    '/down': { verifier: createVerifier(app.downOptions) },
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routes[url.pathname];
    if (!route) return send(res, 404, {}, { error: 'not_found' });
    let auth: AuthInfo | null = null;
    try {
      if (route.verifier) {
        auth = await route.verifier.authenticate(toTokenRequest(req, url), route.authenticate);
        if (auth && route.guard) route.guard(auth);
      }
    } catch (error) {
      if (!isTokengateError(error) || !route.verifier) {
        return send(res, 500, {}, { error: 'server_error' });
      }
      const { status, headers, body } = route.verifier.prepareError(error).toResponse();
      return send(res, status, headers, body);
    }
    send(res, 200, {}, app.hit(url.pathname, auth));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
