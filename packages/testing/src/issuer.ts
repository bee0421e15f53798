import type { AsymmetricAlgorithm } from './keys.js';
import { createTokenMinter, type TokenMinter, type TokenMinterOptions } from './minter.js';
import {
  DISCOVERY_PATHS,
  type IssuerRequest,
  JWKS_PATH,
  type JwksResponseOverride,
  startIssuerServer,
} from './server.js';

/**
 * Options of {@link createTestIssuer}; every one has a default.
 *
 * @example
 * const issuer = await createTestIssuer({ audience: 'my-api', algorithm: 'ES256' });
 */
export interface TestIssuerOptions extends Partial<TokenMinterOptions> {
  /** Port to listen on (127.0.0.1). Default 0: a random free port. */
  port?: number;
}

/**
 * Which key source `verifierOptions()` describes.
 *
 * @example
 * const verifier = createVerifier(issuer.verifierOptions('discovery'));
 */
export type KeySourceKind = 'jwks' | 'discovery' | 'secret';

/**
 * Options for `createVerifier()` of `@tokengate/core` that trust this issuer (structurally a
 * subset of core's `VerifierOptions`; this package does not depend on core).
 *
 * @example
 * const options: TestVerifierOptions = issuer.verifierOptions();
 * const verifier = createVerifier(options);
 */
export interface TestVerifierOptions {
  issuer: string;
  audience: string | string[];
  algorithms: string[];
  jwksUri?: string;
  discovery?: boolean;
  secret?: string;
}

/**
 * A token issuer for tests: keys, `mint()`, and a JWKS + discovery server on 127.0.0.1.
 *
 * @example
 * const issuer = await createTestIssuer();
 * const verifier = createVerifier(issuer.verifierOptions());
 * await verifier.verify(await issuer.mint({ scope: 'read' }));
 * await issuer.close();
 */
export interface TestIssuer extends TokenMinter {
  /** Base URL of the server, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** The `iss` claim (the server URL unless `issuer` was given). */
  readonly issuer: string;
  /** `<url>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** `<url>/.well-known/openid-configuration`. */
  readonly discoveryUri: string;
  /** How many times the JWKS was requested since the start (or `resetRequests()`). */
  readonly jwksRequests: number;
  /** Every request the server received, in order. */
  readonly requests: readonly IssuerRequest[];
  /** Forget the recorded requests (and the JWKS count). */
  resetRequests(): void;
  /** Replace the JWKS response (status, body, headers, delay); `undefined` restores it. */
  setJwksResponse(override: JwksResponseOverride | undefined): void;
  /** Options for core's `createVerifier()`: `'jwks'` (default), `'discovery'` or `'secret'` (HS256). */
  verifierOptions(source?: KeySourceKind): TestVerifierOptions;
  /** Stop the server (idempotent). */
  close(): Promise<void>;
}

/**
 * Generate keys (RS256, ES256, EdDSA and an HS256 secret) and start the issuer's server on
 * 127.0.0.1. Close it with `await issuer.close()`.
 *
 * @example
 * const issuer = await createTestIssuer();
 * const token = await issuer.mint({ scope: 'read:things' }, { expiresIn: -60 }); // expired
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const { port, ...minterOptions } = options;
  const requests: IssuerRequest[] = [];
  let minter: TokenMinter | undefined;
  let override: JwksResponseOverride | undefined;
  let issuer = options.issuer ?? '';
  let jwksUri = '';
  const algorithms = (): AsymmetricAlgorithm[] => [...(minter?.algorithms ?? [])];
  const server = await startIssuerServer(
    {
      jwks: () => minter?.jwks() ?? { keys: [] },
      discovery: () => ({
        issuer,
        jwks_uri: jwksUri,
        id_token_signing_alg_values_supported: algorithms(),
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
      }),
      jwksOverride: () => override,
      record: (request) => requests.push(request),
    },
    port,
  );
  issuer ||= server.url;
  jwksUri = `${server.url}${JWKS_PATH}`;
  try {
    minter = await createTokenMinter({ ...minterOptions, issuer });
  } catch (error) {
    await server.close();
    throw error;
  }
  const m = minter;
  return {
    ...m,
    url: server.url,
    issuer,
    jwksUri,
    discoveryUri: `${server.url}${DISCOVERY_PATHS[0]}`,
    get jwksRequests() {
      return requests.filter((r) => r.path === JWKS_PATH).length;
    },
    get requests() {
      return [...requests];
    },
    resetRequests: () => {
      requests.length = 0;
    },
    setJwksResponse: (value) => {
      override = value;
    },
    verifierOptions(source = 'jwks') {
      const base = { issuer, audience: m.defaults.audience };
      if (source === 'secret') return { ...base, secret: m.secret, algorithms: ['HS256'] };
      const algs = [...m.algorithms];
      if (source === 'discovery') return { ...base, discovery: true, algorithms: algs };
      return { ...base, jwksUri, algorithms: algs };
    },
    close: () => server.close(),
  };
}
