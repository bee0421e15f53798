import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, InvalidSignatureError, KeySetUnavailableError } from '../../src/index.js';
import {
  type JwksServer,
  makeKey,
  startJwksServer,
  type TestKey,
} from '../../src/test-support/jwks-server.js';

let server: JwksServer;
let k1: TestKey;

function token(key: TestKey, kid = key.kid) {
  return new SignJWT({ sub: 'u1' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

beforeEach(async () => {
  server = await startJwksServer();
  k1 = await makeKey('k1');
  server.routes.set('/jwks.json', { body: { keys: [k1.jwk] } });
});

afterEach(() => server.close());

describe('createVerifier with a remote JWKS', () => {
  it('verifies a token with a key from the loopback JWKS, then answers 401 for a foreign kid', async () => {
    const verifier = createVerifier({
      issuer: false,
      audience: false,
      jwksUri: `${server.origin}/jwks.json`,
      algorithms: ['ES256'],
    });
    const auth = await verifier.verify(await token(k1));
    expect(auth.claims.sub).toBe('u1');
    const other = await makeKey('other');
    await expect(verifier.verify(await token(other))).rejects.toBeInstanceOf(InvalidSignatureError);
  });

  it('answers 503 with Retry-After when the JWKS cannot be fetched on a cold start', async () => {
    server.fault = { kind: 'status', status: 500 };
    const verifier = createVerifier({
      issuer: false,
      audience: false,
      jwksUri: `${server.origin}/jwks.json`,
      algorithms: ['ES256'],
    });
    const error = await verifier.verify(await token(k1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeySetUnavailableError);
    expect((error as KeySetUnavailableError).toResponse()).toMatchObject({
      status: 503,
      headers: { 'Retry-After': expect.stringMatching(/^\d+$/) },
    });
  });
});
