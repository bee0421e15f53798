// DPoP behind a reverse proxy (RFC 9449 §4.3 check 9): with no `dpop.origin`, the API checks a
// proof's `htu` against the origin a trusted proxy forwarded, and never against what another
// peer claims in the same headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPE, SERVICE_CLIENT } from './authorization-server.js';
import {
  callApi,
  clientCredentials,
  type DpopKey,
  dpopKey,
  proofFor,
  sendWithProof,
} from './client.js';
import { dpopRefusal, type Peers, refused, startPeers } from './peers.js';
import { type ForwardedForm, type ReverseProxy, startReverseProxy } from './reverse-proxy.js';

let peers: Peers;
let proxies: Record<ForwardedForm, ReverseProxy>;
let key: DpopKey;
let token: string;

beforeAll(async () => {
  peers = await startPeers();
  const [xForwarded, forwarded] = await Promise.all([
    startReverseProxy(peers.api.origin, 'x-forwarded'),
    startReverseProxy(peers.api.origin, 'forwarded'),
  ]);
  proxies = { 'x-forwarded': xForwarded, forwarded };
  key = await dpopKey();
  token = (await clientCredentials(peers.metadata, { scope: API_SCOPE }, key.handle)).access_token;
});

afterAll(async () => {
  await Promise.all([...Object.values(proxies ?? {}).map((proxy) => proxy.close())]);
  await peers?.close();
});

describe('an API behind a trusted reverse proxy', () => {
  it.each([
    'x-forwarded',
    'forwarded',
  ] as const)('accepts a proof for the public URL when the proxy forwards it (%s)', async (form) => {
    const response = await callApi(proxies[form].url('/proxied?page=2'), token, key.handle);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: SERVICE_CLIENT.id, jkt: key.jkt });
  });

  it('refuses, through the proxy, a proof made for the address of the API itself', async () => {
    const proof = await proofFor(peers.api.url('/proxied'), token, key.handle);
    const answer = await refused(peers.api, '/proxied', () =>
      sendWithProof(proxies['x-forwarded'].url('/proxied'), token, proof),
    );
    const description = 'The DPoP proof is for another URI ("htu")';
    expect(answer).toEqual(
      dpopRefusal('invalid_dpop_proof', description, 'ERR_DPOP_PROOF_INVALID'),
    );
  });

  it('ignores forwarded headers from a peer that is not the proxy: 401 invalid_dpop_proof', async () => {
    const publicUrl = proxies['x-forwarded'].url('/proxied');
    const proof = await proofFor(publicUrl, token, key.handle);
    const answer = await refused(peers.api, '/proxied', (direct) =>
      fetch(direct, {
        headers: {
          authorization: `DPoP ${token}`,
          dpop: proof,
          'x-forwarded-proto': 'http',
          'x-forwarded-host': publicUrl.host,
          forwarded: `proto=http;host="${publicUrl.host}"`,
        },
      }),
    );
    const description =
      'The request URI cannot be established: no "dpop.origin" is configured and the peer is not a trusted proxy';
    expect(answer).toEqual(
      dpopRefusal('invalid_dpop_proof', description, 'ERR_DPOP_PROOF_INVALID'),
    );
  });
});
