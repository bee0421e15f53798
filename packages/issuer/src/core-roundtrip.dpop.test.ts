// The DPoP-bound tokens of the issuer at an API protected by @tokengate/core (RFC 9449 §7):
// accepted with a proof by the bound key, refused as Bearer. oauth4webapi is the client.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createVerifier,
  DEFAULT_DPOP_ALGORITHMS,
  TokengateError,
  type Verifier,
} from '@tokengate/core';
import { generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it } from 'vitest';
import { serveTokenEndpoint, type TokenEndpoint } from './test-support/dpop-token-endpoint.js';
import { keyFor } from './test-support/keys.js';
import { createTokenIssuer } from './token-issuer.js';

const ISSUER = 'https://id.example';
const client: oauth.Client = { client_id: 'app' };
const insecure = { [oauth.allowInsecureRequests]: true };

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

const closer = (server: Server) => ({
  close: () => new Promise<void>((resolve) => server.close(() => resolve())),
});

const view = (req: IncomingMessage) => ({
  method: req.method ?? 'GET',
  url: req.url ?? '/',
  header: (name: string) => req.headersDistinct[name.toLowerCase()],
});

/** An API on 127.0.0.1 whose `GET /things` a DPoP-requiring verifier protects; `ran` counts its handler. */
async function serveApi(verifierFor: (origin: string) => Verifier) {
  let verifier: Verifier | undefined;
  const api = { ran: 0, origin: '' };
  const server = createServer(async (req, res) => {
    try {
      const auth = await verifier!.authenticate(view(req));
      api.ran++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sub: auth?.claims.sub, binding: auth?.binding }));
    } catch (error) {
      if (!(error instanceof TokengateError)) throw error;
      res.writeHead(error.status, { ...error.headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(error.toJSON()));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push(closer(server));
  api.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  verifier = verifierFor(api.origin);
  return api;
}

const ALGS = `algs="${DEFAULT_DPOP_ALGORITHMS.join(' ')}"`;

async function setup(mode: 'allowed' | 'required' = 'required') {
  const tokens = createTokenIssuer({
    issuer: ISSUER,
    audience: 'api',
    keys: await keyFor('ES256'),
    dpop: true,
  });
  const endpoint: TokenEndpoint = await serveTokenEndpoint(tokens);
  running.push(endpoint);
  const api = await serveApi((origin) =>
    createVerifier({
      issuer: ISSUER,
      audience: 'api',
      keys: tokens.jwks(),
      algorithms: ['ES256'],
      dpop: { mode, origin },
    }),
  );
  const as: oauth.AuthorizationServer = { issuer: ISSUER, token_endpoint: endpoint.url };
  const DPoP = oauth.DPoP(client, await generateKeyPair('ES256'));
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    oauth.None(),
    'password',
    { username: 'user-1' },
    { ...insecure, DPoP },
  );
  const pair = await oauth.processGenericTokenEndpointResponse(as, client, response);
  return { api, DPoP, pair, jkt: await DPoP.calculateThumbprint() };
}

/** The bound token sent with the Bearer scheme, not DPoP, to an API whose `dpop` is `mode`. */
async function sendAsBearer(mode: 'allowed' | 'required') {
  const { api, pair } = await setup(mode);
  const response = await fetch(`${api.origin}/things`, {
    headers: { authorization: `Bearer ${pair.access_token}` },
  });
  return { api, response };
}

describe('issuer DPoP tokens at a core verifier', () => {
  it('accepts the bound token with a proof by its key, and reports the binding', async () => {
    const { api, DPoP, pair, jkt } = await setup();
    const response = await oauth.protectedResourceRequest(
      pair.access_token,
      'GET',
      new URL(`${api.origin}/things`),
      new Headers(),
      null,
      { ...insecure, DPoP },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: 'user-1', binding: { jkt } });
    expect(api.ran).toBe(1);
  });

  it('answers the bound token sent as Bearer where only DPoP is accepted with a bare DPoP challenge', async () => {
    const { api, response } = await sendAsBearer('required');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'ERR_TOKEN_MISSING' });
    expect(response.headers.get('www-authenticate')).toBe(`DPoP realm="api", ${ALGS}`);
    expect(api.ran).toBe(0);
  });

  it('refuses the bound token sent as Bearer with 401 invalid_token where both are accepted (RFC 9449 §7.2)', async () => {
    const { api, response } = await sendAsBearer('allowed');
    expect(response.status).toBe(401);
    const description =
      'The token is bound to a DPoP key; send it with the DPoP scheme and a proof';
    expect(await response.json()).toEqual({
      error: 'invalid_token',
      error_description: description,
      code: 'ERR_TOKEN_BINDING',
    });
    expect(response.headers.get('www-authenticate')).toBe(
      `Bearer realm="api", error="invalid_token", error_description="${description}", DPoP realm="api", ${ALGS}`,
    );
    expect(api.ran).toBe(0);
  });

  it('refuses the bound token with a proof by another key', async () => {
    const { api, pair } = await setup();
    const thief = oauth.DPoP(client, await generateKeyPair('ES256'));
    const error = await oauth
      .protectedResourceRequest(
        pair.access_token,
        'GET',
        new URL(`${api.origin}/things`),
        new Headers(),
        null,
        { ...insecure, DPoP: thief },
      )
      .catch((e: unknown) => e);
    // oauth4webapi turns the 401 challenge into an error carrying the response.
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const { response } = error as oauth.WWWAuthenticateChallengeError;
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error_description: string };
    expect(body).toMatchObject({ error: 'invalid_token', code: 'ERR_TOKEN_BINDING' });
    expect(response.headers.get('www-authenticate')).toBe(
      `DPoP realm="api", error="invalid_token", error_description="${body.error_description}", ${ALGS}`,
    );
    expect(api.ran).toBe(0);
  });
});
