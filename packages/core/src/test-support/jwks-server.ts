/**
 * A tiny JWKS / discovery server on 127.0.0.1 for tests: counts requests per path and
 * injects faults (HTTP 500, a redirect, HTML, invalid JSON, a huge body, a slow answer).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** How the server answers the next requests. */
export type Fault =
  | { kind: 'none' }
  | { kind: 'status'; status: number }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'html' }
  | { kind: 'invalid-json' }
  | { kind: 'huge'; bytes: number }
  | { kind: 'delay'; ms: number };

/** A running test server. */
export interface JwksServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Documents served by path (e.g. `/jwks.json`, `/.well-known/openid-configuration`). */
  readonly routes: Map<string, { body: unknown; cacheControl?: string }>;
  /** Requests seen, by path. */
  count(path?: string): number;
  /** Applies to every path until changed. */
  fault: Fault;
  close(): Promise<void>;
}

/**
 * Start the server on an ephemeral loopback port.
 *
 * @example
 * const server = await startJwksServer(); server.routes.set('/jwks.json', { body: { keys } });
 */
export async function startJwksServer(): Promise<JwksServer> {
  const counts = new Map<string, number>();
  const routes = new Map<string, { body: unknown; cacheControl?: string }>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const state: { fault: Fault } = { fault: { kind: 'none' } };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const fault = state.fault;
    const route = routes.get(path);
    const answer = () => {
      if (res.destroyed) return;
      if (fault.kind === 'status') return void res.writeHead(fault.status).end('error');
      if (fault.kind === 'redirect')
        return void res.writeHead(fault.status, { location: fault.location }).end();
      if (fault.kind === 'html') {
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>');
      }
      if (fault.kind === 'invalid-json') return void res.writeHead(200).end('{"keys": [');
      if (fault.kind === 'huge') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let sent = 0; sent < fault.bytes && !res.destroyed; sent += chunk.length) {
          res.write(chunk);
        }
        return void res.end();
      }
      if (!route) return void res.writeHead(404).end('not found');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (route.cacheControl) headers['cache-control'] = route.cacheControl;
      res.writeHead(200, headers).end(JSON.stringify(route.body));
    };
    if (fault.kind === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, fault.ms);
      timers.add(timer);
    } else {
      answer();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    routes,
    get fault() {
      return state.fault;
    },
    set fault(value: Fault) {
      state.fault = value;
    },
    count(path?: string) {
      if (path !== undefined) return counts.get(path) ?? 0;
      let total = 0;
      for (const n of counts.values()) total += n;
      return total;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** An ES256 key pair with its public JWK (carrying `kid`, `alg`, `use`). */
export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: Record<string, unknown>;
}

/**
 * Make an ES256 test key.
 *
 * @example
 * const k1 = await makeKey('k1');
 */
export async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
}

/**
 * Sign a short token with a test key; extra header fields (e.g. `jku`) are merged in.
 *
 * @example
 * const token = await sign(k1, { jku: 'http://127.0.0.1/evil' });
 */
export async function sign(key: TestKey, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: 'u1' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, ...header })
    .sign(key.privateKey);
}
