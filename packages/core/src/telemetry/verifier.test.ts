// The `logger` and `telemetry` options on a whole verifier, over a real loopback JWKS server:
// one line per outage whatever the traffic, the cause in health(), events per verification.
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeySetUnavailableError } from '../errors.js';
import type { VerifierOptions } from '../options.js';
import {
  type JwksServer,
  makeKey,
  startJwksServer,
  type TestKey,
} from '../test-support/jwks-server.js';
import { createVerifier, type Verifier } from '../verifier.js';
import type { VerificationEvent } from './types.js';

const ISSUER = 'https://id.example/';
const T0 = Date.UTC(2026, 0, 1);
let server: JwksServer;
let k1: TestKey;

function logger() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

function token(iss = ISSUER): Promise<string> {
  return new SignJWT({ sub: 'u1' })
    .setProtectedHeader({ alg: 'ES256', kid: k1.kid })
    .setIssuer(iss)
    .setAudience('api')
    .setExpirationTime('1h')
    .sign(k1.privateKey);
}

async function outcome(verifier: Verifier, jwt: string): Promise<unknown> {
  return verifier.verify(jwt).then(
    () => 'ok',
    (error: unknown) => error,
  );
}

async function failMany(verifier: Verifier, jwt: string, times = 10): Promise<void> {
  for (let i = 0; i < times; i++) {
    expect(await outcome(verifier, jwt)).toBeInstanceOf(KeySetUnavailableError);
    vi.setSystemTime(Date.now() + 31_000);
  }
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  server = await startJwksServer();
  k1 = await makeKey('k1');
  server.routes.set('/jwks.json', { body: { keys: [k1.jwk] } });
});

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await server.close();
});

const jwksUri = () => `${server.origin}/jwks.json`;
const options = (extra: Partial<VerifierOptions> = {}): VerifierOptions => ({
  jwksUri: jwksUri(),
  issuer: ISSUER,
  audience: 'api',
  ...extra,
});

describe('the logger option', () => {
  it('logs a failing JWKS once with the URL and the cause, and its recovery once', async () => {
    const log = logger();
    const verifier = createVerifier(options({ logger: log }));
    const jwt = await token();
    server.fault = { kind: 'status', status: 500 };
    await failMany(verifier, jwt);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0]?.[0]).toContain(jwksUri());
    expect(log.error.mock.calls[0]?.[0]).toContain('unexpected HTTP status 500');
    expect(log.error.mock.calls[0]?.[1]).toMatchObject({
      url: jwksUri(),
      cause: { kind: 'http-status', status: 500 },
    });
    const health = verifier.health();
    expect(health.state).toBe('empty');
    expect(health.sources[ISSUER]).toMatchObject({
      lastError: expect.stringContaining('unexpected HTTP status 500'),
      failure: { url: jwksUri(), cause: { kind: 'http-status', status: 500 }, count: 10 },
    });

    server.fault = { kind: 'none' };
    for (let i = 0; i < 5; i++) expect(await outcome(verifier, jwt)).toBe('ok');
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(log.info.mock.calls[0]?.[0]).toMatch(/available again/);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(verifier.health().sources[ISSUER]).not.toHaveProperty('failure');
  });

  it('defaults to console, and logger: false silences it', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    server.fault = { kind: 'status', status: 500 };
    const jwt = await token();
    await failMany(createVerifier(options({ logger: false })), jwt, 3);
    expect(error).not.toHaveBeenCalled();
    await failMany(createVerifier(options()), jwt, 3);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toContain(jwksUri());
  });

  it('reaches the key sources of an issuers list and of an issuers resolver', async () => {
    server.fault = { kind: 'status', status: 502 };
    const tenant = { issuer: ISSUER, jwksUri: jwksUri(), audience: 'api' };
    const listed = logger();
    await failMany(createVerifier({ issuers: [tenant], logger: listed }), await token(), 3);
    expect(listed.error).toHaveBeenCalledTimes(1);
    const resolved = logger();
    const verifier = createVerifier({ issuers: async () => tenant, logger: resolved });
    await failMany(verifier, await token(), 3);
    expect(resolved.error).toHaveBeenCalledTimes(1);
    expect(verifier.health().sources[ISSUER]?.failure?.cause).toEqual({
      kind: 'http-status',
      status: 502,
    });
  });

  it('is checked at construction', () => {
    expect(() => createVerifier(options({ logger: 'console' as never }))).toThrow(TypeError);
    expect(() => createVerifier(options({ loger: console } as never))).toThrow(
      /Unknown option "loger" \(did you mean "logger"\?\)/,
    );
  });
});

describe('the telemetry option', () => {
  it('hears every verification with its outcome and error code, and every fetch', async () => {
    const events: VerificationEvent[] = [];
    const fetches = vi.fn();
    const verifier = createVerifier(
      options({
        logger: false,
        telemetry: { startVerification: () => (e) => void events.push(e), keySetFetch: fetches },
      }),
    );
    expect(await outcome(verifier, await token())).toBe('ok');
    expect(await outcome(verifier, await token('https://evil.example/'))).not.toBe('ok');
    expect(await outcome(verifier, 'not.a.token')).not.toBe('ok');
    expect(events).toMatchObject([
      { outcome: 'success', issuer: ISSUER },
      { outcome: 'failure', code: 'ERR_CLAIM_INVALID', status: 401 },
      { outcome: 'failure', code: 'ERR_TOKEN_MALFORMED', status: 401 },
    ]);
    expect(fetches).toHaveBeenCalledTimes(1);
    expect(fetches.mock.calls[0]?.[0]).toMatchObject({
      source: jwksUri(),
      url: jwksUri(),
      outcome: 'success',
      keyCount: 1,
    });
  });

  it('hears requests through authenticate() and a cached token too', async () => {
    const events: VerificationEvent[] = [];
    const verifier = createVerifier(
      options({ cache: true, telemetry: { startVerification: () => (e) => void events.push(e) } }),
    );
    const bearer = `Bearer ${await token()}`;
    const request = (authorization?: string) => ({
      header: (name: string) =>
        name.toLowerCase() === 'authorization' ? authorization : undefined,
    });
    await verifier.authenticate(request(bearer));
    await verifier.authenticate(request(bearer));
    await verifier.authenticate(request()).catch(() => undefined); // no token: no verification
    expect(events.map((e) => e.outcome)).toEqual(['success', 'success']);
  });
});
