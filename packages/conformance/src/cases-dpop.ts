// DPoP (RFC 9449) at the HTTP level: a real client (oauth4webapi) makes every proof, tokens are
// bound to its key (`cnf.jkt`), and each attack of RFC 9449 §11 is a request of its own.
import { createDpopProofVerifier } from '@tokengate/core';
import type { TestIssuer } from '@tokengate/testing';
import * as oauth from 'oauth4webapi';
import { expect, vi } from 'vitest';
import { createDpopClient, type DpopClient, type DpopExchange } from './dpop-client.js';
import { DPOP_NONCE_SECRET, DPOP_ORIGIN, DPOP_POLICY, ELSEWHERE } from './dpop-routes.js';
import {
  challenge,
  type DpopRoute,
  dpopMissing,
  dpopRefusal,
  type Expected,
  type HeaderLine,
  ok,
  type RequestSpec,
} from './expectations.js';
import { rawRequest } from './raw-request.js';
import { assertAnswer, type CaseTarget } from './run-case.js';

/**
 * The descriptions of core's sender-constraint refusals, as each cause produces them.
 *
 * @example
 * dpopRefusal(policy, 'DPoP', 'invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED', DPOP_MESSAGES.replayed);
 */
export const DPOP_MESSAGES = {
  boundAsBearer: 'The token is bound to a DPoP key; send it with the DPoP scheme and a proof',
  boundWithoutDpop:
    'The token is bound to a DPoP key; this API does not check sender-constrained tokens',
  notBound: 'The token is not bound to a DPoP key; send it as a Bearer token',
  otherKey: 'The DPoP proof is signed by another key than the token is bound to',
  missingProof: 'The DPoP proof is missing: send it in the DPoP header',
  twoProofs: 'The DPoP proof must be sent in exactly one DPoP header',
  replayed: 'The DPoP proof has already been used',
  method: 'The DPoP proof is for another method ("htm")',
  url: 'The DPoP proof is for another URI ("htu")',
  ath: 'The DPoP proof is for another access token ("ath")',
  stale: 'The DPoP proof is too old ("iat")',
  algorithm: 'The DPoP proof header "alg" is not an accepted asymmetric algorithm',
  untrustedPeer:
    'The request URI cannot be established: no "dpop.origin" is configured and the peer is not a trusted proxy',
  nonce: 'A DPoP nonce is required',
  badNonce: 'The DPoP nonce is stale or unknown; use the one in DPoP-Nonce',
} as const;

/** The tokens of the DPoP cases, and the keys they are bound to. */
export interface DpopFixtures {
  /** The client the `bound` tokens are bound to. */
  client: DpopClient;
  /** Another client: a key no token is bound to. */
  attacker: DpopClient;
  /** An ES384 client, for a route whose proof algorithms are ES256 and EdDSA only. */
  es384: DpopClient;
  /** An Ed25519 client: oauth4webapi signs its proofs with the fully-specified `Ed25519` alg. */
  ed25519: DpopClient;
  /** A token bound to `client` (`cnf.jkt`), with another `cnf` member beside it. */
  bound: string;
  /** A second token bound to `client`. */
  boundOther: string;
  /** A token bound to `es384`. */
  boundEs384: string;
  /** A token bound to `ed25519`. */
  boundEd25519: string;
  /** A bearer token (no `cnf`). */
  unbound: string;
}

/**
 * Make the DPoP clients and mint the tokens bound to them, once per run.
 *
 * @example
 * const dpop = await mintDpopFixtures(issuer);
 */
export async function mintDpopFixtures(issuer: TestIssuer): Promise<DpopFixtures> {
  const [client, attacker, es384, ed25519] = await Promise.all([
    createDpopClient(),
    createDpopClient(),
    createDpopClient('ES384'),
    createDpopClient('Ed25519'),
  ]);
  return {
    client,
    attacker,
    es384,
    ed25519,
    // RFC 7800 §3.1: other confirmation members are tolerated.
    bound: await issuer.mint({ cnf: { jkt: client.jkt, 'x-other': 1 } }),
    boundOther: await issuer.mint({ cnf: { jkt: client.jkt }, scope: 'other' }),
    boundEs384: await issuer.mint({ cnf: { jkt: es384.jkt } }),
    boundEd25519: await issuer.mint({ cnf: { jkt: ed25519.jkt } }),
    unbound: await issuer.mint(),
  };
}

/** What a DPoP case runs against: the adapter, the suite's tokens and the DPoP fixtures. */
export interface DpopTarget extends CaseTarget {
  dpop: DpopFixtures;
}

