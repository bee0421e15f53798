import { isTokengateError, type VerifierOptions } from '@tokengate/core';
import {
  createKeyRing,
  createTokenIssuer,
  type Duration,
  generateSigningKey,
  importSigningKey,
  type RefreshTokenStore,
  type TokenIssuer,
} from '@tokengate/issuer';
import type { ExampleAlgorithm, ExampleConfig } from './config.js';
import { authenticateUser, DEMO_USERS, type DemoUser } from './users.js';

/** A framework-neutral answer: each example app copies it onto its framework's response. */
export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Options of {@link createAuthService}. */
export interface AuthServiceOptions {
  /** `iss` of the access tokens. */
  issuer: string;
  /** `aud` of the access tokens. */
  audience: string;
  /** Signing algorithm. Default `ES256`. */
  algorithm?: ExampleAlgorithm;
  /** PKCS#8 PEM private key. Default: a freshly generated key. */
  signingKey?: string;
  /** Access token lifetime, seconds or `'15m'`. Default `'15m'`. */
  accessTokenTtl?: Duration;
  /** Refresh token lifetime, seconds or `'30d'`. Default `'30d'`. */
  refreshTokenTtl?: Duration;
  /** Accounts that may log in. Default {@link DEMO_USERS}. */
  users?: readonly DemoUser[];
  /** Where refresh tokens live; share one (Redis) between instances. Default: in memory. */
  store?: RefreshTokenStore;
}

/** Login, refresh and the JWK Set: the issuing side every example API mounts. */
export interface AuthService {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithm: ExampleAlgorithm;
  /** The underlying `@tokengate/issuer` token issuer (key ring, refresh-token store). */
  readonly tokens: TokenIssuer;
  /** `POST /login` with `{ username, password }`: a token pair, or 400. */
  login(body: unknown): Promise<JsonResponse>;
  /** `POST /refresh` with `{ refresh_token }`: a new pair, or 400 `invalid_grant`. */
  refresh(body: unknown): Promise<JsonResponse>;
  /** `GET /.well-known/jwks.json`: the public keys. */
  jwks(): JsonResponse;
}

/** `client_id` of the access tokens: the demo's one client, the login form (RFC 9068 §2.2). */
const DEMO_CLIENT_ID = 'tokengate-demo-client';

// RFC 6749 §5.1: token responses must not be cached.
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function badRequest(description: string): JsonResponse {
  return {
    status: 400,
    headers: NO_STORE,
    body: { error: 'invalid_request', error_description: description },
  };
}

// A TokengateError from the issuer (400 invalid_grant, or a shared store down: 503 with
// Retry-After) as the response; anything else is a bug and goes to the framework.
function errorResponse(error: unknown): JsonResponse {
  if (!isTokengateError(error)) throw error;
  return { status: error.status, headers: error.headers, body: error.toJSON() };
}

function credentials(body: unknown): { username: string; password: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { username, password } = body as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string') return undefined;
  if (!username || username.length > 128 || !password || password.length > 256) return undefined;
  return { username, password };
}

/**
 * Build the issuing side of an example: demo users, a key ring and a token issuer with
 * rotating refresh tokens. Bad options throw a `TypeError` (from `@tokengate/issuer`).
 *
 * @example
 * const service = await createAuthService({ issuer: 'http://127.0.0.1:3001', audience: 'tokengate-demo' });
 * const { status, body } = await service.login({ username: 'alice', password: 'wonderland' });
 */
