// Authentication with the cache on: the usual `Bearer` line is looked up in the verified-token
// cache before its RFC 6750 §2.1 grammar is checked, because a token the cache knows passed
// that check when it was verified. These tests show the check is skipped for a known token
// only, and that every refusal is the same with the cache as without it.
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier as createNodeVerifier } from '../node/verifier.js';
import { createGate } from '../protocol/gate.js';
import { compileRouteRules } from '../protocol/rules.js';
import { exchange, settledAs } from '../test-support/exchange.js';
import type { TokenRequest } from '../types.js';
import { createVerifier } from '../verifier.js';
import type { Verifier } from '../verifier-types.js';

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

/** The request protocol's answer to `view`, as `authenticate()` would settle. */
const answerOf = async (verifier: Verifier<unknown>, view: TokenRequest) =>
  settledAs(await createGate(verifier).authenticate(exchange(view)));

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
  it.each([
    ['Node', createNodeVerifier],
    ['Web', createVerifier],
  ])('checks the grammar on the first request and not on the next ones (%s engine)', async (_, create) => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const verifier = create({ secret, issuer: ISS, audience: false, cache: true });
    const gate = createGate(verifier);
    const token = await mint();
    const line = `Bearer ${token}`;
    const first = checked(() => gate.authenticate(exchange(request(line))));
    await first.value;
    expect(first.checks).toBe(1);
    const again = checked(() => gate.authenticate(exchange(request(line))));
    expect(again.checks).toBe(0);
    expect(again.value).toEqual({ kind: 'pass', auth: await verifier.authenticate(request(line)) });
    // The usual spellings of the line find the same entry.
    for (const spelling of [`bearer ${token}`, `BEARER   ${token}`, `  Bearer ${token}  `]) {
      expect(checked(() => gate.authenticate(exchange(request(spelling)))).checks).toBe(0);
    }
  });

  it('still checks it without the cache, and with a cookie or query', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const line = `Bearer ${await mint()}`;
    const configs = [
      createNodeVerifier({ secret, issuer: ISS, audience: false }),
      createVerifier({ secret, issuer: ISS, audience: false }),
      createNodeVerifier({ secret, issuer: ISS, audience: false, cache: true, cookie: 'session' }),
      createNodeVerifier({ secret, issuer: ISS, audience: false, cache: true, query: true }),
    ];
    for (const verifier of configs) {
      const gate = createGate(verifier);
      await gate.authenticate(exchange(request(line)));
      const again = checked(() => gate.authenticate(exchange(request(line))));
      await again.value;
      expect(again.checks).toBe(1);
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
      const cached = createNodeVerifier({
        secret,
        issuer: ISS,
        audience: false,
        cache: true,
        optional,
      });
      const uncached = createNodeVerifier({ secret, issuer: ISS, audience: false, optional });
      await cached.authenticate(request(`Bearer ${token}`)); // now known
      for (const line of malformed) {
        const got = await answerOf(cached, request(line));
        expect(got, `${optional} ${line}`).toEqual({ code: 'ERR_INVALID_REQUEST' });
        expect(await answerOf(uncached, request(line))).toEqual(got);
      }
      // Two header lines are refused even when both carry the known token.
      expect(await answerOf(cached, request([token, token]))).toEqual({
        code: 'ERR_INVALID_REQUEST',
      });
    }
  });

  it('still refuses a known token sent twice by header and cookie', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint();
    const verifier = createNodeVerifier({
      secret,
      issuer: ISS,
      audience: false,
      cache: true,
      cookie: 'session',
    });
    await verifier.authenticate(request(`Bearer ${token}`));
    expect(await answerOf(verifier, request(`Bearer ${token}`, token))).toEqual({
      code: 'ERR_INVALID_REQUEST',
    });
  });

  it('refuses a known token beside an access_token parameter, with query extraction off', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint();
    const cached = createNodeVerifier({ secret, issuer: ISS, audience: false, cache: true });
    const uncached = createNodeVerifier({ secret, issuer: ISS, audience: false });
    await cached.authenticate(request(`Bearer ${token}`)); // now known
    const twoMethods = request(`Bearer ${token}`, undefined, token);
    expect(await answerOf(cached, twoMethods)).toEqual({ code: 'ERR_INVALID_REQUEST' });
    expect(await answerOf(uncached, twoMethods)).toEqual({ code: 'ERR_INVALID_REQUEST' });
  });

  it('answers another scheme as a missing token, cached or not', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint();
    const cached = createNodeVerifier({ secret, issuer: ISS, audience: false, cache: true });
    const uncached = createNodeVerifier({ secret, issuer: ISS, audience: false });
    await cached.authenticate(request(`Bearer ${token}`)); // now known
    for (const line of [`Basic ${token}`, `Token ${token}`, `Bearerx ${token}`]) {
      const got = await answerOf(cached, request(line));
      expect(got, line).toEqual({ code: 'ERR_TOKEN_MISSING' });
      expect(await answerOf(uncached, request(line))).toEqual(got);
    }
  });

  it('answers an expired known token as expired, or anonymous where invalid tokens are allowed', async () => {
    vi.useFakeTimers({ now: NOW * 1000 });
    const token = await mint(NOW + 10);
    const options = {
      secret,
      issuer: ISS,
      audience: false as const,
      cache: true,
      clockTolerance: 0,
    };
    const verifier = createNodeVerifier(options);
    const gate = createGate(verifier);
    await verifier.authenticate(request(`Bearer ${token}`));
    vi.setSystemTime((NOW + 11) * 1000); // the entry is still cached; its exp has passed
    const expired = gate.authenticate(exchange(request(`Bearer ${token}`)));
    expect(expired).toMatchObject({
      kind: 'refuse',
      refusal: { status: 401, body: { code: 'ERR_TOKEN_EXPIRED' } },
    });
    const lenient = compileRouteRules({ optional: 'allow-invalid' }, 'test');
    expect(gate.authenticate(exchange(request(`Bearer ${token}`)), lenient)).toEqual({
      kind: 'pass',
      auth: undefined,
    });
  });
});
