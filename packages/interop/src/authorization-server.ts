// A real authorization server for the interop tests: oidc-provider on 127.0.0.1, issuing
// JWT access tokens (RFC 9068) for our API through resource indicators (RFC 8707), bound to
// the client's DPoP key when the token request carries a proof (RFC 9449 §5). With the
// `introspection` option it also issues opaque access tokens to one client and answers the
// API's introspection (RFC 7662) and revocation (RFC 7009) requests.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { JWK as JoseJwk } from 'jose';
import Provider, { type ClientMetadata, type Configuration, errors, type JWK } from 'oidc-provider';
import { close, listen } from './net.js';

/** The confidential client: client credentials grant, `client_secret_basic`. */
export const SERVICE_CLIENT = Object.freeze({
  id: 'interop-service',
  secret: randomBytes(32).toString('hex'),
});

/**
 * The public client (RFC 6749 §2.1): authorization code with PKCE, refresh tokens, which
 * oidc-provider binds to its DPoP key (RFC 9449 §5).
 */
export const PUBLIC_CLIENT = Object.freeze({
  id: 'interop-app',
  redirectUri: 'http://127.0.0.1/callback',
});

/**
 * The confidential client whose access tokens (for our API) are opaque: only the introspection
 * endpoint can say what they hold. Client credentials grant, `client_secret_basic`.
 */
export const OPAQUE_CLIENT = Object.freeze({
  id: 'interop-opaque',
  secret: randomBytes(32).toString('hex'),
});

const introspectorKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/**
 * Our API as a client of the introspection endpoint, once per client authentication method:
 * `client_secret_basic` and `client_secret_post` with a secret (one with a ':' and a space,
 * which RFC 6749 §2.3.1 form-encoding must carry through), `private_key_jwt` with an ES256 key;
 * and `signed`, whose answers are RFC 9701 JWTs signed with the provider's ES256 key.
 */
export const INTROSPECTORS = Object.freeze({
  basic: { id: 'interop-api basic', secret: `s:${randomBytes(16).toString('hex')} x` },
  post: { id: 'interop-api-post', secret: randomBytes(32).toString('hex') },
  signed: { id: 'interop-api-signed', secret: randomBytes(32).toString('hex') },
  privateKeyJwt: {
    id: 'interop-api-jwt',
    privateKey: {
      ...introspectorKey.privateKey.export({ format: 'jwk' }),
      kid: 'interop-api',
      alg: 'ES256',
    } as JoseJwk,
  },
});

/** The end-user every authorization request is approved for. */
export const ACCOUNT = 'alice';

/**
 * The resource indicator (RFC 8707) of our API, and so the `aud` of its tokens: an identifier,
 * not where the API listens (like an Auth0 "audience").
 */
export const API_RESOURCE = 'https://api.tokengate.test/';

/** The scope our API defines, the only one a client may ask for. */
export const API_SCOPE = 'read:things';

/** The DPoP proof algorithms the authorization server accepts. */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'PS256', 'RS256', 'Ed25519'] as const;

/** A resource the authorization server also issues tokens for: not our API. */
export const OTHER_RESOURCE = 'https://other.tokengate.test/';

export interface AuthorizationServer {
  /** The issuer identifier, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly issuer: string;
  /**
   * Why each refused token request was refused: oidc-provider's `error_detail`, which the
   * client only sees as a generic `error_description`.
   */
  readonly grantErrors: string[];
  close(): Promise<void>;
}

export interface AuthorizationServerOptions {
  /** Whether the token endpoint requires a DPoP nonce (RFC 9449 §8) now. Default: never. */
  readonly requireNonce?: () => boolean;
  /**
   * Opaque access tokens for {@link OPAQUE_CLIENT}, the introspection endpoint for the
   * {@link INTROSPECTORS} and the revocation endpoint. `up()` says whether the introspection
   * endpoint answers now; when it does not, its connections are dropped unanswered, as a
   * stopped server's would be. Default: off.
   */
  readonly introspection?: { readonly up: () => boolean };
}

/** Where oidc-provider serves introspection (RFC 7662) and revocation (RFC 7009). */
export const INTROSPECTION_PATH = '/token/introspection';
export const REVOCATION_PATH = '/token/revocation';

function signingKeys(): { keys: JWK[] } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: 'interop-es256', alg: 'ES256', use: 'sig' } as JWK] };
}

// The only signing key is ES256; the default ID token algorithm (RS256) would make a client
// invalid.
const service = (
  id: string,
  method: ClientMetadata['token_endpoint_auth_method'],
  extra: Partial<ClientMetadata> = {},
): ClientMetadata => ({
  client_id: id,
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: method,
  id_token_signed_response_alg: 'ES256',
  // With RFC 9701 on, a client's default (RS256) would make it invalid here, as for ID tokens.
  introspection_signed_response_alg: 'ES256',
  ...extra,
});

