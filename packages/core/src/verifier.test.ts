import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InsufficientScopeError,
  InvalidClaimError,
  InvalidRequestError,
  InvalidSignatureError,
  KeySetUnavailableError,
  MalformedTokenError,
  MissingTokenError,
  RevokedTokenError,
  StoreUnavailableError,
  TokenExpiredError,
} from './errors.js';
import { createGate } from './protocol/gate.js';
import {
  AUDIENCE,
  bearer,
  claims,
  hs256,
  ISSUER,
  keyPairs,
  NOW,
  request,
  SECRET,
  sign,
} from './test-support/tokens.js';
import { createVerifier } from './verifier.js';

const base = { secret: SECRET, issuer: ISSUER, audience: AUDIENCE };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => vi.useRealTimers());

describe('verify', () => {
  it('returns header, claims and scopes of a valid HS256 token', async () => {
    const token = await hs256({ scope: 'read write' });
    const auth = await createVerifier(base).verify(token);
    expect(auth.token).toBe(token);
    expect(auth.header.alg).toBe('HS256');
    expect(auth.claims.sub).toBe('user-1');
    expect([...auth.scopes]).toEqual(['read', 'write']);
  });

  it('verifies RS256, ES256 and EdDSA tokens with static public keys', async () => {
    const { rsa, ec, ed } = await keyPairs();
    const verifier = createVerifier({
      keys: [rsa.pem, ec.jwk, ed.publicKey],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    for (const [key, alg] of [
      [rsa.privateKey, 'RS256'],
      [ec.privateKey, 'ES256'],
      [ed.privateKey, 'EdDSA'],
    ] as const) {
      const auth = await verifier.verify(await sign(claims(), key, alg));
      expect(auth.header.alg).toBe(alg);
    }
  });

  it('reports a bad signature, not a key mismatch, when no candidate key verifies', async () => {
    const { ec } = await keyPairs();
    const other = await (await import('jose')).generateKeyPair('ES256');
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey: () => [new Uint8Array(32), ec.publicKey] as never,
      algorithms: ['ES256'],
    });
    const error = await verifier
      .verify(await sign(claims(), other.privateKey, 'ES256'))
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidSignatureError);
    const unfit = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey: () => new Uint8Array(32),
      algorithms: ['ES256'],
    });
    await expect(unfit.verify(await sign(claims(), ec.privateKey, 'ES256'))).rejects.toMatchObject({
      code: 'ERR_ALGORITHM_UNSUPPORTED',
    });
    const none = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey: () => [] as never,
      algorithms: ['ES256'],
    });
    await expect(none.verify(await sign(claims(), ec.privateKey, 'ES256'))).rejects.toBeInstanceOf(
      InvalidSignatureError,
    );
  });

  it('rejects a token whose signature was made with another secret', async () => {
    const token = await sign(claims(), new TextEncoder().encode(`${SECRET}-other`));
    await expect(createVerifier(base).verify(token)).rejects.toBeInstanceOf(InvalidSignatureError);
  });

  it('stamps realm and resource_metadata on thrown errors', async () => {
    const verifier = createVerifier({
      ...base,
      realm: 'api',
      resourceMetadata: 'https://rs.example/meta',
    });
    const error = await verifier.verify(await hs256({ exp: NOW - 60 })).catch((e) => e);
    expect(error).toBeInstanceOf(TokenExpiredError);
    expect(error.wwwAuthenticate).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The token has expired", resource_metadata="https://rs.example/meta"',
    );
  });

  it('never puts the token or a stack in the message or body', async () => {
    const token = await hs256({ exp: NOW - 60 });
    const error = await createVerifier(base)
      .verify(token)
      .catch((e) => e);
    expect(error.message).not.toContain(token.slice(0, 20));
    expect(JSON.stringify(error.toJSON())).not.toMatch(/at .*\.ts|eyJ/);
  });
});

