import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationNotRunError,
  InsufficientScopeError,
  InvalidClaimError,
  MissingTokenError,
  TokenExpiredError,
} from '../errors.js';
import { createVerifier as createNodeVerifier } from '../node/verifier.js';
import { type Answer, exchange } from '../test-support/exchange.js';
import { AUDIENCE, bearer, hs256, ISSUER, NOW, request, SECRET } from '../test-support/tokens.js';
import type { AuthInfo } from '../types.js';
import { createVerifier } from '../verifier.js';
import type { Verifier } from '../verifier-types.js';
import { authorizeUnauthenticated, createGate, isVerifier } from './gate.js';
import { compileRouteRules } from './rules.js';
import type { Refusal } from './view.js';

const options = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE, realm: 'api' };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createGate', () => {
  it('refuses anything that is not a verifier with a TypeError', () => {
    expect(() => createGate({} as Verifier<unknown>)).toThrow(TypeError);
    expect(() => createGate(null as unknown as Verifier<unknown>)).toThrow(TypeError);
  });
});

describe.each([
  ['web engine', createVerifier],
  ['node engine', createNodeVerifier],
])('gate.authenticate (%s)', (_name, make) => {
  it('passes a valid token with its claims and answers once', async () => {
    const gate = createGate(make(options));
    const x = exchange(bearer(await hs256()));
    const answer = await gate.authenticate(x);
    expect(answer).toMatchObject({ kind: 'pass', auth: { claims: { sub: 'user-1' } } });
    expect(x.answers).toHaveLength(1);
  });

  it('refuses a missing token with 401 and the realm in the challenge', async () => {
    const gate = createGate(make(options));
    const answer = (await gate.authenticate(exchange(request()))) as Answer;
    expect(answer.kind).toBe('refuse');
    const { refusal } = answer as { refusal: Refusal };
    expect(refusal.status).toBe(401);
    expect(refusal.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="api"' });
    expect(refusal.body.code).toBe('ERR_TOKEN_MISSING');
    expect(refusal.error).toBeInstanceOf(MissingTokenError);
  });

  it('lets an anonymous request through as undefined under allow-missing', async () => {
    const gate = createGate(make(options));
    const rules = compileRouteRules({ optional: 'allow-missing' }, 'test');
    expect(await gate.authenticate(exchange(request()), rules)).toEqual({
      kind: 'pass',
      auth: undefined,
    });
  });

  it('answers an anonymous request on a route with scopes as a missing token', async () => {
    const gate = createGate(make(options));
    const rules = compileRouteRules({ optional: 'allow-missing', scopes: 'read' }, 'test');
    const answer = (await gate.authenticate(exchange(request()), rules)) as Answer;
    expect(answer).toMatchObject({ kind: 'refuse', refusal: { status: 401 } });
  });

  it('refuses a token without the scope with 403 naming it, challenge stamped', async () => {
    const gate = createGate(make(options));
    const rules = compileRouteRules({ scopes: ['read', 'write'], scopeMode: 'any' }, 'test');
    const answer = (await gate.authenticate(
      exchange(bearer(await hs256({ scope: 'other' }))),
      rules,
    )) as { refusal: Refusal };
    expect(answer.refusal.status).toBe(403);
    expect(answer.refusal.error).toBeInstanceOf(InsufficientScopeError);
    expect(answer.refusal.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="read write"',
    );
  });

  it('refuses a claim mismatch with 401 naming the claim', async () => {
    const gate = createGate(make(options));
    const rules = compileRouteRules({ claims: { org: 'acme' } }, 'test');
    const answer = (await gate.authenticate(
      exchange(bearer(await hs256({ org: 'other' }))),
      rules,
    )) as { refusal: Refusal };
    expect(answer.refusal.error).toBeInstanceOf(InvalidClaimError);
    expect((answer.refusal.error as InvalidClaimError).claim).toBe('org');
  });

  it('refuses a token whose revocation hook throws: 503, the status could not be checked', async () => {
    const boom = new Error('hook broke');
    const gate = createGate(
      make({
        ...options,
        isRevoked: () => {
          throw boom;
        },
      }),
    );
    const answer = (await gate.authenticate(exchange(bearer(await hs256())))) as Answer;
    expect(answer).toMatchObject({
      kind: 'refuse',
      refusal: {
        status: 503,
        headers: { 'Retry-After': '5' },
        body: { code: 'ERR_STORE_UNAVAILABLE' },
      },
    });
  });
});

describe('gate.authenticate answers synchronously', () => {
  it('on the node engine with the cache, without a promise once the token is known', async () => {
    const gate = createGate(createNodeVerifier({ ...options, cache: true }));
    const view = bearer(await hs256());
    await gate.authenticate(exchange(view));
    const answer = gate.authenticate(exchange(view));
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toMatchObject({ kind: 'pass' });
  });

  it('for a refusal found before any key is needed', () => {
    const gate = createGate(createVerifier(options));
    const answer = gate.authenticate(exchange(request({ authorization: 'Bearer a b' })));
    expect(answer).toMatchObject({ kind: 'refuse', refusal: { status: 400 } });
  });
});

describe('a hand-made verifier', () => {
  it('goes through its own authenticate, awaited, null taken as no auth', async () => {
    const authenticate = vi.fn(async () => null);
    const gate = createGate({ authenticate } as unknown as Verifier<unknown>);
    expect(await gate.authenticate(exchange(request()))).toEqual({ kind: 'pass', auth: undefined });
    expect(authenticate).toHaveBeenCalledTimes(1);
  });

  it('keeps an overriding copy’s authenticate', async () => {
    const real = createVerifier(options);
    const copy = {
      ...real,
      options: real.options,
      authenticate: async () => Promise.reject(new TokenExpiredError()),
    };
    const answer = (await createGate(copy).authenticate(exchange(bearer(await hs256())))) as {
      refusal: Refusal;
    };
    expect(answer.refusal.body.code).toBe('ERR_TOKEN_EXPIRED');
    expect(answer.refusal.headers['WWW-Authenticate']).toContain('realm="api"');
  });

  it('keeps the challenge its errors carry when it has no options', async () => {
    const real = createVerifier(options);
    const copy = { authenticate: real.authenticate } as unknown as Verifier<unknown>;
    const answer = (await createGate(copy).authenticate(exchange(request()))) as {
      refusal: Refusal;
    };
    expect(answer.refusal.headers['WWW-Authenticate']).toBe('Bearer realm="api"');
  });

  it('awaits a foreign thenable instead of taking it for claims', async () => {
    // biome-ignore lint/suspicious/noThenProperty: a foreign promise library's shape
    const thenable = { then: (ok: (v: unknown) => void) => ok(undefined) };
    const gate = createGate({ authenticate: () => thenable } as unknown as Verifier<unknown>);
    const answer = await gate.authenticate(exchange(request()));
    expect(answer).toEqual({ kind: 'pass', auth: undefined });
  });

  it('hands a rejection that is not a tokengate error to fail', async () => {
    const boom = new Error('boom');
    const gate = createGate({
      authenticate: async () => Promise.reject(boom),
    } as unknown as Verifier<unknown>);
    expect(await gate.authenticate(exchange(request()))).toEqual({ kind: 'fail', error: boom });
  });
});

describe('responder errors', () => {
  it('propagate synchronously from a synchronous answer', () => {
    const gate = createGate(createVerifier(options));
    const x = exchange(request({ authorization: 'Bearer a b' }));
    x.refuse = () => {
      throw new Error('from refuse');
    };
    expect(() => gate.authenticate(x)).toThrow('from refuse');
  });

  it('reach fail when authentication finished asynchronously', async () => {
    const gate = createGate(createVerifier(options));
    const x = exchange(bearer(await hs256()));
    const thrown = new Error('from pass');
    x.pass = () => {
      throw thrown;
    };
    expect(await gate.authenticate(x)).toEqual({ kind: 'fail', error: thrown });
  });
});

describe('gate.authorize and authorizeUnauthenticated', () => {
  const auth = { scopes: new Set(['read']), claims: { org: 'acme' } } as unknown as AuthInfo;

  it('passes what meets the rules and refuses what does not, with the challenge', () => {
    const gate = createGate(createVerifier(options));
    const x = exchange(request());
    expect(gate.authorize(x, auth, compileRouteRules({ scopes: 'read' }, 't'))).toEqual({
      kind: 'pass',
      auth,
    });
    const refused = gate.authorize(x, auth, compileRouteRules({ scopes: 'admin' }, 't')) as {
      refusal: Refusal;
    };
    expect(refused.refusal.status).toBe(403);
    expect(refused.refusal.headers['WWW-Authenticate']).toContain('realm="api"');
    const anonymous = gate.authorize(x, undefined, compileRouteRules({ scopes: 'read' }, 't')) as {
      refusal: Refusal;
    };
    expect(anonymous.refusal.status).toBe(401);
  });

  it('refuses a guard without authentication before it with a 500 and no challenge', () => {
    const answer = authorizeUnauthenticated(exchange(request()), 'requireScopes()') as {
      refusal: Refusal;
    };
    expect(answer.refusal.status).toBe(500);
    expect(answer.refusal.headers).toEqual({});
    expect(answer.refusal.body).toEqual({
      error: 'server_error',
      error_description: 'Authentication is not configured for this route',
      code: 'ERR_AUTHENTICATION_NOT_RUN',
    });
    expect(answer.refusal.error).toBeInstanceOf(AuthenticationNotRunError);
    expect((answer.refusal.error as AuthenticationNotRunError).guard).toBe('requireScopes()');
  });
});

describe('isVerifier', () => {
  it('tells a verifier from verifier options', () => {
    expect(isVerifier(createVerifier(options))).toBe(true);
    expect(isVerifier({ authenticate: async () => undefined })).toBe(true);
    expect(isVerifier(options)).toBe(false);
    expect(isVerifier(null)).toBe(false);
    expect(isVerifier(undefined)).toBe(false);
  });
});