/** One DPoP behaviour: a scenario of one or more requests, every adapter the same. */
export interface DpopCase {
  name: string;
  /** Only where the adapter knows the socket's peer address (not on Workers). */
  needsPeerAddress?: boolean;
  run(target: DpopTarget): Promise<void>;
}

const ERR = {
  binding: ['invalid_token', 'ERR_TOKEN_BINDING'],
  proof: ['invalid_dpop_proof', 'ERR_DPOP_PROOF_INVALID'],
  replayed: ['invalid_dpop_proof', 'ERR_DPOP_PROOF_REPLAYED'],
  nonce: ['use_dpop_nonce', 'ERR_DPOP_NONCE_REQUIRED'],
} as const;

function refused(
  route: DpopRoute,
  scheme: 'Bearer' | 'DPoP',
  [error, code]: readonly [string, string],
  description: string,
): Expected {
  return dpopRefusal(DPOP_POLICY[route], scheme, error, code, description);
}

const spec = (path: string, headers: HeaderLine[]): RequestSpec =>
  ({ path, headers }) as RequestSpec;

// Send through the real client, then assert the adapter's answer.
async function send(
  t: DpopTarget,
  token: string,
  o: Parameters<DpopClient['send']>[2],
  client = t.dpop.client,
): Promise<DpopExchange> {
  t.hits.length = 0;
  return client.send(t.baseUrl, token, o);
}

function answered(t: DpopTarget, x: Omit<DpopExchange, 'error'>, want: Expected): void {
  assertAnswer(t, spec(x.path, x.sent), x.res, want);
}

// Replay header lines exactly (duplicates included), as an attacker holding them would.
async function replay(t: DpopTarget, path: string, sent: HeaderLine[], want: Expected) {
  t.hits.length = 0;
  const res = await rawRequest(`${t.baseUrl}${path}`, sent);
  assertAnswer(t, spec(path, sent), res, want);
  return res;
}

function boundTo(t: DpopTarget, jkt: string): void {
  expect(t.hits[0]?.auth?.binding, 'auth.binding').toEqual({ jkt });
}

const dpopOk = (route: DpopRoute): Expected => ({ ...ok(route), dpopNonce: false });

/**
 * A `DPoP-Nonce` that an instance of the `/dpop-nonce` API sharing its secret issued
 * `secondsAgo` seconds ago (RFC 9449 §8: stateless nonces are accepted by every instance).
 */
async function nonceFrom(secondsAgo: number): Promise<string> {
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    vi.setSystemTime(Date.now() - secondsAgo * 1000);
    const nonce = await createDpopProofVerifier({
      nonce: { secret: DPOP_NONCE_SECRET },
    }).currentNonce();
    if (nonce === undefined) throw new Error('the proof verifier made no nonce');
    return nonce;
  } finally {
    vi.useRealTimers();
  }
}

const NONCE_LIFETIME = 300; // seconds: core's default `dpop.nonce.lifetime`