export async function createAuthService(options: AuthServiceOptions): Promise<AuthService> {
  const algorithm = options.algorithm ?? 'ES256';
  const key = options.signingKey
    ? await importSigningKey(options.signingKey, algorithm)
    : await generateSigningKey(algorithm);
  const tokens = createTokenIssuer({
    issuer: options.issuer,
    audience: options.audience,
    keys: createKeyRing(key),
    accessTokenTtl: options.accessTokenTtl ?? '15m',
    refreshTokenTtl: options.refreshTokenTtl ?? '30d',
    ...(options.store ? { store: options.store } : {}),
  });
  const users = options.users ?? DEMO_USERS;
  return {
    issuer: options.issuer,
    audience: options.audience,
    algorithm,
    tokens,
    async login(body) {
      const given = credentials(body);
      if (!given) return badRequest('Send JSON {"username": "…", "password": "…"}');
      const user = await authenticateUser(users, given.username, given.password);
      if (!user) {
        // RFC 6749 §5.2: wrong resource-owner credentials are an `invalid_grant`.
        const error = { error: 'invalid_grant', error_description: 'Wrong username or password' };
        return { status: 400, headers: NO_STORE, body: error };
      }
      // RFC 9068 §2.2: an access token names the client it was issued to; the APIs check it.
      const claims = { scope: user.scope, name: user.name, client_id: DEMO_CLIENT_ID };
      try {
        const pair = await tokens.issueTokens(user.username, claims);
        return { status: 200, headers: NO_STORE, body: pair };
      } catch (error) {
        return errorResponse(error);
      }
    },
    async refresh(body) {
      const token = (body as { refresh_token?: unknown } | null | undefined)?.refresh_token;
      // RFC 6749 §5.2: a missing parameter is invalid_request; a wrong token, invalid_grant.
      if (typeof token !== 'string' || !token) {
        return badRequest('Body must be a JSON object with a refresh_token string');
      }
      try {
        return { status: 200, headers: NO_STORE, body: await tokens.refresh(token) };
      } catch (error) {
        return errorResponse(error);
      }
    },
    jwks() {
      const headers = { 'Cache-Control': 'public, max-age=300' };
      return { status: 200, headers, body: tokens.jwks() };
    },
  };
}

/**
 * Verifier options that trust the service's tokens through a remote JWK Set: its issuer,
 * audience and single algorithm, RFC 9068 `typ: at+jwt`, and the given clock tolerance.
 *
 * @example
 * app.use(jwtAuth(verifierOptions(service, { jwksUri: `${url}/.well-known/jwks.json` })));
 */
export function verifierOptions(
  service: Pick<AuthService, 'issuer' | 'audience' | 'algorithm'>,
  options: { jwksUri: string; clockTolerance?: number },
): VerifierOptions {
  return {
    jwksUri: options.jwksUri,
    issuer: service.issuer,
    audience: service.audience,
    algorithms: [service.algorithm],
    typ: 'rfc9068',
    clockTolerance: options.clockTolerance ?? 5,
    realm: 'tokengate-demo',
  };
}

/** What each example app is built from: the issuing side and how to verify. */
export interface ExampleDeps {
  /** Login, refresh and JWK Set. */
  service: AuthService;
  /** Options for the framework adapter's verifier. */
  verifier: VerifierOptions;
}

/**
 * Build an example's dependencies from its configuration (see {@link loadConfig}).
 *
 * @example
 * const deps = await depsFromConfig(loadConfig(process.env, { port: 3001 }));
 */
export async function depsFromConfig(config: ExampleConfig): Promise<ExampleDeps> {
  if (config.signingKey) {
    // Name the variable: the issuer's own message speaks of an option the user never set.
    await importSigningKey(config.signingKey, config.algorithm).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(`SIGNING_KEY is not a ${config.algorithm} private key: ${reason}`);
    });
  }
  const service = await createAuthService({
    issuer: config.issuer,
    audience: config.audience,
    algorithm: config.algorithm,
    accessTokenTtl: config.accessTokenTtl,
    refreshTokenTtl: config.refreshTokenTtl,
    ...(config.signingKey ? { signingKey: config.signingKey } : {}),
  });
  const verifier = verifierOptions(service, {
    jwksUri: config.jwksUri,
    clockTolerance: config.clockTolerance,
  });
  return { service, verifier };
}
