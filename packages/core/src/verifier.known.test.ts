// authenticateNow with the cache on (issue 10): the usual `Bearer` line is looked up in the
// verified-token cache before its RFC 6750 grammar is checked, because a token the cache knows
// passed that check when it was verified. These tests show the check is skipped for a known
// token only, and that every refusal is the same as before.
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokengateError } from './errors.js';
import { createVerifier as createNodeVerifier } from './node/index.js';
import type { TokenRequest } from './types.js';
import { createVerifier } from './verifier.js';

const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!');
const NOW = 1_800_000_000;
const ISS = 'https://id.example/';
const mint = (exp = NOW + 60) =>
  new SignJWT({ scope: 'read', sub: 'u1' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISS)
    .setExpirationTime(exp)
    .sign(secret);

const request = (
  authorization?: string | readonly string[],
  cookie?: string,
  query?: string,
): TokenRequest => ({
  header: (name) => (name === 'authorization' ? authorization : undefined),
  cookie: (name) => (name === 'session' ? cookie : undefined),
  query: (name) => (name === 'access_token' ? query : undefined),
});

/** The settled outcome of a call: its value, or the code of the error it threw or rejected with. */
async function outcome(call: () => unknown): Promise<{ value?: unknown; code?: string }> {
  try {
    return { value: await call() };
  } catch (error) {
    return { code: (error as TokengateError).code };
  }
}

// extract.ts's RFC 6750 b64token pattern, as `RegExp#source` spells it.
const B64TOKEN = String.raw`^[A-Za-z0-9\-._~+/]+=*$`;

/** How many times the RFC 6750 b64token grammar was tested while `call` ran, and its result. */
function checked(call: () => unknown): { checks: number; value: unknown } {
  const test = vi.spyOn(RegExp.prototype, 'test');
  try {
    const value = call();
    const checks = test.mock.contexts.filter((re) => (re as RegExp).source === B64TOKEN).length;
    return { checks, value };
  } finally {
    test.mockRestore();
  }
}

afterEach(() => vi.useRealTimers());

describe('a token the cache knows skips the grammar check', () => {
  it('checks the grammar on the first request and not on the next ones', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const verifier = createNodeVerifier({ secret, issuer: ISS, cache: true });
    const token = await mint();
    expect(checked(() => verifier.authenticateNow(request(`Bearer ${token}`))).checks).toBe(1);
    const again = checked(() => verifier.authenticateNow(request(`Bearer ${token}`)));
    expect(again.checks).toBe(0);
    expect(again.value).toEqual(await verifier.authenticate(request(`Bearer ${token}`)));
    // The usual spellings of the line find the same entry.
    for (const line of [`bearer ${token}`, `BEARER   ${token}`, `  Bearer ${token}  `]) {
      expect(checked(() => verifier.authenticateNow(request(line))).checks).toBe(0);
    }
  });

  it('checks it as before without the cache, on the web entry, and with a cookie or query', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint();
    const line = `Bearer ${token}`;
    const configs = [
      createNodeVerifier({ secret, issuer: ISS }),
      createVerifier({ secret, issuer: ISS, cache: true }),
      createNodeVerifier({ secret, issuer: ISS, cache: true, cookie: 'session' }),
      createNodeVerifier({ secret, issuer: ISS, cache: true, query: true }),
    ];
    for (const verifier of configs) {
      await verifier.authenticate(request(line));
      expect(checked(() => verifier.authenticateNow(request(line))).checks).toBe(1);
    }
  });
});

describe('every refusal stays the same once a token is cached', () => {
  it('answers invalid_request for a malformed line around a known token, in every mode', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint();
    const malformed = [
      `Bearer ${token} x`,
      `Bearer ${token},Bearer ${token}`,
      `Bearer ${token}"`,
      `Bearer "${token}"`,
      `Bearer\t${token}`,
      `Bearer ${token}==x`,
    ];
    for (const optional of [undefined, 'allow-missing', 'allow-invalid'] as const) {
      const cached = createNodeVerifier({ secret, issuer: ISS, cache: true, optional });
      const uncached = createNodeVerifier({ secret, issuer: ISS, optional });
      await cached.authenticate(request(`Bearer ${token}`)); // now known
      for (const line of malformed) {
        const got = await outcome(() => cached.authenticateNow(request(line)));
        expect(got, `${optional} ${line}`).toEqual({ code: 'ERR_INVALID_REQUEST' });
        expect(await outcome(() => uncached.authenticateNow(request(line)))).toEqual(got);
      }
      // Two header lines are refused even when both carry the known token.
      expect(await outcome(() => cached.authenticateNow(request([token, token])))).toEqual({
        code: 'ERR_INVALID_REQUEST',
      });
    }
  });

  it('still refuses a known token sent twice by header and cookie', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint();
    const verifier = createNodeVerifier({ secret, issuer: ISS, cache: true, cookie: 'session' });
    await verifier.authenticate(request(`Bearer ${token}`));
    expect(
      await outcome(() => verifier.authenticateNow(request(`Bearer ${token}`, token))),
    ).toEqual({ code: 'ERR_INVALID_REQUEST' });
  });

  it('answers an expired known token as expired, or null where invalid tokens are allowed', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint(NOW + 10);
    const required = createNodeVerifier({ secret, issuer: ISS, cache: true, clockTolerance: 0 });
    const lenient = createNodeVerifier({
      secret,
      issuer: ISS,
      cache: true,
      clockTolerance: 0,
      optional: 'allow-invalid',
    });
    for (const verifier of [required, lenient])
      await verifier.authenticate(request(`Bearer ${token}`));
    vi.setSystemTime((NOW + 11) * 1000); // the entry is still cached; its exp has passed
    let thrown: unknown;
    try {
      required.authenticateNow(request(`Bearer ${token}`));
    } catch (error) {
      thrown = error;
    }
    expect((thrown as TokengateError).code).toBe('ERR_TOKEN_EXPIRED');
    expect(lenient.authenticateNow(request(`Bearer ${token}`))).toBeNull();
  });
});