// The server checks a nonce against its own clock's time step: a case that needs the nonce of
// the step before the server's must not straddle a step boundary, so it starts afresh in the
// next step when the current one ends within a few seconds.
async function awayFromStepBoundary(): Promise<void> {
  const left = NONCE_LIFETIME * 1000 - (Date.now() % (NONCE_LIFETIME * 1000));
  if (left < 5000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/**
 * The proof and its binding: valid requests, and the scheme rules of RFC 9449 §7.
 *
 * @example
 * for (const c of dpopCases) it(c.name, () => c.run(target));
 */
export const dpopCases: DpopCase[] = [
  {
    name: 'dpop: accepts a bound token with a proof from a real client, auth.binding names the key',
    async run(t) {
      const x = await send(t, t.dpop.bound, { url: '/dpop' });
      answered(t, x, dpopOk('/dpop'));
      expect(x.error).toBeUndefined();
      expect(x.sent.map(([name]) => name)).toEqual(
        expect.arrayContaining(['authorization', 'dpop']),
      );
      expect(x.sent.find(([name]) => name === 'authorization')?.[1]).toMatch(/^DPoP /);
      boundTo(t, t.dpop.client.jkt);
    },
  },
  {
    name: 'dpop required: accepts a bound token with its proof',
    async run(t) {
      answered(t, await send(t, t.dpop.bound, { url: '/dpop-required' }), dpopOk('/dpop-required'));
      boundTo(t, t.dpop.client.jkt);
    },
  },
  {
    name: 'dpop: accepts an Ed25519 proof (RFC 9864 fully-specified alg) from a real client',
    async run(t) {
      const x = await send(t, t.dpop.boundEd25519, { url: '/dpop' }, t.dpop.ed25519);
      answered(t, x, dpopOk('/dpop'));
      boundTo(t, t.dpop.ed25519.jkt);
    },
  },
  {
    name: 'dpop allowed: accepts an unbound token as Bearer, with no binding',
    async run(t) {
      const sent: HeaderLine[] = [['Authorization', `Bearer ${t.dpop.unbound}`]];
      await replay(t, '/dpop', sent, dpopOk('/dpop'));
      expect(t.hits[0]?.auth?.binding).toBeUndefined();
    },
  },
  {
    name: 'dpop allowed: no token → 401 with a Bearer and a DPoP challenge (algs)',
    run: (t) => replay(t, '/dpop', [], dpopMissing(DPOP_POLICY['/dpop'])).then(() => undefined),
  },
  {
    name: 'dpop required: no token → 401 with only the DPoP challenge and its algs',
    run: (t) =>
      replay(t, '/dpop-required', [], dpopMissing(DPOP_POLICY['/dpop-required'])).then(
        () => undefined,
      ),
  },
  {
    name: 'dpop required: a Bearer token is no credential → 401 without an error code',
    async run(t) {
      const sent: HeaderLine[] = [['Authorization', `Bearer ${t.dpop.unbound}`]];
      await replay(t, '/dpop-required', sent, dpopMissing(DPOP_POLICY['/dpop-required']));
    },
  },
  {
    name: 'dpop allowed: refuses a DPoP-bound token sent as Bearer (RFC 9449 §7.2)',
    async run(t) {
      const sent: HeaderLine[] = [['Authorization', `Bearer ${t.dpop.bound}`]];
      await replay(
        t,
        '/dpop',
        sent,
        refused('/dpop', 'Bearer', ERR.binding, DPOP_MESSAGES.boundAsBearer),
      );
    },
  },
  {
    name: 'dpop allowed: refuses a DPoP-bound token sent as Bearer even with its proof',
    async run(t) {
      const lines = await t.dpop.client.prepare(t.dpop.bound, { url: '/dpop' });
      const sent = lines.map(
        ([name, value]): HeaderLine =>
          name === 'authorization' ? [name, `Bearer ${t.dpop.bound}`] : [name, value],
      );
      await replay(
        t,
        '/dpop',
        sent,
        refused('/dpop', 'Bearer', ERR.binding, DPOP_MESSAGES.boundAsBearer),
      );
    },
  },
  {
    name: 'dpop off: refuses a DPoP-bound token (no proof can be checked)',
    async run(t) {
      const sent: HeaderLine[] = [['Authorization', `Bearer ${t.dpop.bound}`]];
      const description = DPOP_MESSAGES.boundWithoutDpop;
      await replay(t, '/protected', sent, {
        status: 401,
        wwwAuthenticate: challenge('invalid_token', description),
        body: { error: 'invalid_token', error_description: description, code: 'ERR_TOKEN_BINDING' },
        handlerRan: false,
      });
    },
  },
  {
    name: 'dpop: refuses an unbound token with the DPoP scheme',
    async run(t) {
      const x = await send(t, t.dpop.unbound, { url: '/dpop' });
      answered(t, x, refused('/dpop', 'DPoP', ERR.binding, DPOP_MESSAGES.notBound));
    },
  },
  {
    name: 'dpop: refuses the DPoP scheme without a DPoP header',
    async run(t) {
      const sent: HeaderLine[] = [['Authorization', `DPoP ${t.dpop.bound}`]];
      await replay(
        t,
        '/dpop',
        sent,
        refused('/dpop', 'DPoP', ERR.proof, DPOP_MESSAGES.missingProof),
      );
    },
  },
  {
    name: 'dpop: refuses two DPoP headers',
    async run(t) {
      const first = await t.dpop.client.prepare(t.dpop.bound, { url: '/dpop' });
      const second = await t.dpop.client.prepare(t.dpop.bound, { url: '/dpop' });
      const proof = second.find(([name]) => name === 'dpop');
      if (proof === undefined) throw new Error('oauth4webapi made no proof');
      await replay(
        t,
        '/dpop',
        [...first, proof],
        refused('/dpop', 'DPoP', ERR.proof, DPOP_MESSAGES.twoProofs),
      );
    },
  },
];

/**
 * The attacks of RFC 9449 §11 on a proof: replayed, made for another request, another token or
 * another key, too old, of an algorithm the API does not accept, and forwarded headers an
 * untrusted peer wrote.
 *
 * @example
 * for (const c of dpopAttackCases) it(c.name, () => c.run(target));
 */
export const dpopAttackCases: DpopCase[] = [
  {
    name: 'dpop: a replayed proof is refused the second time (RFC 9449 §11.1)',
    async run(t) {
      const x = await send(t, t.dpop.bound, { url: '/dpop' });
      answered(t, x, dpopOk('/dpop'));
      await replay(
        t,
        '/dpop',
        x.sent,
        refused('/dpop', 'DPoP', ERR.replayed, DPOP_MESSAGES.replayed),
      );
    },
  },
  {
    name: 'dpop: of 20 concurrent requests with one proof, exactly one passes',
    async run(t) {
      const sent = await t.dpop.client.prepare(t.dpop.bound, { url: '/dpop' });
      t.hits.length = 0;
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => rawRequest(`${t.baseUrl}/dpop`, sent)),
      );
      const statuses = answers.map((res) => res.status).sort();
      expect(statuses).toEqual([200, ...Array<number>(19).fill(401)]);
      for (const res of answers.filter((a) => a.status === 401))
        expect(JSON.parse(res.text)).toMatchObject({ code: 'ERR_DPOP_PROOF_REPLAYED' });
      expect(t.hits).toHaveLength(1);
    },
  },
  {
    name: 'dpop: refuses a proof made for another method',
    async run(t) {
      const sent = await t.dpop.client.prepare(t.dpop.bound, { url: '/dpop', method: 'POST' });
      await replay(t, '/dpop', sent, refused('/dpop', 'DPoP', ERR.proof, DPOP_MESSAGES.method));
    },
  },
  {
    name: 'dpop: refuses a proof made for another path',
    async run(t) {
      const sent = await t.dpop.client.prepare(t.dpop.bound, { url: '/dpop-required' });
      await replay(t, '/dpop', sent, refused('/dpop', 'DPoP', ERR.proof, DPOP_MESSAGES.url));
    },
  },
  {
    name: 'dpop: refuses a proof made for another origin, whatever X-Forwarded-Host says',
    async run(t) {
      const x = await send(t, t.dpop.bound, {
        url: 'https://evil.example/dpop',
        headers: [
          ['X-Forwarded-Proto', 'https'],
          ['X-Forwarded-Host', 'evil.example'],
        ],
      });
      answered(t, x, refused('/dpop', 'DPoP', ERR.proof, DPOP_MESSAGES.url));
    },
  },
  {
    name: 'dpop: refuses a proof whose ath is the hash of another token',
    async run(t) {
      const lines = await t.dpop.client.prepare(t.dpop.boundOther, { url: '/dpop' });
      const sent = lines.map(
        ([name, value]): HeaderLine =>
          name === 'authorization' ? [name, `DPoP ${t.dpop.bound}`] : [name, value],
      );
      await replay(t, '/dpop', sent, refused('/dpop', 'DPoP', ERR.proof, DPOP_MESSAGES.ath));
    },
  },
  {
    name: 'dpop: refuses a proof signed by another key than the token is bound to',
    async run(t) {
      const x = await send(t, t.dpop.bound, { url: '/dpop' }, t.dpop.attacker);
      answered(t, x, refused('/dpop', 'DPoP', ERR.binding, DPOP_MESSAGES.otherKey));
    },
  },
  {
    name: 'dpop: refuses a proof whose iat is ten minutes old',
    async run(t) {
      const x = await send(t, t.dpop.bound, { url: '/dpop', clockSkew: -600 });
      answered(t, x, refused('/dpop', 'DPoP', ERR.proof, DPOP_MESSAGES.stale));
    },
  },
  {
    name: 'dpop required: refuses a proof algorithm outside dpop.algorithms',
    async run(t) {
      const x = await send(t, t.dpop.boundEs384, { url: '/dpop-required' }, t.dpop.es384);
      answered(t, x, refused('/dpop-required', 'DPoP', ERR.proof, DPOP_MESSAGES.algorithm));
    },
  },
  {
    name: 'dpop: ignores X-Forwarded-Host and -Proto from a peer that is not a trusted proxy',
    async run(t) {
      const x = await send(t, t.dpop.bound, {
        url: '/dpop-untrusted',
        // The trusted proxy's address in X-Forwarded-For: only the socket's address counts.
        headers: [
          ['X-Forwarded-For', ELSEWHERE],
          ['X-Forwarded-Proto', 'https'],
          ['X-Forwarded-Host', new URL(DPOP_ORIGIN).host],
        ],
      });
      answered(t, x, refused('/dpop-untrusted', 'DPoP', ERR.proof, DPOP_MESSAGES.untrustedPeer));
    },
  },
  {
    name: 'dpop trustProxy: believes X-Forwarded-Host and -Proto from a trusted peer',
    needsPeerAddress: true,
    async run(t) {
      const x = await send(t, t.dpop.bound, {
        url: '/dpop-proxy',
        headers: [
          ['X-Forwarded-Proto', 'https'],
          ['X-Forwarded-Host', new URL(DPOP_ORIGIN).host],
        ],
      });
      answered(t, x, dpopOk('/dpop-proxy'));
      boundTo(t, t.dpop.client.jkt);
    },
  },
  {
    name: 'dpop trustProxy: without forwarded headers, the proof must match the Host it reached',
    needsPeerAddress: true,
    async run(t) {
      const x = await send(t, t.dpop.bound, { url: '/dpop-proxy' });
      answered(t, x, refused('/dpop-proxy', 'DPoP', ERR.proof, DPOP_MESSAGES.url));
    },
  },
];

