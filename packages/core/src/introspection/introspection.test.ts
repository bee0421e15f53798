import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  InvalidClaimError,
  KeyConfigurationError,
  MalformedTokenError,
  TokenBindingError,
  TokenExpiredError,
} from '../index.js';
import { createVerifier as createNodeVerifier } from '../node/index.js';
import type { VerifierOptions } from '../options.js';
import { SECRET, sign } from '../test-support/tokens.js';
import { createVerifier } from '../verifier.js';
import { basicCredentials } from './client-auth.js';
import { InactiveTokenError, IntrospectionUnavailableError } from './errors.js';

// The authorization server's side, on 127.0.0.1: one handler for every request, and every
// introspection request seen (headers and form body).
interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  form: URLSearchParams;
}
type Handler = (seen: Seen, res: ServerResponse) => void;

let origin = '';
let handler: Handler;
const seen: Seen[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    const entry = { path: req.url ?? '/', headers: req.headers, form: new URLSearchParams(body) };
    if (entry.path.startsWith('/.well-known/')) return discovery(entry, res);
    seen.push(entry);
    handler(entry, res);
  });
});
let discoveryDocument: Record<string, unknown> = {};
let discoveryFetches = 0;
function discovery(_seen: Seen, res: ServerResponse) {
  discoveryFetches++;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(discoveryDocument));
}

