// verifyNow / authenticateNow (issue 10): the result without a promise when nothing
// asynchronous was needed, the same verdicts as verify / authenticate, failures thrown prepared.
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidRequestError,
  InvalidSignatureError,
  MalformedTokenError,
  MissingTokenError,
  RevokedTokenError,
  TokenExpiredError,
  type TokengateError,
} from './errors.js';
import { createVerifier as createNodeVerifier } from './node/index.js';
import type { TokenRequest } from './types.js';
import { createVerifier } from './verifier.js';

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

/** The synchronous outcome of a call: its value, or the code of the error it threw. */
function outcome(call: () => unknown): { value?: unknown; code?: string; promise?: true } {
  try {
    const value = call();
    if (value instanceof Promise) {
      value.catch(() => {});
      return { promise: true };
    }
    return { value };
  } catch (error) {
    return { code: (error as TokengateError).code };
  }
}

/** The settled outcome of a promise: its value, or the code it rejected with. */
async function settled(promise: Promise<unknown>): Promise<{ value?: unknown; code?: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { code: (error as TokengateError).code };
  }
}

afterEach(() => vi.useRealTimers());

describe('verifyNow on the node entry', () => {
  for (const cache of [false, true]) {
    it(`returns the result itself, equal to verify's (cache ${cache})`, async () => {
      vi.useFakeTimers({ now: NOW * 1000 });
      const verifier = createNodeVerifier({ secret, issuer: ISS, cache });
      const token = await mint();
      const auth = verifier.verifyNow(token);
      expect(auth).not.toBeInstanceOf(Promise);
      expect(auth).toEqual(await verifier.verify(token));
      // A cache hit too, frozen like a fresh verification.
      const again = verifier.verifyNow(token);
      expect(again).not.toBeInstanceOf(Promise);
      if (again instanceof Promise) throw new Error('unreachable');
      expect(Object.isFrozen(again) && Object.isFrozen(again.claims)).toBe(true);
      expect(Object.isFrozen(again.header)).toBe(true);
      expect(() => (again.scopes as Set<string>).add('admin')).toThrow(TypeError);
      expect([...again.scopes]).toEqual(['read', 'write']);
    });
  }

  it('throws failures synchronously, with the challenge options stamped', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const verifier = createNodeVerifier({ secret, issuer: ISS, realm: 'api', cache: true });
    const cases: [string, new (...args: never[]) => TokengateError][] = [
      ['a.b', MalformedTokenError],
      [await mint(NOW + 60, other), InvalidSignatureError],
      [await mint(NOW - 60), TokenExpiredError],
    ];
    for (const [token, type] of cases) {
      let thrown: unknown;
      try {
        verifier.verifyNow(token);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(type);
      expect((thrown as TokengateError).wwwAuthenticate).toContain('realm="api"');
    }
  });

  it('hands back a promise when a hook may be asynchronous', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const isRevoked = vi.fn(async () => true);
    const verifier = createNodeVerifier({ secret, isRevoked });
    const result = verifier.verifyNow(await mint());
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toBeInstanceOf(RevokedTokenError);
    expect(isRevoked).toHaveBeenCalledTimes(1);
  });
});

describe('verifyNow on the default entry', () => {
  it('settles to the same verdicts as verify (Web Crypto is asynchronous)', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const verifier = createVerifier({ secret, issuer: ISS, cache: true });
    for (const token of [await mint(), await mint(NOW + 60, other), 'a.b', await mint(NOW - 9)]) {
      const viaNow = await settled(
        new Promise((resolve) => resolve(verifier.verifyNow(token))), // a throw rejects it
      );
      expect(viaNow).toEqual(await settled(verifier.verify(token)));
    }
  });
});

