// The suite's own DPoP pieces, checked against core before any adapter relies on them.
import { createDpopProofVerifier, createVerifier, InvalidDpopProofError } from '@tokengate/core';
import { describe, expect, it } from 'vitest';
import { mtlsRouteOptions } from './cases-mtls.js';
import { createDpopClient } from './dpop-client.js';
import { DPOP_ORIGIN, dpopRouteOptions } from './dpop-routes.js';
import { dpopChallenge, REALM } from './expectations.js';

const base = { issuer: 'https://id.example/', audience: 'api', secret: 'x'.repeat(32) };

describe('the DPoP routes', () => {
  it('are options core accepts, as are the mTLS routes', () => {
    const routes = { ...dpopRouteOptions(base), ...mtlsRouteOptions(base) };
    for (const options of Object.values(routes))
      expect(() => createVerifier(options)).not.toThrow();
  });

  it('are plain JSON, so that they reach a worker as bindings', () => {
    const routes = { ...dpopRouteOptions(base), ...mtlsRouteOptions(base) };
    expect(JSON.parse(JSON.stringify(routes))).toEqual(routes);
  });
});

describe('createDpopClient', () => {
  const token = 'header.payload.signature';

  it("makes proofs core's proof verifier accepts: method, URL, token, the client's key", async () => {
    const client = await createDpopClient();
    const lines = await client.prepare(token, { url: '/dpop?page=2', method: 'POST' });
    const headers = new Map(lines);
    expect(headers.get('authorization')).toBe(`DPoP ${token}`);
    const proof = await createDpopProofVerifier().verify({
      proof: headers.get('dpop'),
      method: 'POST',
      uri: `${DPOP_ORIGIN}/dpop`,
      accessToken: token,
    });
    expect(proof.jkt).toBe(client.jkt);
  });

  it('makes a proof for another token when asked to, which core refuses', async () => {
    const client = await createDpopClient();
    const lines = await client.prepare('another.access.token', { url: '/dpop' });
    const result = createDpopProofVerifier().verify({
      proof: new Map(lines).get('dpop'),
      method: 'GET',
      uri: `${DPOP_ORIGIN}/dpop`,
      accessToken: token,
    });
    await expect(result).rejects.toBeInstanceOf(InvalidDpopProofError);
  });

  it('makes old proofs with a clock skew', async () => {
    const client = await createDpopClient();
    const lines = await client.prepare(token, { url: '/dpop', clockSkew: -600 });
    const payload = JSON.parse(
      Buffer.from(new Map(lines).get('dpop')?.split('.')[1] ?? '', 'base64url').toString(),
    ) as { iat: number };
    expect(Math.floor(Date.now() / 1000) - payload.iat).toBeGreaterThanOrEqual(599);
  });
});

describe('dpopChallenge', () => {
  it('puts the error on the scheme the request used, algs last on DPoP', () => {
    const policy = { required: false, algorithms: ['ES256', 'EdDSA'] };
    expect(
      dpopChallenge(policy, { scheme: 'DPoP', code: 'invalid_dpop_proof', description: 'd' }),
    ).toBe(
      `Bearer realm="${REALM}", DPoP realm="${REALM}", error="invalid_dpop_proof", error_description="d", algs="ES256 EdDSA"`,
    );
    expect(dpopChallenge({ ...policy, required: true })).toBe(
      `DPoP realm="${REALM}", algs="ES256 EdDSA"`,
    );
  });
});