const json =
  (body: unknown, status = 200) =>
  (_seen: Seen, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

const NOW = Math.floor(Date.now() / 1000);
const AUDIENCE = 'https://api.example/';
const OPAQUE = 'opaque-token_abc.DEF~123';
let issuer = '';
const active = (extra: Record<string, unknown> = {}) => ({
  active: true,
  iss: issuer,
  aud: AUDIENCE,
  sub: 'alice',
  client_id: 'app',
  scope: 'read write',
  iat: NOW,
  exp: NOW + 600,
  ...extra,
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = origin;
  discoveryDocument = { issuer, introspection_endpoint: `${origin}/introspect` };
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  seen.length = 0;
  vi.useRealTimers();
});

const base = (): VerifierOptions => ({
  issuer,
  audience: AUDIENCE,
  logger: false,
  introspection: { endpoint: `${origin}/introspect`, clientId: 'api', clientSecret: 's3cret' },
});

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('an opaque token', () => {
  it('is accepted when active: the answer is its claims, its scopes from "scope", header {}', async () => {
    handler = json(active());
    const auth = await createVerifier(base()).verify(OPAQUE);
    expect(auth.claims).toMatchObject({ sub: 'alice', client_id: 'app', iss: issuer });
    expect(auth.claims).not.toHaveProperty('active');
    expect([...auth.scopes]).toEqual(['read', 'write']);
    expect(auth.header).toEqual({});
    expect(auth.token).toBe(OPAQUE);
    expect(Object.isFrozen(auth.claims)).toBe(true);
    expect(seen[0]?.form.get('token')).toBe(OPAQUE);
    expect(seen[0]?.form.get('token_type_hint')).toBe('access_token');
    expect(seen[0]?.headers.accept).toBe('application/json');
  });

  it('is accepted the same way by the Node engine (its synchronous cache-key digest)', async () => {
    handler = json(active());
    const options = base();
    const verifier = createNodeVerifier({
      ...options,
      introspection: { ...options.introspection, clientId: 'api', cache: { maxAge: 30 } },
    });
    expect((await verifier.verify(OPAQUE)).claims.sub).toBe('alice');
    expect((await verifier.verify(OPAQUE)).claims.sub).toBe('alice');
    expect(seen).toHaveLength(1);
  });

  it('is refused with 401 invalid_token when inactive', async () => {
    handler = json({ active: false });
    const error = await refusal(createVerifier(base()).verify(OPAQUE));
    expect(error).toBeInstanceOf(InactiveTokenError);
    expect((error as InactiveTokenError).status).toBe(401);
    expect((error as InactiveTokenError).bearerError).toBe('invalid_token');
    expect((error as InactiveTokenError).code).toBe('ERR_TOKEN_INACTIVE');
  });

  it('gets the issuer when the answer has no "iss", and is refused for another one', async () => {
    const { iss: _, ...withoutIss } = active();
    handler = json(withoutIss);
    expect((await createVerifier(base()).verify(OPAQUE)).claims.iss).toBe(issuer);
    handler = json(active({ iss: 'https://evil.example/' }));
    const error = await refusal(createVerifier(base()).verify(OPAQUE));
    expect(error).toBeInstanceOf(InvalidClaimError);
    expect((error as InvalidClaimError).claim).toBe('iss');
  });

  it.each([
    ['another audience', { aud: 'https://other.example/' }, 'aud'],
    ['no "exp"', { exp: undefined }, 'exp'],
    ['a string "exp"', { exp: String(NOW + 600) }, 'exp'],
    ['a numeric "sub"', { sub: 42 }, 'sub'],
  ])('goes through the claims policy: %s is refused', async (_, extra, claim) => {
    handler = json(active(extra));
    const error = await refusal(createVerifier(base()).verify(OPAQUE));
    expect(error).toBeInstanceOf(InvalidClaimError);
    expect((error as InvalidClaimError).claim).toBe(claim);
  });

  it('goes through the time claims, validators and isRevoked like a JWT', async () => {
    handler = json(active({ exp: NOW - 60 }));
    expect(await refusal(createVerifier(base()).verify(OPAQUE))).toBeInstanceOf(TokenExpiredError);
    handler = json(active());
    const validator = vi.fn();
    const isRevoked = vi.fn(() => true);
    const error = await refusal(
      createVerifier({ ...base(), validators: [validator], isRevoked }).verify(OPAQUE),
    );
    expect((error as { code: string }).code).toBe('ERR_TOKEN_REVOKED');
    expect(validator).toHaveBeenCalledWith(expect.objectContaining({ sub: 'alice' }), {});
    expect(isRevoked).toHaveBeenCalledOnce();
  });

  it('needs only the claims the application lists under typ "rfc9068" (a JWT header rule)', async () => {
    handler = json(active());
    const verifier = createVerifier({ ...base(), typ: 'rfc9068', requiredClaims: ['client_id'] });
    expect((await verifier.verify(OPAQUE)).claims.sub).toBe('alice');
    handler = json(active({ client_id: undefined }));
    const error = await refusal(verifier.verify(OPAQUE));
    expect((error as InvalidClaimError).claim).toBe('client_id');
  });

  it.each([
    ['a space', 'abc def'],
    ['a quote', 'abc"def'],
    ['nothing', ''],
    ['too many characters', 'a'.repeat(9000)],
  ])('is malformed with %s, and never sent', async (_, token) => {
    handler = json(active());
    const error = await refusal(createVerifier(base()).verify(token));
    expect(error).toBeInstanceOf(MalformedTokenError);
    expect(seen).toHaveLength(0);
  });

  it('is refused as malformed without introspection, as before', async () => {
    const error = await refusal(
      createVerifier({ secret: SECRET, issuer, audience: AUDIENCE }).verify(OPAQUE),
    );
    expect(error).toBeInstanceOf(MalformedTokenError);
  });
});

describe('an endpoint that cannot be trusted', () => {
  const unavailable = async (options = base()) => {
    const error = await refusal(createVerifier(options).verify(OPAQUE));
    expect(error).toBeInstanceOf(IntrospectionUnavailableError);
    const e = error as IntrospectionUnavailableError;
    expect(e.status).toBe(503);
    expect(e.headers['Retry-After']).toMatch(/^\d+$/);
    expect(e.wwwAuthenticate).toBeUndefined();
    return e.failure;
  };

  it.each([
    ['a 500', json({ error: 'server_error' }, 500), { kind: 'http-status', status: 500 }],
    ['a 401 (our credentials refused)', json({}, 401), { kind: 'http-status', status: 401 }],
    ['HTML', (_: Seen, res: ServerResponse) => res.end('<html>'), { kind: 'not-json' }],
    ['an array', json([true]), { kind: 'bad-response', reason: 'not a JSON object' }],
    ['a string "active"', json({ active: 'true' }), { kind: 'bad-response' }],
    ['no "active"', json({ sub: 'alice' }), { kind: 'bad-response' }],
    ['a body over the cap', json({ active: true, pad: 'x'.repeat(70_000) }), { kind: 'too-large' }],
  ])('answers 503 for %s', async (_, answer, failure) => {
    handler = answer;
    expect(await unavailable()).toMatchObject(failure);
  });

  it('answers 503 for a redirect, which is not followed', async () => {
    handler = (_, res) => res.writeHead(302, { location: `${origin}/elsewhere` }).end();
    expect(await unavailable()).toMatchObject({ kind: 'redirect', status: 302 });
    expect(seen.map((s) => s.path)).toEqual(['/introspect']);
  });

  it('answers 503 when it does not answer within the timeout', async () => {
    handler = () => undefined; // never answers
    const options = base();
    const failure = await unavailable({
      ...options,
      introspection: { ...options.introspection, clientId: 'api', timeout: 0.2 },
    });
    expect(failure).toMatchObject({ kind: 'timeout', timeoutMs: 200 });
  });

  it('answers 503 when nothing listens, and logs the outage once', async () => {
    const logger = { warn: vi.fn(), error: vi.fn(), info: vi.fn() };
    const verifier = createVerifier({
      ...base(),
      logger,
      introspection: {
        endpoint: 'http://127.0.0.1:9/introspect',
        clientId: 'api',
        clientSecret: 's',
      },
    });
    for (let i = 0; i < 3; i++) {
      const error = await refusal(verifier.verify(OPAQUE));
      expect(error).toBeInstanceOf(IntrospectionUnavailableError);
      expect((error as IntrospectionUnavailableError).failure.kind).toBe('network');
    }
    expect(logger.error).toHaveBeenCalledOnce();
    expect(logger.error.mock.calls[0]?.[0]).toMatch(/cannot introspect tokens at .*127\.0\.0\.1:9/);
  });
});

describe('client authentication', () => {
  it('client_secret_basic form-urlencodes the id and secret before base64 (RFC 6749 §2.3.1)', async () => {
    handler = json(active());
    const options = base();
    const secret = 'p:ss wörd+/%';
    await createVerifier({
      ...options,
      introspection: {
        endpoint: `${origin}/introspect`,
        clientId: 'my api:1',
        clientSecret: secret,
      },
    }).verify(OPAQUE);
    const header = String(seen[0]?.headers.authorization);
    expect(header).toBe(basicCredentials('my api:1', secret));
    const [id, pass] = atob(header.slice('Basic '.length)).split(':');
    expect(id).toBe('my+api%3A1');
    expect(pass).toBe('p%3Ass+w%C3%B6rd%2B%2F%25');
    expect(seen[0]?.form.has('client_secret')).toBe(false);
  });

  it('client_secret_post sends them in the body', async () => {
    handler = json(active());
    await createVerifier({
      ...base(),
      introspection: {
        endpoint: `${origin}/introspect`,
        clientId: 'api',
        clientSecret: 's3cret',
        clientAuth: 'client_secret_post',
      },
    }).verify(OPAQUE);
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.form.get('client_id')).toBe('api');
    expect(seen[0]?.form.get('client_secret')).toBe('s3cret');
  });

  it('private_key_jwt sends an RFC 7523 assertion: iss = sub = client, aud = issuer, jti, short exp', async () => {
    handler = json(active());
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'k1' } as JWK;
    const verifier = createVerifier({
      ...base(),
      introspection: { endpoint: `${origin}/introspect`, clientId: 'api', privateKey: jwk },
    });
    await verifier.verify(OPAQUE);
    await verifier.verify(OPAQUE);
    const form = seen[0]?.form as URLSearchParams;
    expect(form.get('client_assertion_type')).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    );
    const { payload, protectedHeader } = await jwtVerify(
      String(form.get('client_assertion')),
      publicKey,
      { issuer: 'api', subject: 'api', audience: issuer },
    );
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'k1' });
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThanOrEqual(60);
    expect(payload.jti).not.toBe(
      (await jwtVerify(String(seen[1]?.form.get('client_assertion')), publicKey)).payload.jti,
    );
  });

  it('private_key_jwt with a key that does not import is a KeyConfigurationError (500), never a 401', async () => {
    handler = json(active());
    const pem = '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----';
    const verifier = createVerifier({
      ...base(),
      introspection: {
        endpoint: `${origin}/introspect`,
        clientId: 'api',
        privateKey: pem,
        signingAlgorithm: 'RS256',
      },
    });
    expect(await refusal(verifier.verify(OPAQUE))).toBeInstanceOf(KeyConfigurationError);
  });
});

