// verifyToken, the step the request protocol runs: the result without a promise when no step
// had to wait, the same verdicts as the public `verify`, failures carrying the challenge.
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidSignatureError,
  MalformedTokenError,
  RevokedTokenError,
  TokenExpiredError,
  type TokengateError,
} from '../errors.js';
import { nodeEngine } from '../node/engine.js';
import type { VerifierOptions } from '../options.js';
import { joseEngine } from '../test-support/differential.js';
import { createVerifier } from '../verifier.js';
import { createContext } from './context.js';
import { verifyToken } from './token.js';

const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!');
const other = new TextEncoder().encode('another-shared-secret-of-32-bytes-or-more');
const NOW = 1_800_000_000;
const ISS = 'https://id.example/';
const mint = (exp = NOW + 60, key = secret) =>
  new SignJWT({ scope: 'read write', sub: 'u1' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISS)
    .setExpirationTime(exp)
    .sign(key);

const nodeContext = (options: VerifierOptions) => createContext(nodeEngine, options);

/** The settled outcome of a promise: its value, or the code it rejected with. */
async function settled(promise: Promise<unknown>): Promise<{ value?: unknown; code?: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { code: (error as TokengateError).code };
  }
}

afterEach(() => vi.useRealTimers());

describe('verifyToken on the node engine', () => {
  for (const cache of [false, true]) {
    it(`returns the result itself, equal to verify's (cache ${cache})`, async () => {
      vi.useFakeTimers({ now: NOW * 1000 });
      const ctx = nodeContext({ secret, issuer: ISS, audience: false, cache });
      const token = await mint();
      const auth = verifyToken(ctx, token);
      expect(auth).not.toBeInstanceOf(Promise);
      expect(auth).toEqual(
        await createVerifier({ secret, issuer: ISS, audience: false }).verify(token),
      );
      // A cache hit too, frozen like a fresh verification.
      const again = verifyToken(ctx, token);
      expect(again).not.toBeInstanceOf(Promise);
      if (again instanceof Promise) throw new Error('unreachable');
      expect(Object.isFrozen(again) && Object.isFrozen(again.claims)).toBe(true);
      expect(Object.isFrozen(again.header)).toBe(true);
      expect(() => (again.scopes as Set<string>).add('admin')).toThrow(TypeError);
      expect([...again.scopes]).toEqual(['read', 'write']);
    });
  }

  it('throws failures synchronously, with the challenge parameters set', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const ctx = nodeContext({ secret, issuer: ISS, audience: false, realm: 'api', cache: true });
    const cases: [string, new (...args: never[]) => TokengateError][] = [
      ['a.b', MalformedTokenError],
      [await mint(NOW + 60, other), InvalidSignatureError],
      [await mint(NOW - 60), TokenExpiredError],
    ];
    for (const [token, type] of cases) {
      let thrown: unknown;
      try {
        verifyToken(ctx, token);
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
    const result = verifyToken(
      nodeContext({ issuer: ISS, audience: false, secret, isRevoked, realm: 'api' }),
      await mint(),
    );
    expect(result).toBeInstanceOf(Promise);
    const error = await Promise.resolve(result).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevokedTokenError);
    expect((error as TokengateError).wwwAuthenticate).toContain('realm="api"');
    expect(isRevoked).toHaveBeenCalledTimes(1);
  });

  it('re-checks the revocation hook on a cache hit, through a promise', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    let revoked = false;
    const ctx = nodeContext({
      issuer: ISS,
      audience: false,
      secret,
      cache: true,
      isRevoked: () => revoked,
    });
    const token = await mint();
    await verifyToken(ctx, token);
    revoked = true;
    const again = verifyToken(ctx, token);
    expect(again).toBeInstanceOf(Promise);
    await expect(again).rejects.toBeInstanceOf(RevokedTokenError);
  });
});

describe('verifyToken on the jose engine', () => {
  it('settles to the same verdicts as verify (Web Crypto is asynchronous)', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const options = { secret, issuer: ISS, audience: false as const, cache: true };
    const verifier = createVerifier(options);
    const ctx = createContext(joseEngine, options);
    for (const token of [await mint(), await mint(NOW + 60, other), 'a.b', await mint(NOW - 9)]) {
      const direct = await settled(
        new Promise((resolve) => resolve(verifyToken(ctx, token))), // a throw rejects it
      );
      expect(direct).toEqual(await settled(verifier.verify(token)));
    }
  });
});
