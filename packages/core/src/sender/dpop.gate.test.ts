// DPoP (RFC 9449 §7) through the request protocol, as every adapter runs it: status, exact
// `WWW-Authenticate`, body code, response headers, and the handler never reached on a refusal.
// Both engines answer alike.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokengateError } from '../errors.js';
import { createVerifier as createNodeVerifier } from '../node/verifier.js';
import type { VerifierOptions } from '../options.js';
import { createGate } from '../protocol/gate.js';
import { compileRouteRules } from '../protocol/rules.js';
import type { Refusal } from '../protocol/view.js';
import { athOf, type DpopKey, dpopKey, type ProofParts, proof } from '../test-support/dpop.js';
import { type DpopAnswer, dpopExchange, type ViewInit } from '../test-support/dpop-exchange.js';
import { AUDIENCE, hs256, ISSUER, NOW, request, SECRET } from '../test-support/tokens.js';
import { createVerifier } from '../verifier.js';

const ORIGIN = 'https://api.example.com';
const HTU = `${ORIGIN}/things`;
const ALGS = 'algs="ES256 ES384 ES512 PS256 PS384 PS512 RS256 RS384 RS512 EdDSA Ed25519"';
const NONCE_SECRET = 'a-nonce-secret-of-at-least-32-bytes!';
const base = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };

let key: DpopKey;
let other: DpopKey;
let bound: string;
let unbound: string;