describe('the answer cache', () => {
  const cached = (extra: object = {}): VerifierOptions => {
    const options = base();
    return {
      ...options,
      introspection: {
        endpoint: `${origin}/introspect`,
        clientId: 'api',
        clientSecret: 's3cret',
        cache: { maxAge: 30 },
        ...extra,
      },
    };
  };

  it('asks again after maxAge, so a revocation is seen then', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    handler = json(active());
    const verifier = createVerifier(cached());
    await verifier.verify(OPAQUE);
    handler = json({ active: false });
    await verifier.verify(OPAQUE); // within maxAge: the remembered answer
    expect(seen).toHaveLength(1);
    vi.setSystemTime(Date.now() + 31_000);
    expect(await refusal(verifier.verify(OPAQUE))).toBeInstanceOf(InactiveTokenError);
    expect(seen).toHaveLength(2);
  });

  it("never keeps an answer past the token's exp", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW * 1000 });
    handler = json(active({ exp: NOW + 10 }));
    const verifier = createVerifier({ ...cached(), clockTolerance: 0 });
    await verifier.verify(OPAQUE);
    vi.setSystemTime((NOW + 11) * 1000);
    handler = json(active({ exp: NOW + 600 }));
    await verifier.verify(OPAQUE);
    expect(seen).toHaveLength(2);
  });

  it('keys entries by a hash: another token is another call', async () => {
    handler = json(active());
    const verifier = createVerifier(cached());
    await verifier.verify(OPAQUE);
    await verifier.verify(`${OPAQUE}x`);
    expect(seen).toHaveLength(2);
  });

  it('sends one call for concurrent requests with one token', async () => {
    handler = (_, res) => setTimeout(() => json(active())(_, res), 50);
    const verifier = createVerifier(base());
    const all = await Promise.all(Array.from({ length: 5 }, () => verifier.verify(OPAQUE)));
    expect(all.every((auth) => auth.claims.sub === 'alice')).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('is not used while the endpoint is down, unless staleIfError', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    handler = json(active());
    const strict = createVerifier(cached());
    const lenient = createVerifier(cached({ staleIfError: 60 }));
    await strict.verify(OPAQUE);
    await lenient.verify(OPAQUE);
    handler = json({}, 503);
    vi.setSystemTime(Date.now() + 31_000);
    expect(await refusal(strict.verify(OPAQUE))).toBeInstanceOf(IntrospectionUnavailableError);
    expect((await lenient.verify(OPAQUE)).claims.sub).toBe('alice');
    vi.setSystemTime(Date.now() + 60_000);
    expect(await refusal(lenient.verify(OPAQUE))).toBeInstanceOf(IntrospectionUnavailableError);
  });
});

