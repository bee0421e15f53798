// The verifier's authentication as the request protocol runs it (createGate): the same
// verdicts as the public `authenticate`, and an answer in the same turn when no step waited.
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokengateError } from '../errors.js';
import { createVerifier as createNodeVerifier } from '../node/verifier.js';
import { createGate } from '../protocol/gate.js';
import { compileRouteRules } from '../protocol/rules.js';
import { type Answer, exchange, settledAs } from '../test-support/exchange.js';
import type { TokenRequest } from '../types.js';
import { createVerifier, createVerifierWith } from '../verifier.js';
import { webEngine } from '../web/engine.js';

const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!');
const other = new TextEncoder().encode('another-shared-secret-of-32-bytes-or-more');
const NOW = 1_800_000_000;
const ISS = 'https://id.example/';
const mint = (exp = NOW + 60, key = secret, iss = ISS) =>
  new SignJWT({ scope: 'read write', sub: 'u1' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(iss)
    .setExpirationTime(exp)
    .sign(key);

const request = (authorization?: string): TokenRequest => ({
  header: (name) => (name === 'authorization' ? authorization : undefined),
});

/** The settled outcome of a promise: its value, or the code it rejected with. */
async function settled(promise: Promise<unknown>): Promise<{ value?: unknown; code?: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { code: (error as TokengateError).code };
  }
}

afterEach(() => vi.useRealTimers());

describe.each([
  ['Web engine', createVerifier],
  ['node engine', createNodeVerifier],
])('authentication through the request protocol, %s', (name, create) => {
  it('gives the verdicts verifier.authenticate gives, in every optional mode', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const headers = [
      undefined,
      `Bearer ${await mint()}`,
      `Bearer ${await mint(NOW + 60, other)}`,
      `Bearer ${await mint(NOW + 60, secret, 'https://evil.example/')}`,
      `Bearer ${await mint(NOW - 60)}`,
      'Bearer a.b',
      'Basic dXNlcjpwYXNz',
      'Bearer',
    ];
    for (const cache of [false, true]) {
      const verifier = create({ secret, issuer: ISS, audience: false, cache });
      const gate = createGate(verifier);
      for (const optional of [undefined, false, 'allow-missing', 'allow-invalid'] as const) {
        const rules = compileRouteRules({ optional }, 'test');
        for (const header of headers) {
          const opts = optional === undefined ? undefined : { optional };
          const expected = await settled(verifier.authenticate(request(header), opts));
          const answer = gate.authenticate(exchange(request(header)), rules);
          const context = `${header} ${optional} cache ${cache}`;
          // Only the Web engine may need a promise (its signature step is Web Crypto).
          if (answer instanceof Promise) expect(name, context).toBe('Web engine');
          expect(settledAs(await answer), context).toEqual(expected);
        }
      }
    }
  });

  it('answers a missing or malformed credential without a promise', () => {
    const gate = createGate(create({ issuer: ISS, audience: false, secret, realm: 'api' }));
    const anonymous = compileRouteRules({ optional: 'allow-missing' }, 'test');
    expect(gate.authenticate(exchange(request()), anonymous)).toEqual({
      kind: 'pass',
      auth: undefined,
    });
    const missing = gate.authenticate(exchange(request())) as Answer;
    expect(missing).toMatchObject({ kind: 'refuse', refusal: { status: 401 } });
    expect((missing as { refusal: { headers: unknown } }).refusal.headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="api"',
    });
    // RFC 6750 §3.1: invalid_request is never swallowed by an optional mode.
    const lenient = compileRouteRules({ optional: 'allow-invalid' }, 'test');
    const twoTokens = gate.authenticate(exchange(request('Bearer a b')), lenient);
    expect(twoTokens).toMatchObject({
      kind: 'refuse',
      refusal: { status: 400, body: { error: 'invalid_request' } },
    });
  });

  it('goes through a promise with a custom extractor', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint();
    const gate = createGate(create({ issuer: ISS, audience: false, secret, extract: () => token }));
    const answer = gate.authenticate(exchange(request()));
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toMatchObject({ kind: 'pass', auth: { claims: { sub: 'u1' } } });
  });

  it('refuses what a custom extractor throws as invalid_request, in every mode', async () => {
    const gate = createGate(
      create({
        issuer: ISS,
        audience: false,
        secret,
        optional: 'allow-invalid',
        extract: () => {
          throw new Error('unreadable');
        },
      }),
    );
    expect(await gate.authenticate(exchange(request()))).toMatchObject({
      kind: 'refuse',
      refusal: { status: 400, body: { error: 'invalid_request' } },
    });
  });
});

describe('authentication on the node engine', () => {
  it('passes an invalid token as undefined under allow-invalid, without a promise', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const gate = createGate(
      createNodeVerifier({ issuer: ISS, audience: false, secret, optional: 'allow-invalid' }),
    );
    const invalid = gate.authenticate(exchange(request(`Bearer ${await mint(NOW + 60, other)}`)));
    expect(invalid).toEqual({ kind: 'pass', auth: undefined });
    const valid = gate.authenticate(exchange(request(`Bearer ${await mint()}`)));
    expect(valid).toMatchObject({ kind: 'pass', auth: { claims: { sub: 'u1' } } });
  });

  it('answers anonymous requests with undefined through verifier.authenticate too', async () => {
    const verifier = createNodeVerifier({
      issuer: ISS,
      audience: false,
      secret,
      optional: 'allow-invalid',
    });
    expect(await verifier.authenticate(request())).toBeUndefined();
    expect(await verifier.authenticate(request('Bearer a.b'))).toBeUndefined();
    await expect(verifier.authenticate(request(), { optional: false })).rejects.toMatchObject({
      code: 'ERR_TOKEN_MISSING',
    });
  });
});

describe('the Web engine with a cache', () => {
  it('answers a known token without a promise, with the verdict of a fresh verification', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const verifier = createVerifierWith(webEngine, {
      secret,
      issuer: ISS,
      audience: false,
      cache: true,
    });
    const gate = createGate(verifier);
    const line = `Bearer ${await mint()}`;
    const first = await gate.authenticate(exchange(request(line)));
    const again = gate.authenticate(exchange(request(line)));
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ kind: 'pass', auth: { claims: { sub: 'u1' } } });
    const otherToken = gate.authenticate(exchange(request(`Bearer ${await mint(NOW + 61)}`)));
    expect(otherToken).toBeInstanceOf(Promise);
  });
});
