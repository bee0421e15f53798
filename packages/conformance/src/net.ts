import { createServer } from 'node:net';

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
