import { describe, expect, it } from 'vitest';
import { createVerifier, JWS_ALGORITHMS, type JwsAlgorithm } from './index.js';

describe('JWS_ALGORITHMS', () => {
  it('lists the thirteen algorithms the verifier accepts, frozen, without none', () => {
    expect(JWS_ALGORITHMS).toHaveLength(13);
    expect(Object.isFrozen(JWS_ALGORITHMS)).toBe(true);
    expect(JWS_ALGORITHMS).not.toContain('none');
    const asymmetric = JWS_ALGORITHMS.filter((alg) => !alg.startsWith('HS'));
    const jwksUri = 'https://id.example/jwks.json';
    expect(() =>
      createVerifier({
        jwksUri,
        issuer: 'https://id.example/',
        audience: 'api',
        algorithms: [...asymmetric],
      }),
    ).not.toThrow();
    const secret = 'x'.repeat(64); // HS512 wants 64 bytes
    const hmac: JwsAlgorithm[] = ['HS256', 'HS384', 'HS512'];
    expect(() =>
      createVerifier({ issuer: 'https://id.example/', audience: 'api', secret, algorithms: hmac }),
    ).not.toThrow();
    expect(() =>
      createVerifier({
        issuer: 'https://id.example/',
        audience: 'api',
        jwksUri,
        algorithms: ['none'],
      }),
    ).toThrow(/must not contain "none"/);
    expect(() =>
      createVerifier({
        issuer: 'https://id.example/',
        audience: 'api',
        jwksUri,
        algorithms: ['ES512K'],
      }),
    ).toThrow(/unsupported/);
  });
});
