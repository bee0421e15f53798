// The resource server's DPoP check: its options, and the request URI a proof's `htu` is
// compared with (RFC 9449 §4.3 check 9) — a configured origin, or what a trusted proxy forwarded,
// never the client's own `Host` or `X-Forwarded-*` headers.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidDpopProofError, TokenBindingError, UseDpopNonceError } from '../errors.js';
import { createVerifier as createNodeVerifier } from '../node/verifier.js';
import type { VerifierOptions } from '../options.js';
import { athOf, type DpopKey, dpopKey, proof } from '../test-support/dpop.js';
import { dpopView, type ViewInit } from '../test-support/dpop-exchange.js';
import { AUDIENCE, ISSUER, NOW, SECRET } from '../test-support/tokens.js';
import type { TokenRequest } from '../types.js';
import { createVerifier } from '../verifier.js';
import { createDpopCheck, requireRequestView } from './dpop.js';
import { createProxyTrust } from './proxy.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
const base = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };

let key: DpopKey;
beforeAll(async () => {
  key = await dpopKey('ES256');
});
beforeEach(() => vi.useFakeTimers({ now: NOW * 1000, toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

function checkOf(options: Partial<VerifierOptions>) {
  const all = { ...base, ...options } as VerifierOptions;
  const check = createDpopCheck(all, createProxyTrust(all.trustProxy));
  if (check === undefined) return expect.fail('expected a DPoP check');
  return check;
}

/** Run the check on a request whose proof names `htu` (and `htm` GET unless told). */
async function run(options: Partial<VerifierOptions>, htu: string, init: ViewInit = {}) {
  const dpop = await proof(key, { htm: 'GET', htu, ath: await athOf(TOKEN) });
  const view = dpopView({ ...init, headers: { dpop, ...init.headers } });
  return checkOf(options).check(view, TOKEN, key.jkt);
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error as Error,
  );

describe('createDpopCheck', () => {
  it('is undefined when dpop is off, and says required and algorithms otherwise', () => {
    expect(createDpopCheck(base, undefined)).toBeUndefined();
    expect(createDpopCheck({ ...base, dpop: 'off' }, undefined)).toBeUndefined();
    const check = checkOf({
      dpop: { mode: 'required', origin: 'https://a.example', algorithms: ['ES256'] },
    });
    expect(check.required).toBe(true);
    expect(check.algorithms).toEqual(['ES256']);
    expect(checkOf({ dpop: { origin: 'https://a.example' } }).required).toBe(false);
  });

  it('compares htu with the configured origin and the request path', async () => {
    const dpop = { origin: 'https://api.example.com' };
    expect(
      await run({ dpop }, 'https://api.example.com/things', { url: '/things?x=1' }),
    ).toBeUndefined();
    const error = await refusal(run({ dpop }, 'https://api.example.com/other', { url: '/things' }));
    expect(error).toBeInstanceOf(InvalidDpopProofError);
  });

  it('accepts the htu of any configured origin, and no other', async () => {
    const dpop = { origin: ['https://a.example', 'HTTPS://B.example:443'] };
    expect(await run({ dpop }, 'https://b.example/things')).toBeUndefined();
    expect(await run({ dpop }, 'https://a.example/things')).toBeUndefined();
    expect(await refusal(run({ dpop }, 'https://c.example/things'))).toBeInstanceOf(
      InvalidDpopProofError,
    );
  });

  it('ignores forwarded headers and Host when an origin is configured', async () => {
    const options = { dpop: { origin: 'https://api.example.com' }, trustProxy: true };
    const headers = {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
    };
    const error = await refusal(run(options, 'https://evil.example/things', { headers }));
    expect(error.message).toBe('The DPoP proof is for another URI ("htu")');
  });

  it('takes the origin a trusted proxy forwarded when none is configured', async () => {
    const options = { dpop: 'allowed' as const, trustProxy: ['10.0.0.1'] };
    const forwarded = {
      headers: { forwarded: 'for=1.2.3.4;proto=https;host=api.example.com' },
      remoteAddress: '10.0.0.1',
    };
    expect(await run(options, 'https://api.example.com/things', forwarded)).toBeUndefined();
    const xff = {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'API.example.com:443' },
      remoteAddress: '::ffff:10.0.0.1',
    };
    expect(await run(options, 'https://api.example.com/things', xff)).toBeUndefined();
  });

  it('never believes forwarded headers or Host from a peer that is not a trusted proxy', async () => {
    const options = { dpop: 'allowed' as const, trustProxy: ['10.0.0.1'] };
    const headers = {
      host: 'api.example.com',
      'x-forwarded-host': 'api.example.com',
      'x-forwarded-proto': 'https',
    };
    for (const remoteAddress of ['10.0.0.2', undefined]) {
      const error = await refusal(
        run(options, 'https://api.example.com/things', { headers, remoteAddress }),
      );
      expect(error).toBeInstanceOf(InvalidDpopProofError);
      expect(error.message).toMatch(
        /^The request URI cannot be established: .*not a trusted proxy/,
      );
    }
  });

  it('refuses when the trusted proxy forwarded no usable origin', async () => {
    const options = { dpop: 'allowed' as const, trustProxy: true };
    const none = await refusal(run(options, 'https://api.example.com/things', {}));
    expect(none.message).toMatch(/forwarded origin is not a valid origin/);
    for (const headers of [
      { host: 'a b' },
      { host: 'api.example.com/things' },
      { 'x-forwarded-host': 'api.example.com?x' },
      { 'x-forwarded-proto': 'https://api.example.com#', host: 'evil.example' },
      { 'x-forwarded-proto': 'ftp', host: 'api.example.com' },
    ]) {
      const bad = await refusal(run(options, 'https://api.example.com/things', { headers }));
      expect(bad.message).toMatch(/forwarded origin is not a valid origin/);
    }
  });

  it('refuses a request target without a path', async () => {
    const error = await refusal(
      run({ dpop: { origin: 'https://a.example' } }, 'https://a.example/', { url: '*' }),
    );
    expect(error.message).toMatch(/request target has no valid path/);
    const absolute = { url: 'https://a.example/things?x' };
    expect(
      await run({ dpop: { origin: 'https://a.example' } }, 'https://a.example/things', absolute),
    ).toBeUndefined();
  });

  it("refuses a proof signed by another key than the token's", async () => {
    const dpop = await proof(key, {
      htm: 'GET',
      htu: 'https://a.example/things',
      ath: await athOf(TOKEN),
    });
    const check = checkOf({ dpop: { origin: 'https://a.example' } });
    const other = await dpopKey('ES256');
    const error = await refusal(check.check(dpopView({ headers: { dpop } }), TOKEN, other.jkt));
    expect(error).toBeInstanceOf(TokenBindingError);
  });

  it('returns a DPoP-Nonce header when a fresh nonce is due', async () => {
    const options = {
      dpop: { origin: 'https://a.example', nonce: { secret: 's'.repeat(32), lifetime: 60 } },
    };
    const check = checkOf(options);
    const asked = await refusal(run(options, 'https://a.example/things'));
    expect(asked).toBeInstanceOf(UseDpopNonceError);
    const nonce = (asked as UseDpopNonceError).nonce;
    vi.setSystemTime((NOW + 60) * 1000);
    const dpop = await proof(key, {
      htm: 'GET',
      htu: 'https://a.example/things',
      ath: await athOf(TOKEN),
      nonce,
    });
    const headers = await check.check(dpopView({ headers: { dpop } }), TOKEN, key.jkt);
    expect(headers?.['DPoP-Nonce']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(headers?.['DPoP-Nonce']).not.toBe(nonce);
  });

  it("uses the verifier's clockTolerance for iat", async () => {
    const dpop = await proof(key, {
      htm: 'GET',
      htu: 'https://a.example/things',
      ath: await athOf(TOKEN),
      iat: NOW + 20,
    });
    const view = dpopView({ headers: { dpop } });
    await expect(
      checkOf({ dpop: { origin: 'https://a.example' } }).check(view, TOKEN, key.jkt),
    ).rejects.toThrow(/future/);
    const lenient = checkOf({ dpop: { origin: 'https://a.example' }, clockTolerance: '30s' });
    expect(await lenient.check(view, TOKEN, key.jkt)).toBeUndefined();
  });

  it('throws a plain Error for a request without method or URL', () => {
    const bare: TokenRequest = { header: () => undefined };
    expect(() => requireRequestView(bare)).toThrow(/DPoP needs the request method and URL/);
    expect(() => requireRequestView({ ...bare, method: 'GET' } as TokenRequest)).toThrow(Error);
    expect(() => requireRequestView(dpopView())).not.toThrow();
  });
});

describe.each([
  ['web engine', createVerifier],
  ['node engine', createNodeVerifier],
])('the dpop option (%s)', (_engine, make) => {
  it('throws TypeError naming the option on misuse', () => {
    const cases: [Partial<VerifierOptions>, RegExp][] = [
      [{ dpop: 'allowed', extract: () => undefined }, /cannot be combined with "extract"/],
      [{ dpop: 'allowed' }, /"dpop" needs "dpop.origin"/],
      [{ dpop: 'required', trustProxy: false }, /"dpop" needs "dpop.origin"/],
      [{ dpop: { origin: 'https://api.example.com/path' } }, /"dpop.origin" must be an origin/],
      [{ dpop: { origin: 'ftp://api.example.com' } }, /"dpop.origin" must be an origin/],
      [{ dpop: { origin: ['https://a.example', 'nope'] } }, /"dpop.origin" must be an origin/],
      [
        { dpop: { origin: 'https://a.example', algorithms: ['HS256'] } },
        /"dpop.algorithms": "HS256"/,
      ],
      [
        { dpop: { origin: 'https://a.example', algorithms: [] } },
        /"dpop.algorithms" must be a non-empty array/,
      ],
      [
        { dpop: { origin: 'https://a.example', nonce: { secret: 'short' } } },
        /"dpop.nonce.secret" must be .*32 bytes/,
      ],
      [{ dpop: { origin: 'https://a.example', maxAge: 'forever' } }, /"dpop.maxAge"/],
      [{ dpop: { origin: 'https://a.example', replayStore: {} as never } }, /"dpop.replayStore"/],
      [{ dpop: { origin: 'https://a.example', mode: 'on' as never } }, /"dpop.mode"/],
      [
        { dpop: { origin: 'https://a.example', nonces: {} } as never },
        /Unknown option "dpop.nonces"/,
      ],
      [{ dpop: 'yes' as never }, /"dpop" must be/],
    ];
    for (const [options, message] of cases)
      expect(() => make({ ...base, ...options } as VerifierOptions)).toThrow(message);
  });

  it('accepts an origin, or trustProxy instead of one', () => {
    expect(() => make({ ...base, dpop: { origin: 'http://127.0.0.1:8080' } })).not.toThrow();
    expect(() => make({ ...base, dpop: 'required', trustProxy: ['127.0.0.1'] })).not.toThrow();
  });
});
