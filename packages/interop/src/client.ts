// The client side of the interop tests: oauth4webapi, the way an application uses it.
import * as oauth from 'oauth4webapi';
import { API_RESOURCE, API_SCOPE, PUBLIC_CLIENT, SERVICE_CLIENT } from './authorization-server.js';

// Every peer listens on http://127.0.0.1; oauth4webapi insists on https unless told.
const insecure = { [oauth.allowInsecureRequests]: true } as const;

const service: oauth.Client = { client_id: SERVICE_CLIENT.id };
const app: oauth.Client = { client_id: PUBLIC_CLIENT.id, token_endpoint_auth_method: 'none' };

/** The authorization server's metadata, through RFC 8414 / OIDC discovery. */
export async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  const response = await oauth.discoveryRequest(url, { algorithm: 'oidc', ...insecure });
  return oauth.processDiscoveryResponse(url, response);
}

/** A client credentials grant (RFC 6749 §4.4), with a DPoP proof when `dpop` is given. */
export async function clientCredentialsOnce(
  as: oauth.AuthorizationServer,
  parameters: Record<string, string>,
  dpop?: oauth.DPoPHandle,
): Promise<oauth.TokenEndpointResponse> {
  const auth = oauth.ClientSecretBasic(SERVICE_CLIENT.secret);
  const options = { ...insecure, ...(dpop && { DPoP: dpop }) };
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    service,
    auth,
    parameters,
    options,
  );
  return oauth.processClientCredentialsResponse(as, service, response);
}

/**
 * {@link clientCredentialsOnce}, retried once when the server asks for a DPoP nonce: the
 * retry's proof carries the nonce oauth4webapi kept from the refusal (RFC 9449 §8).
 */
export async function clientCredentials(
  as: oauth.AuthorizationServer,
  parameters: Record<string, string>,
  dpop?: oauth.DPoPHandle,
): Promise<oauth.TokenEndpointResponse> {
  try {
    return await clientCredentialsOnce(as, parameters, dpop);
  } catch (error) {
    if (dpop !== undefined && oauth.isDPoPNonceError(error))
      return clientCredentialsOnce(as, parameters, dpop);
    throw error;
  }
}

// The user agent's part of the authorization code flow: follow the redirects through the
// authorization server's login and consent pages (which approve at once), keeping its cookies,
// until the redirect to the client; resolve that callback URL.
async function browse(start: URL): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hops = 0; hops < 10 && !url.href.startsWith(PUBLIC_CLIENT.redirectUri); hops += 1) {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: { cookie } });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const location = response.headers.get('location');
    if (location === null) throw new Error(`${url} answered ${response.status} without a redirect`);
    url = new URL(location, url);
  }
  return url;
}

/**
 * The authorization code flow of the public client with PKCE (RFC 7636), the code bound to the
 * DPoP key by `dpop_jkt` (RFC 9449 §10) and the token request carrying a proof by
 * `redeemWith` (default: the same key).
 */
export async function authorizationCode(
  as: oauth.AuthorizationServer,
  dpop: oauth.DPoPHandle,
  redeemWith: oauth.DPoPHandle = dpop,
): Promise<oauth.TokenEndpointResponse> {
  const verifier = oauth.generateRandomCodeVerifier();
  const authorize = new URL(as.authorization_endpoint ?? '');
  authorize.search = new URLSearchParams({
    client_id: PUBLIC_CLIENT.id,
    redirect_uri: PUBLIC_CLIENT.redirectUri,
    response_type: 'code',
    scope: API_SCOPE,
    resource: API_RESOURCE,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    dpop_jkt: await dpop.calculateThumbprint(),
  }).toString();
  const callback = oauth.validateAuthResponse(as, app, await browse(authorize));
  const { redirectUri } = PUBLIC_CLIENT;
  const options = { ...insecure, DPoP: redeemWith };
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    app,
    oauth.None(),
    callback,
    redirectUri,
    verifier,
    options,
  );
  return oauth.processAuthorizationCodeResponse(as, app, response);
}

/** A refresh token grant (RFC 6749 §6) of the public client, with a proof by `dpop`. */
export async function refresh(
  as: oauth.AuthorizationServer,
  refreshToken: string,
  dpop: oauth.DPoPHandle,
): Promise<oauth.TokenEndpointResponse> {
  const options = { ...insecure, DPoP: dpop };
  const response = await oauth.refreshTokenGrantRequest(
    as,
    app,
    oauth.None(),
    refreshToken,
    options,
  );
  return oauth.processRefreshTokenResponse(as, app, response);
}

/** How oauth4webapi sends a request to the API (its `customFetch`). */
export type Send = (
  url: string,
  options: oauth.CustomFetchOptions<string, oauth.ProtectedResourceRequestBody>,
) => Promise<Response>;

const send: Send = (url, options) => fetch(url, options as RequestInit);

/**
 * A request to the API with the access token: `DPoP` scheme and proof with `dpop`, else
 * `Bearer`. A refusal with a `WWW-Authenticate` challenge is resolved as its response, not
 * thrown, so that tests can read it. `sendWith` and `method` default to `fetch` and GET.
 */
export async function callApi(
  url: URL,
  accessToken: string,
  dpop?: oauth.DPoPHandle,
  sendWith: Send = send,
  method = 'GET',
): Promise<Response> {
  const options = { ...insecure, [oauth.customFetch]: sendWith, ...(dpop && { DPoP: dpop }) };
  try {
    const body = method === 'GET' ? null : 'ping';
    return await oauth.protectedResourceRequest(accessToken, method, url, undefined, body, options);
  } catch (error) {
    if (error instanceof oauth.WWWAuthenticateChallengeError) return error.response;
    throw error;
  }
}

/**
 * The proof oauth4webapi makes for a request with `accessToken` to `url`, without sending it
 * (a `customFetch` that keeps the headers and answers 204).
 */
export async function proofFor(
  url: URL,
  accessToken: string,
  dpop: oauth.DPoPHandle,
  method = 'GET',
): Promise<string> {
  let proof: string | undefined;
  const keep: Send = async (_url, { headers }) => {
    proof = headers.dpop;
    return new Response(null, { status: 204 });
  };
  await callApi(url, accessToken, dpop, keep, method);
  if (proof === undefined) throw new Error('oauth4webapi made no DPoP proof');
  return proof;
}

/** A request with the DPoP scheme and the given proof, as an attacker would send it. */
export const sendWithProof = (url: URL, accessToken: string, proof: string) =>
  fetch(url, { headers: { authorization: `DPoP ${accessToken}`, dpop: proof } });

/** A DPoP key of the client: the key pair, oauth4webapi's handle for it, its thumbprint. */
export interface DpopKey {
  readonly keyPair: oauth.CryptoKeyPair;
  readonly handle: oauth.DPoPHandle;
  readonly jkt: string;
}

/** A fresh key pair for DPoP proofs, ES256 unless `alg` says otherwise. */
export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const keyPair = await oauth.generateKeyPair(alg);
  const handle = oauth.DPoP(service, keyPair);
  return { keyPair, handle, jkt: await handle.calculateThumbprint() };
}

/** Decode a JWT's payload (no verification: only to look at what the server issued). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}