beforeAll(async () => {
  key = await dpopKey('ES256');
  other = await dpopKey('ES256');
  bound = await hs256({ cnf: { jkt: key.jkt, 'x-extra': 1 } });
  unbound = await hs256();
});
beforeEach(() => vi.useFakeTimers({ now: NOW * 1000, toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

/** A proof for `bound` (or `token`) on GET /things, with changes. */
const proofFor = async (parts: ProofParts = {}, token = bound, signer = key) =>
  proof(signer, { htm: 'GET', htu: HTU, ath: await athOf(token), ...parts });

const dpopRequest = async (parts: ProofParts = {}, init: ViewInit = {}): Promise<ViewInit> => ({
  ...init,
  headers: { authorization: `DPoP ${bound}`, dpop: await proofFor(parts), ...init.headers },
});

const refusalOf = (answer: DpopAnswer): Refusal => {
  if (answer.kind !== 'refuse') return expect.fail(`expected a refusal, got ${answer.kind}`);
  return answer.refusal;
};

describe.each([
  ['web engine', createVerifier],
  ['node engine', createNodeVerifier],
])('DPoP through the request protocol (%s)', (_engine, make) => {
  const gateOf = (dpop: VerifierOptions['dpop'], extra: Partial<VerifierOptions> = {}) =>
    createGate(make({ ...base, dpop, ...extra }));
  const allowed = (extra: object = {}) => gateOf({ mode: 'allowed', origin: ORIGIN, ...extra });
  const required = (extra: object = {}) => gateOf({ mode: 'required', origin: ORIGIN, ...extra });

  async function answer(
    gate: ReturnType<typeof gateOf>,
    init: ViewInit,
    optional?: 'allow-missing' | 'allow-invalid',
  ) {
    const exchange = dpopExchange(init);
    const rules = optional === undefined ? undefined : compileRouteRules({ optional }, 'test');
    const result = await gate.authenticate(exchange, rules);
    expect(exchange.answers).toEqual([result]);
    return result;
  }

  async function refused(
    gate: ReturnType<typeof gateOf>,
    init: ViewInit,
    optional?: 'allow-missing' | 'allow-invalid',
  ) {
    const result = await answer(gate, init, optional);
    return refusalOf(result);
  }

  describe('challenges', () => {
    it('offers Bearer and DPoP on a missing token when DPoP is allowed', async () => {
      const refusal = await refused(allowed(), {});
      expect(refusal.status).toBe(401);
      expect(refusal.headers['WWW-Authenticate']).toBe(
        `Bearer realm="api", DPoP realm="api", ${ALGS}`,
      );
      expect(refusal.body.code).toBe('ERR_TOKEN_MISSING');
    });

    it('offers only DPoP, with the configured algorithms, when DPoP is required', async () => {
      const refusal = await refused(required({ algorithms: ['ES256', 'EdDSA'] }), {});
      expect(refusal.headers['WWW-Authenticate']).toBe('DPoP realm="api", algs="ES256 EdDSA"');
    });

    it('puts invalid_token on the scheme the request used', async () => {
      const viaDpop = await refused(allowed(), {
        headers: { authorization: 'DPoP a.b.c', dpop: await proofFor() },
      });
      expect(viaDpop.headers['WWW-Authenticate']).toBe(
        `Bearer realm="api", DPoP realm="api", error="invalid_token", error_description="The token is malformed", ${ALGS}`,
      );
      const viaBearer = await refused(allowed(), { headers: { authorization: 'Bearer a.b.c' } });
      expect(viaBearer.headers['WWW-Authenticate']).toBe(
        `Bearer realm="api", error="invalid_token", error_description="The token is malformed", DPoP realm="api", ${ALGS}`,
      );
      const onlyDpop = await refused(required(), {
        headers: { authorization: 'DPoP a.b.c', dpop: await proofFor() },
      });
      expect(onlyDpop.headers['WWW-Authenticate']).toBe(
        `DPoP realm="api", error="invalid_token", error_description="The token is malformed", ${ALGS}`,
      );
    });

    it('answers an invalid proof with invalid_dpop_proof on the DPoP challenge', async () => {
      const refusal = await refused(allowed(), await dpopRequest({ htm: 'POST' }));
      expect(refusal.status).toBe(401);
      expect(refusal.headers['WWW-Authenticate']).toBe(
        `Bearer realm="api", DPoP realm="api", error="invalid_dpop_proof", error_description="The DPoP proof is for another method (\\"htm\\")", ${ALGS}`,
      );
      expect(refusal.body).toEqual({
        error: 'invalid_dpop_proof',
        error_description: 'The DPoP proof is for another method ("htm")',
        code: 'ERR_DPOP_PROOF_INVALID',
      });
    });

    it('asks for a nonce with use_dpop_nonce and a DPoP-Nonce header', async () => {
      const refusal = await refused(
        required({ nonce: { secret: NONCE_SECRET } }),
        await dpopRequest(),
      );
      const nonce = refusal.headers['DPoP-Nonce'];
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(refusal.headers['WWW-Authenticate']).toBe(
        `DPoP realm="api", error="use_dpop_nonce", error_description="A DPoP nonce is required", ${ALGS}`,
      );
      expect(refusal.body.code).toBe('ERR_DPOP_NONCE_REQUIRED');
    });
  });

  describe('a DPoP-bound token', () => {
    it('passes with its proof, and the auth info says how it is bound', async () => {
      const result = await answer(allowed(), await dpopRequest());
      if (result.kind !== 'pass') return expect.fail(`expected a pass, got ${result.kind}`);
      expect(result.auth?.binding).toEqual({ jkt: key.jkt });
      expect(result.auth?.claims.sub).toBe('user-1');
      expect(result.headers).toBeUndefined();
    });

    it('is refused with a proof of another key, ath and all right', async () => {
      const init = {
        headers: { authorization: `DPoP ${bound}`, dpop: await proofFor({}, bound, other) },
      };
      const refusal = await refused(allowed(), init);
      expect(refusal.body.code).toBe('ERR_TOKEN_BINDING');
      expect(refusal.headers['WWW-Authenticate']).toBe(
        `Bearer realm="api", DPoP realm="api", error="invalid_token", error_description="The DPoP proof is signed by another key than the token is bound to", ${ALGS}`,
      );
    });

    it('is refused with a proof for another token (ath)', async () => {
      const init = {
        headers: { authorization: `DPoP ${bound}`, dpop: await proofFor({}, unbound) },
      };
      expect((await refused(allowed(), init)).body.error_description).toBe(
        'The DPoP proof is for another access token ("ath")',
      );
    });

    it('is refused without a proof, and with two DPoP headers', async () => {
      const none = await refused(allowed(), { headers: { authorization: `DPoP ${bound}` } });
      expect(none.body.code).toBe('ERR_DPOP_PROOF_INVALID');
      const two = await refused(allowed(), {
        headers: { authorization: `DPoP ${bound}`, dpop: [await proofFor(), await proofFor()] },
      });
      expect(two.body.error_description).toBe(
        'The DPoP proof must be sent in exactly one DPoP header',
      );
    });

    it('is refused for another URL, method or a replayed proof', async () => {
      const gate = allowed();
      const elsewhere = await refused(gate, await dpopRequest({}, { url: '/other' }));
      expect(elsewhere.body.error_description).toBe('The DPoP proof is for another URI ("htu")');
      const posted = await refused(gate, await dpopRequest({}, { method: 'POST' }));
      expect(posted.body.error_description).toBe('The DPoP proof is for another method ("htm")');
      const init = await dpopRequest();
      expect((await answer(gate, init)).kind).toBe('pass');
      const replayed = await refused(gate, init);
      expect(replayed.body.code).toBe('ERR_DPOP_PROOF_REPLAYED');
      expect(replayed.headers['WWW-Authenticate']).toContain(
        'DPoP realm="api", error="invalid_dpop_proof"',
      );
    });

    it('passes with the query and a normalised path beside the proof', async () => {
      const result = await answer(allowed(), await dpopRequest({}, { url: '/%74hings?page=2' }));
      expect(result.kind).toBe('pass');
    });

    it('lets exactly one of many concurrent requests with one proof through', async () => {
      const gate = required();
      const init = await dpopRequest();
      const results = await Promise.all(Array.from({ length: 20 }, () => answer(gate, init)));
      expect(results.filter((r) => r.kind === 'pass')).toHaveLength(1);
      for (const r of results.filter((r) => r.kind !== 'pass'))
        expect(refusalOf(r).body.code).toBe('ERR_DPOP_PROOF_REPLAYED');
    });

    it('is refused as a bearer token when DPoP is allowed, off, or only mTLS is on', async () => {
      const init = { headers: { authorization: `Bearer ${bound}` } };
      const gates = [
        allowed(),
        createGate(make(base)),
        createGate(make({ ...base, dpop: 'off' })),
        createGate(make({ ...base, mtls: 'allowed' })),
      ];
      for (const gate of gates) {
        const refusal = await refused(gate, init);
        expect(refusal.status).toBe(401);
        expect(refusal.body.code).toBe('ERR_TOKEN_BINDING');
        expect(refusal.headers['WWW-Authenticate']).toMatch(
          /^Bearer realm="api", error="invalid_token"/,
        );
      }
    });

    it('is answered as missing when sent as Bearer where DPoP is required', async () => {
      const refusal = await refused(required(), { headers: { authorization: `Bearer ${bound}` } });
      expect(refusal.body.code).toBe('ERR_TOKEN_MISSING');
      expect(refusal.headers['WWW-Authenticate']).toBe(`DPoP realm="api", ${ALGS}`);
    });

    it('is refused by verifier.verify(), which has no request to check the proof against', async () => {
      for (const dpop of [{ origin: ORIGIN }, undefined] as const) {
        const error = await make({ ...base, dpop })
          .verify(bound)
          .then(
            () => expect.fail('expected a rejection'),
            (e: unknown) => e as TokengateError,
          );
        expect(error.code).toBe('ERR_TOKEN_BINDING');
      }
    });
  });

  describe('nonces', () => {
    it('passes with the current nonce, and hands out the current one for the previous', async () => {
      const gate = required({ nonce: { secret: NONCE_SECRET, lifetime: '5m' } });
      const first = await refused(gate, await dpopRequest());
      const nonce = first.headers['DPoP-Nonce'];
      const now = await answer(gate, await dpopRequest({ nonce }));
      expect(now).toMatchObject({ kind: 'pass', headers: undefined });
      vi.setSystemTime((NOW + 300) * 1000);
      const later = await answer(gate, await dpopRequest({ nonce }));
      if (later.kind !== 'pass') return expect.fail(`expected a pass, got ${later.kind}`);
      expect(later.headers?.['DPoP-Nonce']).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(later.headers?.['DPoP-Nonce']).not.toBe(nonce);
      vi.setSystemTime((NOW + 600) * 1000);
      const stale = await refused(gate, await dpopRequest({ nonce }));
      expect(stale.body.code).toBe('ERR_DPOP_NONCE_REQUIRED');
      expect(stale.headers['DPoP-Nonce']).not.toBe(later.headers?.['DPoP-Nonce']);
      expect(
        await answer(gate, await dpopRequest({ nonce: stale.headers['DPoP-Nonce'] })),
      ).toMatchObject({ kind: 'pass' });
    });

    it('keeps the nonce secret out of verifier.options', () => {
      const verifier = make({ ...base, dpop: { origin: ORIGIN, nonce: { secret: NONCE_SECRET } } });
      expect(JSON.stringify(verifier.options)).not.toContain(NONCE_SECRET);
      expect((verifier.options.dpop as { nonce?: unknown }).nonce).toBeUndefined();
    });
  });

  describe('other tokens and schemes', () => {
    it('accepts an unbound bearer token where DPoP is allowed', async () => {
      const result = await answer(allowed(), { headers: { authorization: `Bearer ${unbound}` } });
      expect(result).toMatchObject({ kind: 'pass', headers: undefined });
      if (result.kind === 'pass') expect(result.auth?.binding).toBeUndefined();
    });

    it('refuses an unbound token sent with the DPoP scheme', async () => {
      const init = {
        headers: { authorization: `DPoP ${unbound}`, dpop: await proofFor({}, unbound) },
      };
      const refusal = await refused(allowed(), init);
      expect(refusal.body.code).toBe('ERR_TOKEN_BINDING');
      expect(refusal.headers['WWW-Authenticate']).toBe(
        `Bearer realm="api", DPoP realm="api", error="invalid_token", error_description="The token is not bound to a DPoP key; send it as a Bearer token", ${ALGS}`,
      );
    });

    it('refuses a DPoP and a Bearer credential together as invalid_request', async () => {
      const refusal = await refused(allowed(), {
        headers: { authorization: [`DPoP ${bound}`, `Bearer ${unbound}`], dpop: await proofFor() },
      });
      expect(refusal.status).toBe(400);
      expect(refusal.body.code).toBe('ERR_INVALID_REQUEST');
    });
  });

  describe('optional modes', () => {
    it('lets a request without a token through in either optional mode', async () => {
      for (const optional of ['allow-missing', 'allow-invalid'] as const)
        expect(await answer(required(), {}, optional)).toMatchObject({
          kind: 'pass',
          auth: undefined,
        });
    });

    it('lets an invalid proof through as anonymous only with allow-invalid', async () => {
      const gate = allowed();
      expect(await answer(gate, await dpopRequest({ htm: 'POST' }), 'allow-invalid')).toMatchObject(
        { kind: 'pass', auth: undefined },
      );
      const refusal = await refused(gate, await dpopRequest({ htm: 'POST' }), 'allow-missing');
      expect(refusal.body.code).toBe('ERR_DPOP_PROOF_INVALID');
    });

    it('still asks for a nonce with allow-invalid: the client can answer it', async () => {
      const refusal = await refused(
        required({ nonce: { secret: NONCE_SECRET } }),
        await dpopRequest(),
        'allow-invalid',
      );
      expect(refusal.body.code).toBe('ERR_DPOP_NONCE_REQUIRED');
    });
  });

  describe('server faults', () => {
    it('refuses with 503 and Retry-After, never accepting, when the replay store is down', async () => {
      const down = new Error('replay store down');
      const gate = allowed({ replayStore: { claim: () => Promise.reject(down) } });
      const refusal = await refused(gate, await dpopRequest());
      expect(refusal.status).toBe(503);
      expect(refusal.headers).toMatchObject({ 'Retry-After': '5' });
      expect(refusal.body.code).toBe('ERR_STORE_UNAVAILABLE');
    });

    it('rejects with a plain Error when authenticate() gets a DPoP request without method and URL', async () => {
      const verifier = make({ ...base, dpop: { origin: ORIGIN } });
      const error = await verifier
        .authenticate(request({ authorization: `DPoP ${bound}`, dpop: await proofFor() }))
        .then(
          () => expect.fail('expected a rejection'),
          (e: unknown) => e as Error,
        );
      expect(error).not.toBeInstanceOf(TokengateError);
      expect(error.message).toMatch(/DPoP needs the request method and URL/);
    });
  });
});