const introspectionClients: ClientMetadata[] = [
  service(OPAQUE_CLIENT.id, 'client_secret_basic', { client_secret: OPAQUE_CLIENT.secret }),
  service(INTROSPECTORS.basic.id, 'client_secret_basic', {
    client_secret: INTROSPECTORS.basic.secret,
  }),
  service(INTROSPECTORS.post.id, 'client_secret_post', {
    client_secret: INTROSPECTORS.post.secret,
  }),
  service(INTROSPECTORS.signed.id, 'client_secret_basic', {
    client_secret: INTROSPECTORS.signed.secret,
  }),
  service(INTROSPECTORS.privateKeyJwt.id, 'private_key_jwt', {
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: {
      keys: [{ ...introspectorKey.publicKey.export({ format: 'jwk' }), kid: 'interop-api' }],
    },
  }),
];

const clients: ClientMetadata[] = [
  {
    client_id: SERVICE_CLIENT.id,
    client_secret: SERVICE_CLIENT.secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
  },
  {
    client_id: PUBLIC_CLIENT.id,
    application_type: 'native', // loopback http redirect URI (RFC 8252 §7.3)
    grant_types: ['authorization_code', 'refresh_token'],
    redirect_uris: [PUBLIC_CLIENT.redirectUri],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'ES256',
  },
];

function configuration(options: AuthorizationServerOptions): Configuration {
  const resources = [API_RESOURCE, OTHER_RESOURCE];
  const introspection = options.introspection !== undefined;
  return {
    clients: introspection
      ? [
          ...clients.map(
            (client): ClientMetadata => ({ ...client, introspection_signed_response_alg: 'ES256' }),
          ),
          ...introspectionClients,
        ]
      : clients,
    jwks: signingKeys(),
    cookies: { keys: [randomBytes(32).toString('hex')] },
    ttl: { ClientCredentials: 600, AccessToken: 600, RefreshToken: 3600 },
    // Beside oidc-provider's default (ES256, Ed25519, EdDSA), RSA and P-384 proof keys: the
    // API must compute the same JWK thumbprint (RFC 7638) for every key type.
    enabledJWA: { dPoPSigningAlgValues: [...DPOP_ALGORITHMS] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: () => options.requireNonce?.() ?? false,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        // RFC 9068 access tokens, signed with the provider's ES256 key, `aud` the resource;
        // opaque ones (same audience and scope) for OPAQUE_CLIENT.
        getResourceServerInfo: (_ctx, resource, client) => {
          if (!resources.includes(resource)) throw new errors.InvalidTarget();
          if (client.clientId === OPAQUE_CLIENT.id)
            return { scope: API_SCOPE, audience: resource, accessTokenFormat: 'opaque' };
          return {
            scope: API_SCOPE,
            audience: resource,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
      introspection: { enabled: introspection },
      jwtIntrospection: { enabled: introspection },
      revocation: { enabled: introspection },
    },
  };
}

// The login and consent pages: every interaction is approved at once for ACCOUNT, with the
// API's scope granted, so that the authorization code flow runs without a browser.
async function approve(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const { params } = await provider.interactionDetails(req, res);
  const grant = new provider.Grant({ accountId: ACCOUNT, clientId: String(params.client_id) });
  grant.addResourceScope(API_RESOURCE, API_SCOPE);
  const result = { login: { accountId: ACCOUNT }, consent: { grantId: await grant.save() } };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

/**
 * Start oidc-provider on 127.0.0.1 (port 0) with DPoP, resource indicators, the client
 * credentials grant for {@link SERVICE_CLIENT} and the authorization code flow for
 * {@link PUBLIC_CLIENT}.
 */
export async function startAuthorizationServer(
  options: AuthorizationServerOptions = {},
): Promise<AuthorizationServer> {
  let provider: Provider | undefined;
  let app: ReturnType<Provider['callback']> | undefined;
  const { introspection } = options;
  const server = createServer((req, res) => {
    if (provider === undefined || app === undefined) return res.writeHead(503).end();
    if (introspection && !introspection.up() && req.url?.startsWith(INTROSPECTION_PATH))
      return req.socket.destroy();
    if (!req.url?.startsWith('/interaction/')) return app(req, res);
    approve(provider, req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  provider = new Provider(issuer, configuration(options));
  app = provider.callback();
  const grantErrors: string[] = [];
  provider.on('grant.error', (_ctx, error: { error_detail?: string }) => {
    grantErrors.push(error.error_detail ?? String(error));
  });
  return { issuer, grantErrors, close: () => close(server) };
}
