import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';

/**
 * A loopback JWKS URL where nothing listens (a port that was free a moment ago), for the
 * "identity provider is down" case.
 *
 * @example
 * const uri = await deadJwksUri(); // http://127.0.0.1:40123/.well-known/jwks.json
 */
export async function deadJwksUri(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}

/**
 * A JWKS endpoint on 127.0.0.1 that answers every request with HTTP 500, and an ES256 token
 * (`iss` {@link FAILING_ISSUER}, `aud` `api`, `kid` `k1`) whose key it never serves: the
 * "identity provider answers, but badly" case, for the key-source logging tests.
 *
 * @example
 * const down = await startFailingJwks();
 * createVerifier({ jwksUri: down.jwksUri, issuer: FAILING_ISSUER, audience: 'api' });
 * await down.close();
 */
export async function startFailingJwks(): Promise<{
  jwksUri: string;
  token: string;
  close(): Promise<void>;
}> {
  const server = createHttpServer((_req, res) => res.writeHead(500).end('down'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { privateKey } = await generateKeyPair('ES256');
  const token = await new SignJWT({ sub: 'u1' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuer(FAILING_ISSUER)
    .setAudience('api')
    .setExpirationTime('1h')
    .sign(privateKey);
  return {
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The issuer of {@link startFailingJwks}'s token. */
export const FAILING_ISSUER = 'https://id.example/';
