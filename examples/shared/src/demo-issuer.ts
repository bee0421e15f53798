import type { Duration } from '@tokengate/issuer';
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
}

/** A running demo issuer and the dependencies an example API needs to trust it. */
export interface DemoIssuer extends IssuerServer {
  /** Pass to an example's `start()`/`createApp()`: login/refresh through this issuer, verification through its JWKS URL. */
  deps: ExampleDeps;
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
  const server = await startIssuerServer(
    (url) =>
      createAuthService({
        issuer: url,
        audience: options.audience ?? 'tokengate-demo',
        accessTokenTtl: options.accessTokenTtl ?? '15m',
      }),
    { port: options.port ?? 0 },
  );
  const verifier = verifierOptions(server.service, {
    jwksUri: `${server.url}/.well-known/jwks.json`,
    clockTolerance: options.clockTolerance ?? 5,
  });
  return { ...server, deps: { service: server.service, verifier } };
}