describe('JWTs beside opaque tokens', () => {
  it('a JWT keeps the local path; tokens "all" sends it to the endpoint too', async () => {
    handler = json(active());
    const jwt = await sign(
      { iss: issuer, aud: AUDIENCE, sub: 'bob', exp: NOW + 600 },
      new TextEncoder().encode(SECRET),
    );
    const local = createVerifier({ ...base(), secret: SECRET });
    expect((await local.verify(jwt)).claims.sub).toBe('bob');
    expect((await local.verify(OPAQUE)).claims.sub).toBe('alice');
    expect(seen).toHaveLength(1);
    const options = base();
    const all = createVerifier({
      ...options,
      secret: SECRET,
      introspection: { ...options.introspection, clientId: 'api', tokens: 'all' },
    });
    expect((await all.verify(jwt)).claims.sub).toBe('alice');
    expect(seen.at(-1)?.form.get('token')).toBe(jwt);
  });

  it('without a local key source every token is introspected', async () => {
    handler = json(active());
    const jwt = await sign({ iss: issuer, sub: 'bob' }, new TextEncoder().encode(SECRET));
    expect((await createVerifier(base()).verify(jwt)).claims.sub).toBe('alice');
  });

  it('in "issuers", opaque tokens go to the introspecting one, JWTs by their "iss"', async () => {
    handler = json(active());
    const jwt = await sign(
      { iss: 'https://other.example/', aud: AUDIENCE, sub: 'bob', exp: NOW + 600 },
      new TextEncoder().encode(SECRET),
    );
    const verifier = createVerifier({
      audience: AUDIENCE,
      logger: false,
      issuers: [
        { issuer: 'https://other.example/', secret: SECRET },
        {
          issuer,
          introspection: { endpoint: `${origin}/introspect`, clientId: 'api', clientSecret: 's' },
        },
      ],
    });
    expect((await verifier.verify(jwt)).claims.sub).toBe('bob');
    expect((await verifier.verify(OPAQUE)).claims.sub).toBe('alice');
    const ownJwt = await sign({ iss: issuer, sub: 'carol' }, new TextEncoder().encode(SECRET));
    expect((await verifier.verify(ownJwt)).claims.sub).toBe('alice');
    expect(seen.map((s) => s.form.get('token'))).toEqual([OPAQUE, ownJwt]);
  });
});

