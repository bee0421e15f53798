import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** The loopback identity provider of an HTTP run: it serves the JWK Set and counts fetches. */
export interface JwksServer {
  /** `http://127.0.0.1:<port>/`: the tokens' `iss` (get-jwks derives the JWKS URL from it). */
  issuer: string;
  /** `<issuer>.well-known/jwks.json`. */
  jwksUri: string;
  /** Replace the published keys. */
  publish(keys: JWK[]): void;
  /** JWK Set requests answered since the last {@link JwksServer.resetFetches}. */
  fetches(): number;
  resetFetches(): void;
  close(): Promise<void>;
}

export const JWKS_PATH = '.well-known/jwks.json';

/**
 * Serve `{ keys }` on 127.0.0.1 (ephemeral port) with a 10-minute `Cache-Control` max age.
 *
 * @example
 * const idp = await startJwksServer(); idp.publish([fixture.publicJwk]); // idp.jwksUri, idp.fetches()
 */
export async function startJwksServer(keys: JWK[] = []): Promise<JwksServer> {
  let body = JSON.stringify({ keys });
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === `/${JWKS_PATH}`) {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=600' });
      res.end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not_found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}/`;
  return {
    issuer,
    jwksUri: `${issuer}${JWKS_PATH}`,
    publish: (next) => {
      body = JSON.stringify({ keys: next });
    },
    fetches: () => fetches,
    resetFetches: () => {
      fetches = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