/**
 * Server nonces (RFC 9449 §8, §9): asked for, retried with by the real client, refused when
 * forged or old, renewed on a successful response when the proof's one is ageing.
 *
 * @example
 * for (const c of dpopNonceCases) it(c.name, () => c.run(target));
 */
export const dpopNonceCases: DpopCase[] = [
  {
    name: 'dpop nonce: asks for a nonce (401 use_dpop_nonce + DPoP-Nonce), the retry with it passes',
    async run(t) {
      // A client of its own: its nonce memory starts empty.
      const client = await createDpopClient();
      const token = await t.issuer.mint({ cnf: { jkt: client.jkt } });
      const first = await send(t, token, { url: '/dpop-nonce' }, client);
      answered(t, first, refused('/dpop-nonce', 'DPoP', ERR.nonce, DPOP_MESSAGES.nonce));
      expect(oauth.isDPoPNonceError(first.error), 'oauth4webapi sees a nonce error').toBe(true);
      const nonce = first.res.header('dpop-nonce');
      const retry = await send(t, token, { url: '/dpop-nonce' }, client);
      answered(t, retry, { ...ok('/dpop-nonce'), dpopNonce: false });
      const proof = retry.sent.find(([name]) => name === 'dpop')?.[1] ?? '';
      const payload = JSON.parse(
        atob(proof.split('.')[1]?.replace(/-/g, '+').replace(/_/g, '/') ?? ''),
      );
      expect(payload.nonce, "the retry's proof carries the nonce").toBe(nonce);
      boundTo(t, client.jkt);
    },
  },
  {
    name: 'dpop nonce: refuses a forged nonce with a fresh one',
    async run(t) {
      const x = await send(t, t.dpop.bound, {
        url: '/dpop-nonce',
        modify: (_h, payload) => {
          payload.nonce = 'forged-nonce';
        },
      });
      answered(t, x, refused('/dpop-nonce', 'DPoP', ERR.nonce, DPOP_MESSAGES.badNonce));
    },
  },
  {
    name: 'dpop nonce: refuses a nonce three lifetimes old with a fresh one',
    async run(t) {
      const old = await nonceFrom(3 * NONCE_LIFETIME);
      const x = await send(t, t.dpop.bound, {
        url: '/dpop-nonce',
        modify: (_h, payload) => {
          payload.nonce = old;
        },
      });
      answered(t, x, refused('/dpop-nonce', 'DPoP', ERR.nonce, DPOP_MESSAGES.badNonce));
      expect(x.res.header('dpop-nonce')).not.toBe(old);
    },
  },
  {
    name: 'dpop nonce: accepts the previous nonce and sends a fresh DPoP-Nonce on the 200',
    async run(t) {
      await awayFromStepBoundary();
      const previous = await nonceFrom(NONCE_LIFETIME);
      const x = await send(t, t.dpop.bound, {
        url: '/dpop-nonce',
        modify: (_h, payload) => {
          payload.nonce = previous;
        },
      });
      answered(t, x, { ...ok('/dpop-nonce'), dpopNonce: true });
      expect(x.res.header('dpop-nonce')).not.toBe(previous);
      boundTo(t, t.dpop.client.jkt);
    },
  },
];

/**
 * Every DPoP case, in the order it runs.
 *
 * @example
 * allDpopCases.length;
 */
export const allDpopCases: readonly DpopCase[] = [
  ...dpopCases,
  ...dpopAttackCases,
  ...dpopNonceCases,
];