describe('sender-constrained answers (cnf)', () => {
  const jkt = 'A'.repeat(43);

  it('a DPoP-bound answer is refused where no proof can be checked', async () => {
    handler = json(active({ cnf: { jkt } }));
    expect(await refusal(createVerifier(base()).verify(OPAQUE))).toBeInstanceOf(TokenBindingError);
    const dpop = createVerifier({
      ...base(),
      dpop: { mode: 'allowed', origin: 'https://api.example' },
    });
    expect(await refusal(dpop.verify(OPAQUE))).toBeInstanceOf(TokenBindingError);
  });

  it('a DPoP-bound answer sent as Bearer is refused by authenticate()', async () => {
    handler = json(active({ cnf: { jkt } }));
    const verifier = createVerifier({
      ...base(),
      dpop: { mode: 'allowed', origin: 'https://api.example' },
    });
    const error = await refusal(
      verifier.authenticate({
        header: (name) => (name === 'authorization' ? `Bearer ${OPAQUE}` : undefined),
      }),
    );
    expect(error).toBeInstanceOf(TokenBindingError);
  });

  it('a malformed cnf is an invalid claim', async () => {
    handler = json(active({ cnf: { jkt: 'short' } }));
    const error = await refusal(
      createVerifier({
        ...base(),
        dpop: { mode: 'allowed', origin: 'https://api.example' },
      }).verify(OPAQUE),
    );
    expect((error as InvalidClaimError).claim).toBe('cnf');
  });
});

describe('the endpoint from discovery', () => {
  const discovered = (): VerifierOptions => ({
    issuer,
    audience: AUDIENCE,
    logger: false,
    introspection: { clientId: 'api', clientSecret: 's3cret' },
  });

  it('is read from introspection_endpoint, once for concurrent first requests', async () => {
    handler = json(active());
    const verifier = createVerifier(discovered());
    const before = discoveryFetches;
    const tokens = ['a1', 'b2', 'c3'];
    const all = await Promise.all(tokens.map((token) => verifier.verify(token)));
    expect(all.map((auth) => auth.claims.sub)).toEqual(['alice', 'alice', 'alice']);
    expect(seen.map((s) => s.path)).toEqual(['/introspect', '/introspect', '/introspect']);
    expect(discoveryFetches - before).toBe(1);
    await verifier.verify('d4');
    expect(discoveryFetches - before).toBe(1);
  });

  it('answers 503 when the document names none, or another issuer', async () => {
    const saved = discoveryDocument;
    try {
      discoveryDocument = { issuer };
      let error = await refusal(createVerifier(discovered()).verify(OPAQUE));
      expect((error as IntrospectionUnavailableError).failure).toEqual({ kind: 'no-endpoint' });
      discoveryDocument = {
        issuer: 'https://evil.example/',
        introspection_endpoint: `${origin}/introspect`,
      };
      error = await refusal(createVerifier(discovered()).verify(OPAQUE));
      expect((error as IntrospectionUnavailableError).failure).toMatchObject({
        kind: 'bad-discovery',
        reason: 'issuer-mismatch',
      });
    } finally {
      discoveryDocument = saved;
    }
  });
});