describe('authenticate', () => {
  it('verifies the bearer token of a request', async () => {
    const auth = await createVerifier(base).authenticate(bearer(await hs256()));
    expect(auth?.claims.iss).toBe(ISSUER);
  });

  it('throws MissingTokenError (401, challenge without error code) when no token is sent', async () => {
    const error = await createVerifier({ ...base, realm: 'api' })
      .authenticate(request())
      .catch((e) => e);
    expect(error).toBeInstanceOf(MissingTokenError);
    expect(error.status).toBe(401);
    expect(error.wwwAuthenticate).toBe('Bearer realm="api"');
  });

  it("with 'allow-missing' passes a request without a token but rejects an invalid one", async () => {
    const verifier = createVerifier({ ...base, optional: 'allow-missing' });
    expect(await verifier.authenticate(request())).toBeUndefined();
    await expect(
      verifier.authenticate(bearer(await hs256({ exp: NOW - 60 }))),
    ).rejects.toBeInstanceOf(TokenExpiredError);
  });

  it("with 'allow-invalid' passes missing and invalid tokens but not invalid requests", async () => {
    const verifier = createVerifier({ ...base, optional: 'allow-invalid' });
    expect(await verifier.authenticate(request())).toBeUndefined();
    expect(await verifier.authenticate(bearer('not.a.token'))).toBeUndefined();
    await expect(
      verifier.authenticate(request({ authorization: 'Bearer a b' })),
    ).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("with 'allow-invalid' still answers 503 when the keys are unavailable", async () => {
    const getKey = () => {
      throw new KeySetUnavailableError();
    };
    const verifier = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      getKey,
      algorithms: ['HS256'],
      optional: 'allow-invalid',
    });
    await expect(verifier.authenticate(bearer(await hs256()))).rejects.toBeInstanceOf(
      KeySetUnavailableError,
    );
  });

  it('lets a call override the optional mode, including back to required', async () => {
    const verifier = createVerifier({ ...base, optional: 'allow-missing' });
    await expect(verifier.authenticate(request(), { optional: false })).rejects.toBeInstanceOf(
      MissingTokenError,
    );
    expect(
      await createVerifier(base).authenticate(request(), { optional: 'allow-missing' }),
    ).toBeUndefined();
  });

  it('answers another scheme as a missing token: 401, the realm, no error code', async () => {
    const error = await createVerifier({ ...base, realm: 'orders' })
      .authenticate(request({ authorization: 'Basic dXNlcjpwYXNz' }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(MissingTokenError);
    expect(error.status).toBe(401);
    expect(error.wwwAuthenticate).toBe('Bearer realm="orders"');
  });

  it('answers a malformed Bearer line with 400 invalid_request carrying the realm', async () => {
    const error = await createVerifier({ ...base, realm: 'api' })
      .authenticate(request({ authorization: 'Bearer a b' }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.status).toBe(400);
    expect(error.wwwAuthenticate).toMatch(/^Bearer realm="api", error="invalid_request"/);
  });

  it('reads the token from an opted-in cookie', async () => {
    const verifier = createVerifier({ ...base, cookie: 'at' });
    const auth = await verifier.authenticate(request({}, { at: await hs256() }));
    expect(auth?.claims.sub).toBe('user-1');
  });
});

describe('challenge parameters on errors raised outside the verifier', () => {
  it('are stamped by the request protocol from the verifier options', () => {
    const gate = createGate(createVerifier({ ...base, realm: 'api' }));
    const { error } = gate.refusal(new InsufficientScopeError(['read']));
    expect(error.wwwAuthenticate).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The token lacks the required scope", scope="read"',
    );
  });
});

describe('hooks', () => {
  it('rejects a revoked token with RevokedTokenError', async () => {
    const isRevoked = vi.fn(async () => true);
    const error = await createVerifier({ ...base, isRevoked })
      .verify(await hs256())
      .catch((e) => e);
    expect(error).toBeInstanceOf(RevokedTokenError);
    expect(isRevoked).toHaveBeenCalledWith(
      expect.objectContaining({ sub: 'user-1' }),
      expect.objectContaining({ alg: 'HS256' }),
    );
  });

  it('closes the door with a 503 when the revocation hook fails', async () => {
    const isRevoked = async () => {
      throw new Error('db down');
    };
    await expect(
      createVerifier({ ...base, isRevoked }).verify(await hs256()),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('runs async validators and turns their failures into InvalidClaimError', async () => {
    const validators = [
      async (c: { org?: unknown }) => {
        if (c.org !== 'acme') throw new Error('wrong org');
      },
    ];
    const verifier = createVerifier({ ...base, validators: validators as never });
    await expect(verifier.verify(await hs256({ org: 'acme' }))).resolves.toBeTruthy();
    const error = await verifier.verify(await hs256({ org: 'evil' })).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidClaimError);
    expect(error.message).not.toContain('wrong org');
  });

  it('passes a tokengate error from a validator through unchanged', async () => {
    const validators = [
      () => {
        throw new InvalidClaimError('org');
      },
    ];
    const error = await createVerifier({ ...base, validators })
      .verify(await hs256())
      .catch((e) => e);
    expect(error.claim).toBe('org');
  });
});

describe('cache', () => {
  it('re-checks expiry and revocation on a cache hit', async () => {
    let revoked = false;
    const verifier = createVerifier({
      ...base,
      cache: { maxEntries: 10 },
      isRevoked: () => revoked,
    });
    const token = await hs256({ exp: NOW + 60 });
    await verifier.verify(token);
    await expect(verifier.verify(token)).resolves.toMatchObject({ claims: { sub: 'user-1' } });
    revoked = true;
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(RevokedTokenError);
    revoked = false;
    vi.setSystemTime((NOW + 30) * 1000);
    await expect(verifier.verify(token)).resolves.toBeTruthy();
    vi.setSystemTime((NOW + 70) * 1000);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  it('does not accept a tampered token because an untampered one is cached', async () => {
    const verifier = createVerifier({ ...base, cache: true });
    const token = await hs256();
    await verifier.verify(token);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BA' : 'AA'}`;
    await expect(verifier.verify(tampered)).rejects.toThrow();
  });
});

describe('size and extraction options', () => {
  it('refuses a token larger than maxTokenSize before parsing it', async () => {
    const token = await hs256();
    const small = createVerifier({ ...base, maxTokenSize: token.length - 1 });
    const error = await small.verify(token).catch((e) => e);
    expect(error).toBeInstanceOf(MalformedTokenError);
    expect(error.message).toBe('The token is too large');
    await expect(
      createVerifier({ ...base, maxTokenSize: token.length }).verify(token),
    ).resolves.toBeTruthy();
  });

  it('reads access_token from the query only when query is enabled', async () => {
    const req = request({}, {}, { access_token: await hs256() });
    await expect(createVerifier(base).authenticate(req)).rejects.toBeInstanceOf(MissingTokenError);
    expect(await createVerifier({ ...base, query: true }).authenticate(req)).toMatchObject({
      claims: { sub: 'user-1' },
    });
  });

  it('uses a custom extractor instead of the Authorization header', async () => {
    const token = await hs256();
    const verifier = createVerifier({
      ...base,
      extract: (r) => r.header('x-token') as string | undefined,
    });
    expect(await verifier.authenticate(request({ 'x-token': token }))).toMatchObject({ token });
  });
});

describe('malformed input', () => {
  it('refuses a non-string token with MalformedTokenError', async () => {
    await expect(createVerifier(base).verify(42 as never)).rejects.toBeInstanceOf(
      MalformedTokenError,
    );
  });
});