describe.each([
  ['default entry', createVerifier],
  ['node entry', createNodeVerifier],
])('authenticateNow, %s', (name, create) => {
  it('gives the verdicts authenticate gives, in every optional mode', async () => {
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
      const verifier = create({ secret, issuer: ISS, cache });
      for (const optional of [undefined, false, 'allow-missing', 'allow-invalid'] as const) {
        for (const header of headers) {
          const opts = optional === undefined ? undefined : { optional };
          const expected = await settled(verifier.authenticate(request(header), opts));
          const now = outcome(() => verifier.authenticateNow(request(header), opts));
          const context = `${header} ${optional} cache ${cache}`;
          if (now.promise) {
            // Only the default entry may need a promise (its signature step is Web Crypto).
            expect(name, context).toBe('default entry');
            const result = verifier.authenticateNow(request(header), opts);
            expect(await settled(result as Promise<unknown>), context).toEqual(expected);
          } else {
            expect(now, context).toEqual(expected);
          }
        }
      }
    }
  });

  it('answers a missing or malformed credential without a promise', () => {
    const verifier = create({ secret, realm: 'api' });
    expect(verifier.authenticateNow(request(), { optional: 'allow-missing' })).toBeNull();
    expect(() => verifier.authenticateNow(request())).toThrow(MissingTokenError);
    // invalid_request is never swallowed by an optional mode.
    const basic = request('Basic dXNlcjpwYXNz');
    expect(() => verifier.authenticateNow(basic, { optional: 'allow-invalid' })).toThrow(
      InvalidRequestError,
    );
    try {
      verifier.authenticateNow(request());
    } catch (error) {
      expect((error as TokengateError).wwwAuthenticate).toBe('Bearer realm="api"');
    }
  });

  it('goes through a promise with a custom extractor', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint();
    const verifier = create({ secret, extract: () => token });
    const result = verifier.authenticateNow(request());
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toMatchObject({ claims: { sub: 'u1' } });
  });
});

describe('authenticateNow on the node entry', () => {
  it('passes an invalid token as null under allow-invalid, without a promise', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const verifier = createNodeVerifier({ secret, optional: 'allow-invalid' });
    expect(verifier.authenticateNow(request(`Bearer ${await mint(NOW + 60, other)}`))).toBeNull();
    const valid = verifier.authenticateNow(request(`Bearer ${await mint()}`));
    expect(valid).toMatchObject({ claims: { sub: 'u1' } });
  });
});

describe('a copy of a verifier with its own verify / authenticate', () => {
  it('keeps the override when called through verifyNow / authenticateNow', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const verifier = createNodeVerifier({ secret });
    const refused = new MissingTokenError('refused by the wrapper');
    const copy = {
      ...verifier,
      verify: vi.fn(async () => Promise.reject(refused)),
      authenticate: vi.fn(async () => Promise.reject(refused)),
    };
    const header = `Bearer ${await mint()}`;
    await expect(copy.authenticateNow(request(header))).rejects.toBe(refused);
    await expect(copy.verifyNow(await mint())).rejects.toBe(refused);
    expect(copy.authenticate).toHaveBeenCalledTimes(1);
    expect(copy.verify).toHaveBeenCalledTimes(1);
    // The original is untouched, and a plain copy verifies as the original does.
    expect(verifier.authenticateNow(request(header))).toMatchObject({ claims: { sub: 'u1' } });
    const plain = { ...verifier };
    expect(plain.authenticateNow(request(header))).toMatchObject({ claims: { sub: 'u1' } });
  });
});

describe('isPromiseLike', () => {
  it('tells a pending result (a promise of any library) from a settled one', async () => {
    const { isPromiseLike } = await import('./index.js');
    expect(isPromiseLike(Promise.resolve(1))).toBe(true);
    // Objects with a `then` member, as another promise library builds them.
    const thenable = Object.fromEntries([['then', () => undefined]]);
    const notCallable = Object.fromEntries([['then', 'no']]);
    expect(isPromiseLike(thenable)).toBe(true);
    for (const settled of [null, undefined, 0, 'then', notCallable, { claims: {} }])
      expect(isPromiseLike(settled)).toBe(false);
  });
});