describe('RFC 9701 signed answers', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let publicJwk: JWK;
  beforeAll(async () => {
    keys = await generateKeyPair('ES256', { extractable: true });
    publicJwk = { ...(await exportJWK(keys.publicKey)), alg: 'ES256', kid: 'as' };
  });

  const signedAnswer =
    (
      payload: Record<string, unknown>,
      typ = 'token-introspection+jwt',
      type = 'application/token-introspection+jwt',
    ) =>
    (_: Seen, res: ServerResponse) => {
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'ES256', kid: 'as', typ })
        .sign(keys.privateKey)
        .then((jwt) => res.writeHead(200, { 'content-type': type }).end(jwt));
    };
  const options = (): VerifierOptions => ({
    issuer,
    audience: AUDIENCE,
    logger: false,
    keys: publicJwk,
    introspection: {
      endpoint: `${origin}/introspect`,
      clientId: 'api',
      clientSecret: 's3cret',
      jwtResponse: true,
    },
  });
  const good = () => ({ iss: issuer, aud: 'api', iat: NOW, token_introspection: active() });

  it('asks for one and reads token_introspection from the verified JWT', async () => {
    handler = signedAnswer(good());
    const auth = await createVerifier(options()).verify(OPAQUE);
    expect(auth.claims.sub).toBe('alice');
    expect(seen[0]?.headers.accept).toBe('application/token-introspection+jwt');
  });

  it.each([
    ['another typ', signedAnswer(good(), 'JWT')],
    ['another audience', signedAnswer({ ...good(), aud: 'someone-else' })],
    ['another issuer', signedAnswer({ ...good(), iss: 'https://evil.example/' })],
    ['no token_introspection', signedAnswer({ iss: issuer, aud: 'api', iat: NOW })],
    ['no iat', signedAnswer({ ...good(), iat: undefined })],
    ['an expired answer', signedAnswer({ ...good(), exp: NOW - 60 })],
    ['plain JSON', json(active())],
  ])('answers 503 for %s', async (_, answer) => {
    handler = answer;
    const error = await refusal(createVerifier(options()).verify(OPAQUE));
    expect(error).toBeInstanceOf(IntrospectionUnavailableError);
    expect((error as IntrospectionUnavailableError).failure.kind).toBe('bad-response');
  });

  it('answers 503 for a JWT signed by another key', async () => {
    const other = await generateKeyPair('ES256');
    handler = (_, res) => {
      new SignJWT(good())
        .setProtectedHeader({ alg: 'ES256', kid: 'as', typ: 'token-introspection+jwt' })
        .sign(other.privateKey)
        .then((jwt) =>
          res.writeHead(200, { 'content-type': 'application/token-introspection+jwt' }).end(jwt),
        );
    };
    const error = await refusal(createVerifier(options()).verify(OPAQUE));
    expect((error as IntrospectionUnavailableError).failure).toMatchObject({
      kind: 'bad-response',
      reason: 'the signed answer has an invalid signature',
    });
  });
});

