// The Node build publishes verification outcomes and key-set fetches on diagnostics_channel,
// with no option, for whoever subscribes.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeySetFetchEvent, VerificationEvent } from '../telemetry/types.js';
import {
  type JwksServer,
  makeKey,
  startJwksServer,
  type TestKey,
} from '../test-support/jwks-server.js';
import { createVerifier } from './index.js';

const ISSUER = 'https://id.example/';
let server: JwksServer;
let k1: TestKey;
const verifications: VerificationEvent[] = [];
const fetches: KeySetFetchEvent[] = [];
const onVerify = (message: unknown) => void verifications.push(message as VerificationEvent);
const onJwks = (message: unknown) => void fetches.push(message as KeySetFetchEvent);

function token(): Promise<string> {
  return new SignJWT({ sub: 'u1' })
    .setProtectedHeader({ alg: 'ES256', kid: k1.kid })
    .setIssuer(ISSUER)
    .setAudience('api')
    .setExpirationTime('1h')
    .sign(k1.privateKey);
}

beforeEach(async () => {
  verifications.length = 0;
  fetches.length = 0;
  server = await startJwksServer();
  k1 = await makeKey('k1');
  server.routes.set('/jwks.json', { body: { keys: [k1.jwk] } });
});

afterEach(async () => {
  unsubscribe('tokengate:verify', onVerify);
  unsubscribe('tokengate:jwks', onJwks);
  await server.close();
});

describe('diagnostics channels', () => {
  it('publish each verification on tokengate:verify and each fetch on tokengate:jwks', async () => {
    subscribe('tokengate:verify', onVerify);
    subscribe('tokengate:jwks', onJwks);
    const jwksUri = `${server.origin}/jwks.json`;
    const verifier = createVerifier({ jwksUri, issuer: ISSUER, audience: 'api', logger: false });
    const jwt = await token();
    await verifier.verify(jwt);
    await verifier.verify(jwt);
    await expect(verifier.verify(`${jwt}x`)).rejects.toThrow();
    expect(verifications).toMatchObject([
      { outcome: 'success', issuer: ISSUER, durationMs: expect.any(Number) },
      { outcome: 'success', issuer: ISSUER },
      { outcome: 'failure', code: expect.stringMatching(/^ERR_/), status: 401 },
    ]);
    expect(fetches).toEqual([
      {
        source: jwksUri,
        url: jwksUri,
        outcome: 'success',
        keyCount: 1,
        durationMs: expect.any(Number),
      },
    ]);
  });

  it('publish a failed fetch with its cause', async () => {
    subscribe('tokengate:jwks', onJwks);
    server.fault = { kind: 'status', status: 500 };
    const jwksUri = `${server.origin}/jwks.json`;
    const verifier = createVerifier({ jwksUri, issuer: ISSUER, audience: 'api', logger: false });
    await expect(verifier.verify(await token())).rejects.toThrow();
    expect(fetches).toMatchObject([
      { url: jwksUri, outcome: 'failure', cause: { kind: 'http-status', status: 500 } },
    ]);
  });

  it('cost nothing and publish nothing without subscribers', async () => {
    const verifier = createVerifier({
      jwksUri: `${server.origin}/jwks.json`,
      issuer: ISSUER,
      audience: 'api',
    });
    await verifier.verify(await token());
    subscribe('tokengate:verify', onVerify);
    unsubscribe('tokengate:verify', onVerify);
    await verifier.verify(await token());
    expect(verifications).toEqual([]);
  });
});
