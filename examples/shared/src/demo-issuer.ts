import { generateKeyPairSync } from 'node:crypto';
import type { VerifierOptions } from '@tokengate/core';
import type { Duration, RefreshTokenStore } from '@tokengate/issuer';
import { createAuthService, type ExampleDeps, verifierOptions } from './auth-service.js';
import { type IssuerServer, startIssuerServer } from './issuer-server.js';

/** Options of {@link startDemoIssuer}. */
export interface DemoIssuerOptions {
  /** Access token lifetime, seconds or `'15m'`. Default `'15m'`. */
  accessTokenTtl?: Duration;
  /** Clock skew the APIs accept, in seconds. Default 5. */
  clockTolerance?: number;
  /** Port of the issuer server. Default 0 (a free port). */
  port?: number;
  /** `aud` of the access tokens. Default `tokengate-demo`. */
  audience?: string;
  /**
   * State shared by every instance (`@tokengate/redis`): the refresh tokens, and the APIs'
   * revocation hook, DPoP replay store and JWKS cache. Default: each in its own memory.
   */
  shared?: {
    refreshTokens: RefreshTokenStore;
    verifier: Pick<VerifierOptions, 'isRevoked' | 'jwks'>;
  };
}

/** A running demo issuer and the dependencies an example API needs to trust it. */
export interface DemoIssuer extends IssuerServer {
  /** Pass to an example's `start()`/`createApp()`: login/refresh through this issuer, verification through its JWKS URL. */
  deps: ExampleDeps;
  /**
   * The dependencies of another instance of the APIs: its own token issuer (same signing key,
   * same `shared` store), so that the instances share only what `shared` keeps in Redis.
   */
  another(): Promise<ExampleDeps>;
}

/**
 * Start one issuer on 127.0.0.1 (`iss` = its URL) for several example APIs: they mount its
 * login/refresh and verify its tokens through its remote JWK Set.
 *
 * @example
 * const issuer = await startDemoIssuer({ accessTokenTtl: 3, clockTolerance: 0 });
 * const api = await start(issuer.deps, { port: 0 });
 */
export async function startDemoIssuer(options: DemoIssuerOptions = {}): Promise<DemoIssuer> {
  // One key for every instance, so that each can sign what the others verify.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const service = (url: string) =>
    createAuthService({
      issuer: url,
      audience: options.audience ?? 'tokengate-demo',
      accessTokenTtl: options.accessTokenTtl ?? '15m',
      signingKey,
      ...(options.shared ? { store: options.shared.refreshTokens } : {}),
    });
  const server = await startIssuerServer(service, { port: options.port ?? 0 });
  const verifier = {
    ...verifierOptions(server.service, {
      jwksUri: `${server.url}/.well-known/jwks.json`,
      clockTolerance: options.clockTolerance ?? 5,
    }),
    ...options.shared?.verifier,
  };
  return {
    ...server,
    deps: { service: server.service, verifier },
    another: async () => ({ service: await service(server.url), verifier }),
  };
}