describe('options', () => {
  const endpoint = 'https://id.example/introspect';
  const intro = { endpoint, clientId: 'api', clientSecret: 's' };
  it.each<[string, VerifierOptions, RegExp]>([
    [
      'no clientId',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { endpoint, clientSecret: 's' } as never,
      },
      /"introspection.clientId" is required/,
    ],
    [
      'no secret',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { endpoint, clientId: 'api' },
      },
      /"introspection.clientSecret" is required with client_secret_basic/,
    ],
    [
      'an unset secret',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { endpoint, clientId: 'api', clientSecret: undefined },
      },
      /environment variable/,
    ],
    [
      'an unknown key',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, timout: 5 } as never,
      },
      /Unknown option "timout".*did you mean "timeout"/,
    ],
    [
      'an http endpoint',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, endpoint: 'http://id.example/i' },
      },
      /"introspection.endpoint" must be an https: URL/,
    ],
    [
      'a relative endpoint',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, endpoint: '/introspect' },
      },
      /"introspection.endpoint" must be an absolute URL/,
    ],
    [
      'no endpoint and no issuer',
      { issuer: false, audience: 'a', introspection: { clientId: 'api', clientSecret: 's' } },
      /"introspection.endpoint" is required/,
    ],
    [
      'tokens "opaque" without local keys',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, tokens: 'opaque' },
      },
      /no key source verifies JWTs locally/,
    ],
    [
      'a bad tokens value',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, tokens: 'jwt' as never },
      },
      /"opaque" or "all"/,
    ],
    [
      'staleIfError without cache',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, staleIfError: 60 },
      },
      /needs "introspection.cache"/,
    ],
    [
      'cache without maxAge',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, cache: {} as never },
      },
      /maxAge" is required/,
    ],
    [
      'cache with 0 entries',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, cache: { maxAge: 5, maxEntries: 0 } },
      },
      /maxEntries" must be a positive integer/,
    ],
    [
      'a bad timeout',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, timeout: 'soon' },
      },
      /"introspection.timeout"/,
    ],
    [
      'jwtResponse without keys',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, jwtResponse: true },
      },
      /needs the issuer's keys/,
    ],
    [
      'a secret with private_key_jwt',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, clientAuth: 'private_key_jwt' },
      },
      /not used with private_key_jwt/,
    ],
    [
      'private_key_jwt without a key',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { endpoint, clientId: 'api', clientAuth: 'private_key_jwt' },
      },
      /"introspection.privateKey" is required/,
    ],
    [
      'a public JWK',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: {
          endpoint,
          clientId: 'api',
          privateKey: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
        },
      },
      /private JWK/,
    ],
    [
      'a PEM without signingAlgorithm',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: {
          endpoint,
          clientId: 'api',
          privateKey: '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----',
        },
      },
      /signingAlgorithm" is required/,
    ],
    [
      'an HS signingAlgorithm',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: {
          endpoint,
          clientId: 'api',
          privateKey: { kty: 'oct', d: 'x', k: 'x' },
          signingAlgorithm: 'HS256',
        },
      },
      /"introspection.signingAlgorithm" must be one of/,
    ],
    [
      'a bad clientAuth',
      {
        issuer: 'https://id.example/',
        audience: 'a',
        introspection: { ...intro, clientAuth: 'tls_client_auth' as never },
      },
      /"introspection.clientAuth"/,
    ],
    [
      'top level beside issuers',
      {
        audience: 'a',
        introspection: intro,
        issuers: [{ issuer: 'https://id.example/', secret: SECRET }],
      },
      /"introspection" cannot be combined with "issuers"/,
    ],
    [
      'two introspecting issuers',
      {
        audience: 'a',
        issuers: [
          { issuer: 'https://a.example/', introspection: intro },
          { issuer: 'https://b.example/', introspection: intro },
        ],
      },
      /Only one issuer may set "introspection"/,
    ],
    [
      'no audience',
      { issuer: 'https://id.example/', introspection: intro },
      /"audience" is required/,
    ],
  ])('refuses %s with a TypeError naming the option', (_, options, message) => {
    expect(() => createVerifier(options)).toThrow(TypeError);
    expect(() => createVerifier(options)).toThrow(message);
  });

  it('refuses introspection from an issuers resolver (a 500, never a 401)', async () => {
    const verifier = createVerifier({
      audience: AUDIENCE,
      logger: false,
      issuers: (iss) => ({ issuer: iss, secret: SECRET, introspection: intro }),
    });
    const jwt = await sign(
      { iss: 'https://t.example/', sub: 'x' },
      new TextEncoder().encode(SECRET),
    );
    const error = await refusal(verifier.verify(jwt));
    expect(error).toBeInstanceOf(KeyConfigurationError);
    expect((error as Error).message).toMatch(/cannot come from an issuers resolver/);
  });
});
